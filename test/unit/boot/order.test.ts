import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parseBootCfg} from '../../../src/plugins/boot/parse-bootcfg.js'
import {isKernelModuleName, xenBootPlan} from '../../../src/plugins/boot/order.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const plan = (text: string, item = 0) => {
  const cfg = parseBootCfg(text, 'files/boot.cfg')
  return xenBootPlan(cfg, cfg.entries[item]!)
}

describe('xenBootPlan', () => {
  it("boot.cfg(5)'s own Xen items load the dom0 kernel first, then multiboot", () => {
    const cfg = parseBootCfg(sample('boot.cfg-man5-netbsd-example.txt'), 'files/boot.cfg')
    const xenItems = cfg.entries.filter((e) => e.commands.some((c) => c.name === 'multiboot'))
    expect(xenItems.length).toBeGreaterThan(0)
    for (const item of xenItems) {
      const p = xenBootPlan(cfg, item)!
      // The example's global `load=/miniroot.kmod` is loaded before any item: it becomes the first module.
      expect(p.modules.map((m) => [m.path, m.global])).toEqual([
        ['/miniroot.kmod', true],
        ['/netbsd-XEN3_DOM0', false],
      ])
      expect(p.lateLoads).toEqual([])
    }
  })

  it('a load written after multiboot never runs', () => {
    const p = plan('menu=Xen:multiboot /xen.gz dom0_mem=1024M;load /netbsd-XEN3_DOM0.gz\n')!
    expect(p.modules).toEqual([])
    expect(p.lateLoads.map((l) => l.path)).toEqual(['/netbsd-XEN3_DOM0.gz'])
    expect(p.xen).toMatchObject({path: '/xen.gz', args: ['dom0_mem=1024M']})
  })

  it('a global load= line is the dom0 kernel of an item that loads none', () => {
    const p = plan('load=/netbsd-XEN3_DOM0.gz console=pc\nmenu=Xen:multiboot /xen.gz dom0_mem=1024M\n')!
    expect(p.modules).toMatchObject([{path: '/netbsd-XEN3_DOM0.gz', args: ['console=pc'], global: true}])
  })

  it('the real PVH line: dev, then load, then multiboot', () => {
    const p = plan(sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt'))!
    expect(p.modules.map((m) => m.path)).toEqual(['/netbsd-PVH'])
    expect(p.xen.path).toBe('/xen420-debug.gz')
  })

  it('boot before multiboot: Xen is never reached; items without multiboot have no plan', () => {
    expect(plan('menu=X:boot netbsd;multiboot /xen.gz\n')!.bootsFirst).toBe('boot netbsd')
    expect(plan('menu=Boot normally:boot\n')).toBeUndefined()
    expect(plan('menu=Empty:\n')).toBeUndefined()
  })

  it('knows kernel module names from kernel files', () => {
    expect(isKernelModuleName('/miniroot.kmod')).toBe(true)
    expect(isKernelModuleName('solaris')).toBe(true)
    expect(isKernelModuleName('netbsd-XEN3_DOM0.gz')).toBe(false)
    expect(isKernelModuleName('/netbsd-XEN3_DOM0.gz')).toBe(false)
    expect(isKernelModuleName('hd0a:/netbsd')).toBe(false)
  })
})
