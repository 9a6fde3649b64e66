// Issue 17: the hypervisor's own boot log (xl dmesg or a serial capture), with and without console timestamps.
import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseXenBootLog, parseXenIommuLines, xenMessage} from '../../../src/parsers/xen-boot-log.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')

describe('parseXenBootLog', () => {
  it('reads the real Xen 4.14.5 AMD log: SVM enabled, HAP detected, AMD-Vi IOMMU enabled', () => {
    const log = parseXenBootLog(sample('xl-dmesg-xen4145-devuan-amd-fam10h-svm-amdvi-excerpt.txt'))
    expect(log.version?.value).toBe('4.14.5')
    expect(log.commandLine?.value).toBe('placeholder dom0_mem=768M,max:768M iommu=1,debug loglvl=all guest_loglvl=all')
    expect(log.hvm).toMatchObject({value: 'SVM', line: 35})
    expect(log.hap?.value).toBe('detected')
    expect(log.ioVirtualisation).toMatchObject({value: 'enabled', line: 16})
    expect(log.iommuUp.map((f) => f.line)).toEqual([15])
    // `AMD-Vi: Disabled HAP memory map sharing with IOMMU` does not say the IOMMU is off.
    expect(log.iommuDown).toEqual([])
    expect(
      parseXenIommuLines(sample('xl-dmesg-xen4145-devuan-amd-fam10h-svm-amdvi-excerpt.txt'), 'x').disabled,
    ).toEqual([])
  })

  it('reads the real Xen 4.19.1 head: version and command line', () => {
    const log = parseXenBootLog(sample('xl-dmesg-alpine-xen419-head.txt'))
    expect(log.version?.value).toBe('4.19.1')
    expect(log.commandLine).toBeDefined()
  })

  it('strips raw TSC timestamps; `Support for HVM VMs: None` is not a statement about HVM', () => {
    const log = parseXenBootLog(sample('synthetic-xl-dmesg-xen420-vmx-nohap-tsc-timestamps.txt'))
    expect(log.version?.value).toBe('4.20.1')
    expect(log.commandLine?.value).toContain('dom0=pvh')
    expect(log.hvm?.value).toBe('VMX')
    expect(log.hap?.value).toBe('not-detected')
    expect(log.ioVirtualisation?.value).toBe('disabled')
    expect(log.hvmDisabled).toEqual([])
  })

  it('strips date timestamps; VT-d iommus are up', () => {
    const log = parseXenBootLog(sample('synthetic-xl-dmesg-xen419-vtd-date-timestamps.txt'))
    expect(log.iommuUp.map((f) => f.line)).toEqual([3, 4])
    expect(log.ioVirtualisation?.value).toBe('enabled')
    expect(log.hvm?.value).toBe('VMX')
    expect(log.hap?.value).toBe('detected')
  })

  it('AMD-Vi failed to initialise and SVM locked off by the BIOS', () => {
    const log = parseXenBootLog(sample('synthetic-xl-dmesg-xen418-amdvi-error-init-no-hvm.txt'))
    expect(log.hvm).toBeUndefined()
    expect(log.hvmDisabled.map((f) => f.line)).toEqual([6])
    expect(log.iommuDown.map((f) => f.line)).toEqual([3])
  })

  it('reads the real VT-d log of XenGT issue 7: a feature line `... not enabled.` is not the IOMMU being off', () => {
    const text = sample('xl-dmesg-xengt-issue7-vtd-feature-lines-excerpt.txt')
    const log = parseXenBootLog(text)
    expect(log.ioVirtualisation).toMatchObject({value: 'enabled', line: 3})
    expect(log.iommuDown).toEqual([])
    expect(log.iommuUp).toEqual([])
    expect(log.hvm?.value).toBe('VMX')
    const x = parseXenIommuLines(text, 'xl-dmesg.txt')
    expect(x.enabled.map((f) => f.line)).toEqual([3])
    expect(x.disabled).toEqual([])
  })

  it('reads the real Xen 4.14.5 AMD-Vi failure (xen-devel, March 2023) and a real boot-timestamped summary', () => {
    const log = parseXenBootLog(sample('xl-dmesg-xen4145-devuan-amdvi-error-init-snippet.txt'))
    // `No southbridge IO-APIC found in IVRS table` is the cause, not a statement that the IOMMU is off.
    expect(log.iommuDown.map((f) => f.line)).toEqual([2])
    // The mail keeps a trailing blank after `disabled`.
    expect(log.ioVirtualisation).toMatchObject({value: 'disabled', line: 3})
    const xcp = parseXenBootLog(sample('xl-dmesg-xcpng-issue370-boot-timestamp-iov-disabled.txt'))
    expect(xcp.ioVirtualisation?.value).toBe('disabled')
  })

  it('every IOMMU format of the sources, and nothing else', () => {
    const up = [
      // xen/drivers/passthrough/vtd/iommu.c intel_vtd_setup(), commit 00485d573cc9 (4.2-era tree):
      // printk("Intel VT-d supported page sizes: 4kB"); printk(", 2MB"); printk(", 1GB"); printk(".\n");
      'Intel VT-d supported page sizes: 4kB, 2MB, 1GB.',
      'Intel VT-d supported page sizes: 4kB.',
      // vtd/iommu.c commit b7fab13d4d57: printk("Intel VT-d iommu %"PRIu32" supported page sizes: 4kB", ...) ... ".\n"
      'Intel VT-d iommu 0 supported page sizes: 4kB, 2MB, 1GB.',
      'Intel VT-d iommu 1 supported page sizes: 4kB, 2MB.',
      // vtd/iommu.c since Xen 4.17 (IOMMU superpages): printk("Intel VT-d iommu %u supported page sizes: 4kB%s%s\n")
      'Intel VT-d iommu 2 supported page sizes: 4kB, 2MB, 1GB',
      'Intel VT-d iommu 3 supported page sizes: 4kB',
      // amd/iommu_init.c amd_iommu_init_one() (Xen 3.4 to 4.21): printk("AMD-Vi: IOMMU %d Enabled.\n", nr_amd_iommus)
      'AMD-Vi: IOMMU 0 Enabled.',
    ]
    const down = [
      // amd/pci_amd_iommu.c amd_iov_detect() (Xen 3.4 to 4.12): printk("AMD-Vi: IOMMU not found!\n")
      'AMD-Vi: IOMMU not found!',
      // the same in the Xen 3.3-era tree: printk("AMD_IOV: IOMMU not found!\n")
      'AMD_IOV: IOMMU not found!',
      // amd_iov_detect() / iov_detect() (4.x): printk("AMD-Vi: Error initialization\n"); one older tree without prefix
      'AMD-Vi: Error initialization',
      'Error initialization',
      // amd iov_detect() / iov_supports_xt() (4.17+): AMD_IOMMU_ERROR("no CMPXCHG16B support, disabling IOMMU\n"),
      // AMD_IOMMU_ERROR = printk(XENLOG_ERR "AMD-Vi: Error: " fmt)
      'AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU',
      // vtd/dmar.c acpi_parse_dmar(): printk(XENLOG_WARNING "Failed to parse ACPI DMAR.  Disabling VT-d.\n")
      'Failed to parse ACPI DMAR.  Disabling VT-d.',
      // iommu.c iommu_setup() (4.17+): printk(XENLOG_ERR "IOMMU: page size mask %lx unsupported\n", ...)
      'IOMMU: page size mask 2000 unsupported',
    ]
    const neither = [
      // vtd/iommu.c: #define P(p,s) printk("Intel VT-d %s %senabled.\n", s, (p)? "" : "not ") (4.x) and
      // "Intel VT-d %s %ssupported.\n" (3.4): features, not the IOMMU itself.
      'Intel VT-d Snoop Control not enabled.',
      'Intel VT-d Dom0 DMA Passthrough not enabled.',
      'Intel VT-d Posted Interrupt not enabled.',
      'Intel VT-d Shared EPT tables not enabled.',
      'Intel VT-d Interrupt Remapping not supported.',
      'Intel VT-d Queued Invalidation enabled.',
      // iommu.c iommu_setup(): printk("I/O virtualisation for PV guests %sabled\n") (3.4),
      // printk("Interrupt remapping %sabled\n")
      'I/O virtualisation for PV guests disabled',
      'Interrupt remapping disabled',
      'AMD-Vi: Disabled HAP memory map sharing with IOMMU',
      'No southbridge IO-APIC found in IVRS table',
      'AMD-Vi: IOMMU Extended Features:',
      'AMD-Vi: Error: IVRS: something else',
      'I/O virtualization disabled',
      // cut off mid-line
      'Intel VT-d iommu 0 supported page si',
      'AMD-Vi: IOMMU not fou',
      'AMD-Vi: IOMMU 0 Enab',
      'I/O virtualisation disa',
      'Failed to parse ACPI DMAR.',
    ]
    const lines = [...up, ...down, ...neither].map((l, i) => `(XEN) ${i % 2 ? '[    4.123456] ' : ''}${l}`)
    const log = parseXenBootLog(`${lines.join('\n')}\n`)
    expect(log.iommuUp.map((f) => f.value)).toEqual(up)
    expect(log.iommuDown.map((f) => f.value)).toEqual(down)
    expect(log.ioVirtualisation).toBeUndefined()
    // The per-IOMMU lines come before set-up can still fail; Xen's summary that follows wins (`off` wins).
    const failed = parseXenIommuLines(
      '(XEN) Intel VT-d iommu 0 supported page sizes: 4kB, 2MB, 1GB\n(XEN) I/O virtualisation disabled\n',
      'x',
    )
    expect(failed.enabled).toHaveLength(1)
    expect(failed.disabled.map((f) => f.line)).toEqual([2])
  })

  it('every message form of the sources', () => {
    const lines = [
      '(XEN) HVM: SVM enabled',
      '(XEN) HVM: Hardware Assisted Paging (HAP) detected but disabled',
      '(XEN) [    4.123456] VMX disabled by BIOS.',
      '(XEN) AMD SVM Extension is disabled in BIOS.',
      '(XEN) [VT-D]iommu.c:1234: something',
    ].join('\n')
    const log = parseXenBootLog(lines)
    expect(log.hvm?.value).toBe('SVM')
    expect(log.hap?.value).toBe('disabled')
    expect(log.hvmDisabled.map((f) => f.line)).toEqual([3, 4])
    // `[VT-D]` is a tag, not a console timestamp.
    expect(xenMessage('(XEN) [VT-D]iommu.c:1234: x')).toBe('[VT-D]iommu.c:1234: x')
    expect(xenMessage('(XEN) [00000034b029b13b] HVM: VMX enabled')).toBe('HVM: VMX enabled')
    expect(xenMessage('(XEN) [2025-02-16 21:56:40.181] I/O virtualisation enabled')).toBe('I/O virtualisation enabled')
    expect(xenMessage('[   1.0000030] cpu0: x')).toBeUndefined()
  })

  it('empty, truncated and garbage input: nothing, never a throw', () => {
    expect(parseXenBootLog('').xenLines).toBe(0)
    expect(parseXenBootLog('HVM: VMX enabled\n').hvm).toBeUndefined()
    const text = sample('xl-dmesg-xen4145-devuan-amd-fam10h-svm-amdvi-excerpt.txt')
    for (let n = 0; n <= text.length; n += 11) expect(() => parseXenBootLog(text.slice(0, n))).not.toThrow()
    fc.assert(
      fc.property(fc.string({maxLength: 300}), (s) => {
        const log = parseXenBootLog(s)
        if (log.hvm) expect(log.hvm.text).toContain(`${log.hvm.value} enabled`)
      }),
      {numRuns: 400},
    )
  })
})
