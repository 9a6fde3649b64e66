import {type CheckContext, type Fact, type CheckDefinition, TARGETS, type EvidenceRef, refOf} from '../../../engine/types.js'
import {parseXenIommuLines} from '../parse.js'
import {HOWTO, xenFacts, refs, whenPassthrough} from '../common.js'


function hostPaths(ctx: CheckContext): Map<string, Fact<{exists: boolean}>> | undefined {
  try {
    return ctx.facts<{paths?: Map<string, Fact<{exists: boolean}>>}>('host').paths
  } catch {
    return undefined
  }
}

export const iommu: CheckDefinition = {
  id: 'pci.iommu',
  title: 'DMA exposure of PCI pass-through (IOMMU)',
  targets: TARGETS,
  evidence: ['xl-info.txt', 'xm-info.txt', 'xl-dmesg.txt', 'dmesg.boot', 'ls-paths.txt'],
  description:
    'Always a warning for pass-through, stating what the evidence shows about an IOMMU: `hvm_directio` in `virt_caps` of `xl info`/`xm info`, VT-d/AMD-Vi/"I/O virtualisation" lines of `xl dmesg`, ACPI DMAR/IVRS tables in dmesg or /sys/firmware/acpi/tables on Linux.',
  why: 'Giving a domain access to a PCI device most likely gives it read/write access to the whole physical memory, as PCs don\'t have an IOMMU to restrict memory access to DMA-capable devices (Howto); pciback(4): the device could overwrite physical memory portions via DMA.',
  remedy: 'Pass devices only to trusted domUs; on hardware with Intel VT-d or AMD-Vi, enable it in the firmware and check that `xl dmesg` says "I/O virtualisation enabled" and `xl info` lists hvm_directio in virt_caps.',
  references: [HOWTO, 'pciback(4)'],
  run: whenPassthrough((f, ctx) => {
    const {xen} = xenFacts(ctx)
    const yes: EvidenceRef[] = []
    const no: EvidenceRef[] = []
    const caps = xen?.info?.virt_caps
    if (caps) (/\b(?:hvm|pv)_directio\b/.test(caps.value) ? yes : no).push(refOf(caps))
    const xlDmesg = ctx.evidence.get('xl-dmesg.txt')
    if (xlDmesg.present) {
      const lines = parseXenIommuLines(xlDmesg.text, 'xl-dmesg.txt')
      yes.push(...lines.enabled.slice(0, 3).map((l) => refOf(l)))
      no.push(...lines.disabled.slice(0, 3).map((l) => refOf(l)))
    }

    const tables = (f.dmesg?.iommuTables ?? []).map((l) => refOf(l))
    const ls = hostPaths(ctx)
    const sysTables = ['/sys/firmware/acpi/tables/DMAR', '/sys/firmware/acpi/tables/IVRS'].map((p) => ls?.get(p)).filter((x): x is Fact<{exists: boolean}> => x !== undefined && x.value.exists)
    const exposure = 'a domU given a PCI device can read and write all physical memory by DMA unless an IOMMU confines it'
    if (no.length > 0 && yes.length === 0) {
      return {status: 'warn', message: `${exposure}; the hypervisor shows no usable IOMMU${tables.length + sysTables.length > 0 ? ' although the firmware describes one (ACPI DMAR/IVRS): enable VT-d/AMD-Vi' : ''}`, evidence: refs(...no, ...tables, ...sysTables)}
    }

    if (yes.length > 0) return {status: 'warn', message: `${exposure}; the evidence shows an IOMMU in use by Xen, which limits the exposure (PV pass-through still trusts the domU with the device)`, evidence: refs(...yes, ...no)}
    if (tables.length + sysTables.length > 0) {
      return {status: 'warn', message: `${exposure}; the firmware describes an IOMMU (ACPI DMAR/IVRS) but whether Xen uses it is unknown (no xl info / xl dmesg)`, evidence: refs(...tables, ...sysTables)}
    }

    return {status: 'warn', message: `${exposure}; whether this machine has a usable IOMMU is unknown (no virt_caps, xl dmesg or ACPI DMAR/IVRS evidence)`, remedy: 'Run `xl info > xl-info.txt` and `xl dmesg > xl-dmesg.txt` on the running dom0 (look for hvm_directio and "I/O virtualisation enabled"); pass devices only to trusted domUs.'}
  }),
}
