import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {kernelPlugin} from '../../../src/plugins/kernel/index.js'
import {filePath} from '../../../src/plugins/kernel/common.js'
import {checkDump, checkTexts, finding, fixture, statusOf} from '../../helpers.js'

const KERNEL = ['kernel']
const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const ls = (present: string[], missing: string[] = []) =>
  [
    ...present.map((p) => `-rw-r--r--  1 root  wheel  8450312 Mar 28  2024 ${p}`),
    ...missing.map((p) => `ls: ${p}: No such file or directory`),
  ].join('\n') + '\n'

describe('kernel checks on the fixture dumps', () => {
  it('the Howto layout on a running XEN3_DOM0 passes all three', () => {
    const findings = checkDump('synthetic-howto-grub-small-ffsv1-root', 'dom0', KERNEL)
    expect(findings.filter((f) => f.id !== 'kernel.stale').map((f) => [f.id, f.status])).toEqual([
      ['kernel.xen', 'pass'],
      ['kernel.dom0', 'pass'],
      ['kernel.native-backup', 'pass'],
    ])
    // The Howto installs the dom0 kernel as /netbsd: within its era (xm) the running kernel tells what it is.
    expect(finding(findings, 'kernel.dom0').message).toContain('XEN3_DOM0 in uname.txt')
    expect(finding(findings, 'kernel.xen').evidence).toEqual([
      expect.objectContaining({source: 'files/grub/menu.lst', line: 22}),
      expect.objectContaining({source: 'ls-paths.txt', line: 14}),
    ])
  })

  it('a missing xen.gz fails with the ls error line and the copy command', () => {
    const f = finding(checkDump('synthetic-grub-missing-xen-gz', 'dom0', KERNEL), 'kernel.xen')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('/xen.gz')
    expect(f.remedy).toContain('/usr/pkg/xen*-kernel/xen.gz')
    expect(f.evidence).toContainEqual(
      expect.objectContaining({source: 'ls-paths.txt', text: 'ls: /xen.gz: No such file or directory'}),
    )
  })

  it('no native kernel kept warns', () => {
    const f = finding(checkDump('synthetic-grub-no-backup-entry', 'dom0', KERNEL), 'kernel.native-backup')
    expect(f.status).toBe('warn')
    expect(f.message).toContain('/netbsd-XEN3_DOM0 is the dom0 kernel')
  })

  it('the modern NetBSD 10 dump (gzipped dom0 kernel, boot.cfg) passes', () => {
    const findings = checkDump('synthetic-netbsd10-xen418-bootcfg-dom0', 'dom0', KERNEL)
    const others = findings.filter((f) => f.id !== 'kernel.stale')
    expect(others.length).toBeGreaterThan(0)
    expect(others.every((f) => f.status === 'pass')).toBe(true)
  })
})

