import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {bootCfgFilePath, parseBootCfg} from '../../../src/plugins/boot/parse-bootcfg.js'
import {grubFilePath, parseGrubMenu} from '../../../src/plugins/boot/parse-grub.js'
import {dom0Bytes, findDmesgTotalMemory, parseDom0Mem, parseXenSize} from '../../../src/plugins/boot/parse-memory.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const MiB = 1024 * 1024

describe('parseGrubMenu', () => {
  it("reads the Howto's commented menu.lst: globals, 6 entries, Xen/dom0/native lines", () => {
    const g = parseGrubMenu(sample('grub-menu.lst-howto-netbsd-xen.txt'), 'files/grub/menu.lst')
    expect(g.default).toMatchObject({value: '0', line: 5})
    expect(g.timeout).toMatchObject({value: 10, line: 8})
    expect(g.serial?.value).toBe('--unit=0 --speed=115200 --word=8 --parity=no --stop=1')
    expect(g.terminal?.value).toBe('--timeout=10 serial console')
    expect(g.entries.map((e) => e.label)).toEqual([
      'Xen 3 / NetBSD (hda0, serial)',
      'Xen 3 / NetBSD (hda0, vga)',
      'Xen 3 / NetBSD (hda0, backup, serial)',
      'Xen 3 / NetBSD (hda0, backup, VGA)',
      'NetBSD 5.1',
      'NetBSD chain',
    ])
    const first = g.entries[0]!
    expect(first.isDefault).toBe(true)
    expect(first.root?.value).toBe('(hd0,0)')
    expect(first.xen).toMatchObject({path: '(hd0,a)/xen.gz', args: ['dom0_mem=65536', 'com1=115200,8n1']})
    expect(first.xen!.ref.line).toBe(22)
    expect(first.dom0).toMatchObject({path: '(hd0,a)/netbsd', args: ['bootdev=wd0a', 'ro', 'console=ttyS0']})
    expect(g.entries[2]!.dom0!.path).toBe('(hd0,a)/netbsd.backup')
    expect(g.entries[4]!.native).toMatchObject({path: '/netbsd-GENERIC'})
    expect(g.entries[4]!.xen).toBeUndefined()
    expect(g.entries[5]!.native?.path).toBe('+1')
  })

  it('maps GRUB device paths to files', () => {
    expect(grubFilePath('(hd0,a)/xen.gz')).toBe('/xen.gz')
    expect(grubFilePath('/netbsd')).toBe('/netbsd')
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const g = parseGrubMenu(text, 'x')
        for (const e of g.entries) expect(typeof e.label).toBe('string')
      }),
    )
    const real = sample('grub-menu.lst-howto-netbsd-xen.txt')
    fc.assert(
      fc.property(fc.nat(real.length), (cut) => {
        parseGrubMenu(real.slice(0, cut), 'x')
      }),
    )
  })
})

