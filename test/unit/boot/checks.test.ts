import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {checkDump, checkTexts, finding, fixture, statusOf} from '../../helpers.js'

const BOOT = ['boot']
const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const HOWTO_MENU = sample('grub-menu.lst-howto-netbsd-xen.txt')
const MAN5 = sample('boot.cfg-man5-netbsd-example.txt')
const GB = 'hw.physmem64 = 4294967296\n'

describe('the fixture dumps', () => {
  it("the Howto's own menu.lst on a running dom0 passes every boot check", () => {
    const findings = checkDump('synthetic-howto-grub-small-ffsv1-root', 'dom0', BOOT)
    // These dumps predate sysctl-bootmethod.txt: how the machine boots is unknown, and says which command tells.
    expect(finding(findings, 'boot.method')).toMatchObject({
      status: 'unknown',
      remedy: expect.stringContaining('sysctl machdep.bootmethod'),
    })
    expect(findings.filter((f) => f.status !== 'pass' && f.id !== 'boot.method')).toEqual([])
    const mem = finding(findings, 'boot.dom0-mem', 'grub entry "Xen 3 / NetBSD (hda0, serial)"')
    // The running dom0 sees only its 64 MB: the machine's memory comes from xm info.
    expect(mem.message).toContain('64 MB of 2 GB')
    expect(mem.evidence).toEqual([
      expect.objectContaining({source: 'files/grub/menu.lst', line: 22}),
      expect.objectContaining({source: 'xm-info.txt', line: 12}),
    ])
  })

  it('the NetBSD boot loader dump passes', () => {
    const findings = checkDump('synthetic-bootcfg-large-ffsv2-root', 'dom0', BOOT)
    expect(findings.filter((f) => f.status !== 'pass' && f.id !== 'boot.method')).toEqual([])
  })

  it('a modern NetBSD 10 + Xen 4.18 boot.cfg dom0 gets no false fails', () => {
    const findings = checkDump('synthetic-netbsd10-xen418-bootcfg-dom0', 'dom0', BOOT)
    expect(findings.filter((f) => f.status !== 'pass' && f.id !== 'boot.method')).toEqual([])
    expect(finding(findings, 'boot.dom0-mem', 'boot.cfg entry "Xen"').message).toContain('2 GB of 31.9 GB')
  })

  it('dom0_mem larger than the memory fails with both values', () => {
    const f = finding(
      checkDump('synthetic-grub-dom0-mem-too-large', 'dom0', BOOT),
      'boot.dom0-mem',
      'grub entry "Xen 3 / NetBSD (hda0, serial)"',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('dom0_mem=2097152 gives dom0 2 GB of 1 GB')
    expect(f.evidence.map((e) => e.source)).toEqual(['files/grub/menu.lst', 'sysctl.txt'])
  })

  it('no backup entry warns, quoting the Howto', () => {
    const f = finding(checkDump('synthetic-grub-no-backup-entry', 'dom0', BOOT), 'boot.fallback')
    expect(f.status).toBe('warn')
    expect(f.remedy).toContain('kernel --type=netbsd /netbsd-GENERIC')
    expect(f.evidence[0]).toMatchObject({source: 'files/grub/menu.lst', line: 4})
  })
})

describe('boot.xen-entry', () => {
  it('is unknown without any bootloader configuration, and says how to collect it', () => {
    const f = finding(checkTexts({}, 'dom0', BOOT), 'boot.xen-entry')
    expect(f.status).toBe('unknown')
    expect(f.remedy).toContain('cp /boot.cfg files/boot.cfg')
  })

  it('fails a boot.cfg without multiboot (a plain NetBSD install)', () => {
    const f = finding(
      checkTexts(
        {
          'files/boot.cfg':
            'menu=Boot normally:rndseed /var/db/entropy-file;boot\nmenu=Drop to boot prompt:prompt\ndefault=1\n',
        },
        'dom0',
        BOOT,
      ),
      'boot.xen-entry',
    )
    expect(f.status).toBe('fail')
    // Today's NetBSD boot loader line first, `load` before `multiboot`.
    expect(f.remedy).toContain('menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M')
    expect(f.remedy).toContain('/usr/pkg/xen420-kernel/xen.gz')
  })

  it('fails a Xen entry without the dom0 module', () => {
    const f = finding(
      checkTexts({'files/grub/menu.lst': 'title Xen\n kernel (hd0,a)/xen.gz dom0_mem=65536\n'}, 'dom0', BOOT),
      'boot.xen-entry',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('no dom0 kernel')
    expect(f.evidence).toContainEqual(expect.objectContaining({line: 2}))
  })

  it('fails the boot.cfg(5) example: its global load=/miniroot.kmod is loaded first, so Xen would build dom0 from it', () => {
    const f = finding(checkTexts({'files/boot.cfg': MAN5}, 'dom0', BOOT), 'boot.xen-entry')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('load=/miniroot.kmod')
    expect(f.evidence).toContainEqual(expect.objectContaining({source: 'files/boot.cfg', text: 'load=/miniroot.kmod'}))
  })

  it('warns when the default boot.cfg item is not the Xen one (boot.cfg(5) example without its global load, default=1)', () => {
    const f = finding(
      checkTexts({'files/boot.cfg': MAN5.replace('load=/miniroot.kmod\n', '')}, 'dom0', BOOT),
      'boot.xen-entry',
    )
    expect(f.status).toBe('warn')
    expect(f.remedy).toContain('default=6')
  })

  it('fails multiboot before load: the load never runs', () => {
    const f = finding(
      checkTexts(
        {'files/boot.cfg': 'menu=Xen:multiboot /xen.gz dom0_mem=1024M;load /netbsd-XEN3_DOM0.gz\n'},
        'dom0',
        BOOT,
      ),
      'boot.xen-entry',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('never runs')
    expect(f.remedy).toContain('load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz')
  })

  it('passes the real Xen 4.20 line (load before multiboot)', () => {
    expect(
      statusOf(
        checkTexts({'files/boot.cfg': sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt')}, 'dom0', BOOT),
        'boot.xen-entry',
      ),
    ).toBe('pass')
  })

  it('checks both grub and boot.cfg when both exist, and says the one in use is unknown', () => {
    const findings = checkTexts(
      {'files/grub/menu.lst': HOWTO_MENU, 'files/boot.cfg': sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt')},
      'dom0',
      BOOT,
    )
    expect(statusOf(findings, 'boot.xen-entry', 'files/grub/menu.lst')).toBe('pass')
    expect(finding(findings, 'boot.xen-entry', 'files/boot.cfg').message).toContain(
      'which one the MBR/boot blocks use is unknown',
    )
  })
})

describe('boot.dom0-mem', () => {
  it('warns when dom0_mem is missing', () => {
    const f = finding(
      checkTexts(
        {'files/boot.cfg': 'menu=Xen:load /netbsd-XEN3_DOM0;multiboot /xen.gz\n', 'sysctl.txt': GB},
        'dom0',
        BOOT,
      ),
      'boot.dom0-mem',
    )
    expect(f.status).toBe('warn')
    expect(f.message).toContain('no dom0_mem=')
  })

  it('warns when less than 128 MB is left for guests, or dom0 gets less than 64 MB', () => {
    const tight = checkTexts(
      {'files/boot.cfg': 'menu=Xen:load /netbsd-XEN3_DOM0;multiboot /xen.gz dom0_mem=4000M\n', 'sysctl.txt': GB},
      'dom0',
      BOOT,
    )
    expect(finding(tight, 'boot.dom0-mem').message).toContain('left for guests')
    expect(statusOf(tight, 'boot.dom0-mem')).toBe('warn')
    const small = checkTexts(
      {'files/boot.cfg': 'menu=Xen:load /netbsd-XEN3_DOM0;multiboot /xen.gz dom0_mem=32768\n', 'sysctl.txt': GB},
      'dom0',
      BOOT,
    )
    expect(finding(small, 'boot.dom0-mem').message).toContain('less than 64 MB')
  })

  it('uses dmesg `total memory =` when there is no sysctl.txt', () => {
    const f = finding(
      checkTexts(
        {
          'files/boot.cfg': 'menu=Xen:load /netbsd-XEN3_DOM0;multiboot /xen.gz dom0_mem=1G\n',
          'dmesg.boot': 'total memory = 2047 MB\navail memory = 1980 MB\n',
        },
        'dom0',
        BOOT,
      ),
      'boot.dom0-mem',
    )
    expect(f.status).toBe('pass')
    expect(f.evidence).toContainEqual(expect.objectContaining({source: 'dmesg.boot', line: 1}))
  })

  it("is unknown on a running dom0 without xl info: its sysctl shows only dom0's share", () => {
    const f = finding(
      checkTexts(
        {
          'files/boot.cfg': sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt'),
          'sysctl.txt': 'hw.physmem64 = 1073741824\n',
          'dmesg.boot': 'hypervisor0 at mainbus0: Xen version 4.20.0\n',
        },
        'dom0',
        BOOT,
      ),
      'boot.dom0-mem',
    )
    expect(f.status).toBe('unknown')
    expect(f.message).toContain("dom0's own share")
    expect(f.remedy).toContain('xl info > xl-info.txt')
  })

  it('is unknown without any memory evidence', () => {
    expect(
      statusOf(
        checkTexts({'files/grub/menu.lst': HOWTO_MENU}, 'dom0', BOOT),
        'boot.dom0-mem',
        'grub entry "Xen 3 / NetBSD (hda0, vga)"',
      ),
    ).toBe('unknown')
  })

  it('is n/a when there is no Xen entry', () => {
    expect(statusOf(checkTexts({'files/boot.cfg': 'menu=Boot normally:boot\n'}, 'dom0', BOOT), 'boot.dom0-mem')).toBe(
      'n/a',
    )
  })
})

describe('boot.console', () => {
  it('passes com0 for dom0 with console=com1 for Xen (real Xen 4.20 line; Xen counts from com1, NetBSD from com0)', () => {
    expect(
      statusOf(
        checkTexts({'files/boot.cfg': sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt')}, 'dom0', BOOT),
        'boot.console',
      ),
    ).toBe('pass')
  })

  it('warns when dom0 is on the serial port but Xen has no serial port', () => {
    const f = finding(
      checkTexts(
        {'files/boot.cfg': 'menu=Xen:load /netbsd-XEN3_DOM0 console=com0;multiboot /xen.gz dom0_mem=256M\n'},
        'dom0',
        BOOT,
      ),
      'boot.console',
    )
    expect(f.status).toBe('warn')
    expect(f.remedy).toContain('console=com1 com1=115200,8n1')
  })

  it('warns when dom0 is on VGA but Xen only on serial', () => {
    expect(
      statusOf(
        checkTexts(
          {
            'files/boot.cfg':
              'menu=Xen:load /netbsd-XEN3_DOM0 console=pc;multiboot /xen.gz console=com1 com1=115200,8n1\n',
          },
          'dom0',
          BOOT,
        ),
        'boot.console',
      ),
    ).toBe('warn')
  })

  it('warns when grub uses a serial console without the serial/terminal lines', () => {
    const menu = HOWTO_MENU.replace(/^serial .*$/m, '').replace(/^terminal .*$/m, '')
    const findings = checkTexts({'files/grub/menu.lst': menu}, 'dom0', BOOT)
    const f = finding(findings, 'boot.console', 'grub entry "Xen 3 / NetBSD (hda0, serial)"')
    expect(f.status).toBe('warn')
    expect(f.remedy).toContain('serial --unit=0 --speed=115200')
    expect(statusOf(findings, 'boot.console', 'grub entry "Xen 3 / NetBSD (hda0, vga)"')).toBe('pass')
  })
})

describe('boot.fallback', () => {
  it('passes the boot.cfg(5) example (`Boot normally`)', () => {
    expect(statusOf(checkTexts({'files/boot.cfg': MAN5}, 'dom0', BOOT), 'boot.fallback')).toBe('pass')
  })

  it('warns for a boot.cfg with only Xen items', () => {
    expect(
      statusOf(
        checkTexts({'files/boot.cfg': sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt')}, 'dom0', BOOT),
        'boot.fallback',
      ),
    ).toBe('warn')
  })
})

describe('boot checks on garbage', () => {
  it('never crash and never pass on random bootloader files', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (menu, cfg) => {
        for (const f of checkTexts({'files/grub/menu.lst': menu, 'files/boot.cfg': cfg}, 'dom0', BOOT)) {
          expect(f.status).not.toBe('error')
          expect(f.status).not.toBe('pass')
        }
      }),
      {numRuns: 200},
    )
  })
})