describe('kernel.dom0', () => {
  const cfg = (line: string) => ({'files/boot.cfg': `menu=Xen:${line}\n`})

  it('fails a GENERIC kernel loaded as the dom0 module', () => {
    const f = finding(
      checkTexts(
        {...cfg('load /netbsd-GENERIC;multiboot /xen.gz'), 'ls-paths.txt': ls(['/xen.gz', '/netbsd-GENERIC'])},
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(f.status).toBe('fail')
  })

  it('fails when the module does not exist', () => {
    const f = finding(
      checkTexts(
        {
          ...cfg('load /netbsd-XEN3_DOM0;multiboot /xen.gz'),
          'ls-paths.txt': ls(['/xen.gz'], ['/netbsd-XEN3_DOM0', '/netbsd-XEN3_DOM0.gz']),
        },
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(f.status).toBe('fail')
  })

  it('warns for a non-PAE XEN3_DOM0 on NetBSD/i386 with a PAE CPU, using the CPU facts', () => {
    const f = finding(
      checkTexts(
        {
          ...cfg('load /netbsd-XEN3_DOM0;multiboot /xen.gz'),
          'ls-paths.txt': ls(['/xen.gz', '/netbsd-XEN3_DOM0']),
          'uname.txt':
            'NetBSD host 5.1 NetBSD 5.1 (GENERIC) #0: Sat Nov  6 13:19:33 UTC 2010  builds@b8.netbsd.org:/usr/src/sys/arch/i386/compile/GENERIC i386\n',
          'cpuctl-identify.txt': sample('cpuctl-identify-howto-core2-merom.txt'),
        },
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(f.status).toBe('warn')
    expect(f.message).toContain('XEN3PAE_DOM0')
    expect(f.evidence.map((e) => e.source)).toEqual(expect.arrayContaining(['uname.txt', 'cpuctl-identify.txt']))
  })

  it('warns the PVH dom0 of the real Xen 4.20 line (`dom0=pvh`, a PVH kernel): experimental, never a pass', () => {
    const f = finding(
      checkTexts(
        {
          'files/boot.cfg': sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt'),
          'ls-paths.txt': ls(['/xen420-debug.gz', '/netbsd-PVH']),
        },
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(f.status).toBe('warn')
    expect(f.message).toContain('PVH')
    expect(f.remedy).toContain('load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz')
  })

  it('fails dom0=pvh with the PV-only XEN3_DOM0, and on NetBSD 9 (no PVH code)', () => {
    const pv = finding(
      checkTexts(
        {
          ...cfg('load /netbsd-XEN3_DOM0.gz;multiboot /xen.gz dom0=pvh'),
          'ls-paths.txt': ls(['/xen.gz', '/netbsd-XEN3_DOM0.gz']),
        },
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(pv.status).toBe('fail')
    const nine = finding(
      checkTexts(
        {
          ...cfg('load /netbsd-GENERIC;multiboot /xen.gz dom0=pvh'),
          'ls-paths.txt': ls(['/xen.gz', '/netbsd-GENERIC']),
          'uname.txt':
            'NetBSD h 9.3 NetBSD 9.3 (GENERIC) #0: Thu Aug  4 15:30:37 UTC 2022  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC amd64\n',
        },
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(nine.status).toBe('fail')
    expect(nine.message).toContain('no PVH support')
  })

  it('judges the file, not the running kernel: /netbsd as the module warns on a running XEN3_DOM0 of today', () => {
    const f = finding(
      checkTexts(
        {
          ...cfg('load /netbsd;multiboot /xen.gz'),
          'ls-paths.txt': ls(['/xen.gz', '/netbsd']),
          'uname.txt':
            'NetBSD h 10.1 NetBSD 10.1 (XEN3_DOM0) #0: Sun Dec 15 13:16:34 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOM0 amd64\n',
        },
        'dom0',
        KERNEL,
      ),
      'kernel.dom0',
    )
    expect(f.status).toBe('warn')
    expect(f.message).toContain('sysupgrade')
  })

  it('is unknown, not pass, when ls-paths.txt is missing', () => {
    expect(statusOf(checkTexts(cfg('load /netbsd-XEN3_DOM0;multiboot /xen.gz'), 'dom0', KERNEL), 'kernel.dom0')).toBe(
      'unknown',
    )
    expect(statusOf(checkTexts(cfg('load /netbsd-XEN3_DOM0;multiboot /xen.gz'), 'dom0', KERNEL), 'kernel.xen')).toBe(
      'unknown',
    )
    expect(
      statusOf(checkTexts(cfg('load /netbsd-XEN3_DOM0;multiboot /xen.gz'), 'dom0', KERNEL), 'kernel.native-backup'),
    ).toBe('unknown')
  })
})

describe('kernel plugin', () => {
  it('declares the kernel paths it needs listed', () => {
    expect(kernelPlugin.evidence.flatMap((e) => (e.kind === 'listing' ? e.paths : []))).toEqual(
      expect.arrayContaining([
        '/xen.gz',
        '/netbsd',
        '/netbsd.backup',
        '/netbsd-XEN3_DOM0',
        '/netbsd-XEN3PAE_DOM0',
        '/netbsd-GENERIC',
      ]),
    )
  })

  it('maps bootloader paths to files', () => {
    expect(filePath('(hd0,a)/xen.gz')).toBe('/xen.gz')
    expect(filePath('hd0a:/netbsd-XEN3_DOM0.gz')).toBe('/netbsd-XEN3_DOM0.gz')
    expect(filePath('xen.gz')).toBe('/xen.gz')
  })

  it('never crashes and never passes on random evidence', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (cfg, paths, uname) => {
        for (const f of checkTexts(
          {'files/boot.cfg': cfg, 'ls-paths.txt': paths, 'uname.txt': uname},
          'dom0',
          KERNEL,
        )) {
          expect(f.status).not.toBe('error')
          expect(f.status).not.toBe('pass')
        }
      }),
      {numRuns: 200},
    )
  })
})

describe('kernel.native-backup with an ls-paths.txt made for other checks', () => {
  it('is unknown, not warn, when no kernel path was listed', () => {
    const f = finding(
      checkTexts({'ls-paths.txt': 'crw-------  1 root  wheel  143, 0 Jan  1  2011 /dev/xenevt\n'}, 'dom0', KERNEL),
      'kernel.native-backup',
    )
    expect(f.status).toBe('unknown')
  })
})
