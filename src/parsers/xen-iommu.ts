import {type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

/** Xen's own boot messages (`xl dmesg`) about the IOMMU: VT-d, AMD-Vi, "I/O virtualisation enabled/disabled". */
export function parseXenIommuLines(text: string, source: string): {enabled: Array<Fact<string>>; disabled: Array<Fact<string>>} {
  const enabled: Array<Fact<string>> = []
  const disabled: Array<Fact<string>> = []
  for (const {line, text: raw} of numberedLines(text)) {
    if (/I\/O virtuali[sz]ation disabled|IOMMU.*(?:not found|disabled)|VT-d.*disabled|AMD-Vi.*disabled/i.test(raw)) disabled.push(fact(raw, source, line, raw))
    else if (/I\/O virtuali[sz]ation enabled|Intel VT-d|AMD-Vi|\bIOMMU\b/i.test(raw)) enabled.push(fact(raw, source, line, raw))
  }

  return {enabled, disabled}
}

/** `(XEN) Command line: ...` of `xl dmesg`: the command line the running hypervisor was booted with. */
export function parseXlDmesgCommandLine(text: string, source: string): Fact<string> | undefined {
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^\(XEN\)\s+Command line:\s?(.*)$/.exec(raw)
    if (m) return fact(m[1]!.trim(), source, line, raw)
  }

  return undefined
}

export interface IommuVerdict {
  usable: boolean | undefined
  evidence: Array<Fact<string>>
  why: string
}

/**
 * Whether the hypervisor has a usable IOMMU: `hvm_directio`/`pv_directio` in `virt_caps` of `xl info`, or
 * the "I/O virtualisation enabled/disabled" lines of `xl dmesg`. Undefined when neither was collected
 * (ACPI DMAR/IVRS tables only say the firmware describes one, not that Xen uses it).
 */
export function xenIommu(virtCaps: Fact<string> | undefined, xlDmesg: string | undefined): IommuVerdict {
  const lines = xlDmesg === undefined ? {enabled: [], disabled: []} : parseXenIommuLines(xlDmesg, 'xl-dmesg.txt')
  if (lines.disabled.length > 0) return {usable: false, evidence: lines.disabled.slice(0, 2), why: `xl dmesg: ${lines.disabled[0]!.value.trim()}`}
  if (virtCaps && /\b(?:hvm|pv)_directio\b/.test(virtCaps.value)) return {usable: true, evidence: [virtCaps], why: `virt_caps has ${/\bhvm_directio\b/.test(virtCaps.value) ? 'hvm_directio' : 'pv_directio'}`}
  if (lines.enabled.length > 0) return {usable: true, evidence: lines.enabled.slice(0, 2), why: `xl dmesg: ${lines.enabled[0]!.value.trim()}`}
  if (virtCaps) return {usable: false, evidence: [virtCaps], why: `virt_caps (${virtCaps.value.trim()}) has no hvm_directio/pv_directio`}
  return {usable: undefined, evidence: [], why: 'neither `xl info` (virt_caps) nor `xl dmesg` is in the evidence'}
}
