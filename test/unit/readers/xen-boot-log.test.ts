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

  it('AMD IOMMU not found and SVM locked off by the BIOS', () => {
    const log = parseXenBootLog(sample('synthetic-xl-dmesg-xen418-amd-iommu-not-found-no-hvm.txt'))
    expect(log.hvm).toBeUndefined()
    expect(log.hvmDisabled.map((f) => f.line)).toEqual([6])
    expect(log.iommuDown.map((f) => f.line)).toEqual([3])
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