describe('parseBootCfg', () => {
  it('reads the boot.cfg(5) example: banners, 9 items, default=1, global load', () => {
    const c = parseBootCfg(sample('boot.cfg-man5-netbsd-example.txt'), 'files/boot.cfg')
    expect(c.banner).toHaveLength(4)
    expect(c.entries).toHaveLength(9)
    expect(c.default).toMatchObject({value: 1, line: 16})
    expect(c.timeout?.value).toBe('-1')
    expect(c.load[0]).toMatchObject({path: '/miniroot.kmod'})
    expect(c.entries[0]!).toMatchObject({label: 'Boot normally', isDefault: true, native: {path: 'netbsd'}})
    expect(c.entries[2]!.native?.path).toBe('hd1a:')
    const serial = c.entries[6]!
    expect(serial.label).toBe('Boot Xen with 256MB for dom0 (serial)')
    expect(serial.xen).toMatchObject({
      path: '/usr/pkg/xen3-kernel/xen.gz',
      args: ['dom0_mem=256M', 'console=com1', 'com1=115200,8n1'],
    })
    // The global load=/miniroot.kmod is loaded while the file is read, before the item's load: it is the first
    // module, the one Xen builds dom0 from (libsa bootcfg.c; boot.xen-entry fails this).
    expect(serial.dom0).toMatchObject({path: '/miniroot.kmod'})
    expect(serial.plan!.modules.map((m) => [m.path, m.args, m.global])).toEqual([
      ['/miniroot.kmod', [], true],
      ['/netbsd-XEN3_DOM0', ['console=com0'], false],
    ])
    expect(serial.ref.line).toBe(11)
    expect(c.entries[8]!.commands).toEqual([{name: 'prompt', args: []}])
  })

  it('reads the real Xen 4.20 PVH line where `load` precedes `multiboot` and `dev` sets the device', () => {
    const c = parseBootCfg(sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt'), 'files/boot.cfg')
    const e = c.entries[0]!
    expect(e.label).toBe('Boot netbsd-current PVH Xen420')
    expect(e.dev).toBe('hd0f:')
    expect(e.dom0).toMatchObject({path: '/netbsd-PVH', args: ['console=com0', 'root=wd0f']})
    expect(e.xen?.path).toBe('/xen420-debug.gz')
    expect(e.xen?.args).toContain('dom0=pvh')
    expect(e.isDefault).toBe(true)
  })

  it('an empty label shows the command', () => {
    expect(parseBootCfg('menu=:boot hd1a:netbsd -as\n', 'x').entries[0]).toMatchObject({
      label: 'boot hd1a:netbsd -as',
      native: {path: 'hd1a:netbsd', args: ['-as']},
    })
  })

  it('maps boot(8) paths to files', () => {
    expect(bootCfgFilePath('hd0a:/xen.gz')).toBe('/xen.gz')
    expect(bootCfgFilePath('netbsd')).toBe('/netbsd')
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        parseBootCfg(text, 'x')
      }),
    )
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('menu=', 'load', 'multiboot', ';', ':', ' ', 'default=', '9', 'x', '\n', '=', '#'))
          .map((a) => a.join('')),
        (text) => {
          const c = parseBootCfg(text, 'x')
          expect(c.entries.filter((e) => e.isDefault).length).toBeLessThanOrEqual(1)
        },
      ),
    )
  })
})

describe('dom0_mem and memory', () => {
  it('reads Xen sizes: a plain number is KB, K/M/G suffixes, percentages, negatives', () => {
    expect(parseXenSize('65536')?.bytes).toBe(64 * MiB)
    expect(parseXenSize('256M')?.bytes).toBe(256 * MiB)
    expect(parseXenSize('2G')?.bytes).toBe(2048 * MiB)
    expect(parseXenSize('524288k')?.bytes).toBe(512 * MiB)
    expect(parseXenSize('25%')).toMatchObject({bytes: 0, percent: 25})
    expect(parseXenSize('-1G')?.bytes).toBe(-1024 * MiB)
    expect(parseXenSize('lots')).toBeUndefined()
    expect(parseXenSize('')).toBeUndefined()
  })

  it('reads min:/max: lists and resolves what dom0 gets', () => {
    const host = 4096 * MiB
    expect(dom0Bytes(parseDom0Mem('1024M'), host)).toBe(1024 * MiB)
    expect(dom0Bytes(parseDom0Mem('2048M,max:2048M'), host)).toBe(2048 * MiB)
    expect(dom0Bytes(parseDom0Mem('max:512M'), host)).toBe(512 * MiB)
    expect(dom0Bytes(parseDom0Mem('min:8G'), host)).toBe(8192 * MiB)
    expect(dom0Bytes(parseDom0Mem('-1G'), host)).toBe(3072 * MiB)
    expect(dom0Bytes(parseDom0Mem('50%'), host)).toBe(2048 * MiB)
    expect(parseDom0Mem('1024M,bogus')).toBeUndefined()
  })

  it('finds `total memory =` in dmesg, with NetBSD 10 timestamps', () => {
    const d = findDmesgTotalMemory(sample('dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt'), 'dmesg.boot')
    expect(d).toMatchObject({value: 127 * MiB, line: 14})
  })

  it('never throws on any dom0_mem value', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (text, host) => {
        const m = parseDom0Mem(text)
        const b = dom0Bytes(m, host)
        expect(Number.isNaN(b)).toBe(false)
      }),
    )
  })
})
