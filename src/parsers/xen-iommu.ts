import type {Fact} from '../engine/types.js'
import {parseXenIommuLines} from './xen-boot-log.js'

export interface IommuVerdict {
  usable: boolean | undefined
  evidence: Array<Fact<string>>
  why: string
}

/**
 * Whether the hypervisor has a usable IOMMU, on the same reading as pci.iommu: `hvm_directio`/`pv_directio` in
 * `virt_caps` of `xl info`, and Xen's own IOMMU lines of `xl dmesg` (the shared boot-log parser). Any statement
 * that it is off wins: an IOMMU that failed to start protects nothing. Undefined when neither was collected
 * (ACPI DMAR/IVRS tables only say the firmware describes one, not that Xen uses it).
 */
export function xenIommu(virtCaps: Fact<string> | undefined, xlDmesg: string | undefined): IommuVerdict {
  const lines = xlDmesg === undefined ? {enabled: [], disabled: []} : parseXenIommuLines(xlDmesg, 'xl-dmesg.txt')
  if (lines.disabled.length > 0)
    return {usable: false, evidence: lines.disabled.slice(0, 2), why: `xl dmesg: ${lines.disabled[0]!.value.trim()}`}
  const directio = virtCaps ? /\b(hvm|pv)_directio\b/.exec(virtCaps.value)?.[0] : undefined
  if (virtCaps && !directio)
    return {
      usable: false,
      evidence: [virtCaps],
      why: `virt_caps (${virtCaps.value.trim()}) has no hvm_directio/pv_directio`,
    }
  if (virtCaps) return {usable: true, evidence: [virtCaps], why: `virt_caps has ${directio}`}
  if (lines.enabled.length > 0)
    return {usable: true, evidence: lines.enabled.slice(0, 2), why: `xl dmesg: ${lines.enabled[0]!.value.trim()}`}
  return {usable: undefined, evidence: [], why: 'neither `xl info` (virt_caps) nor `xl dmesg` is in the evidence'}
}
