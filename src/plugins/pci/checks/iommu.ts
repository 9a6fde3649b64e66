import {type CheckDefinition, type EvidenceRef, refOf, refs} from '../../../engine/types.js'
import {listedPath} from '../../../parsers/ls.js'
import {parseXenIommuLines} from '../../../parsers/xen-boot-log.js'
import {HOWTO, IOMMU_TABLE_PATHS, passthroughApplies, pci} from '../common.js'

export const iommu: CheckDefinition = {
  id: 'pci.iommu',
  title: 'DMA exposure of PCI pass-through (IOMMU)',
  since: '0.1.0',
  actor: 'firmware',
  evidence: ['xl-info.txt', 'xm-info.txt', 'xl-dmesg.txt', 'dmesg.boot', 'ls-paths.txt'],
  description:
    'For pass-through, what the hypervisor says about its IOMMU: pass when `virt_caps` of `xl info`/`xm info` has `hvm_directio`/`pv_directio`, or `xl dmesg` says "I/O virtualisation enabled", `Intel VT-d iommu N supported page sizes: …` or `AMD-Vi: IOMMU N Enabled.`; fail when virt_caps lacks directio or `xl dmesg` says "I/O virtualisation disabled", `AMD-Vi: IOMMU not found!`, `AMD-Vi: Error initialization` or `Failed to parse ACPI DMAR.  Disabling VT-d.` (off wins; VT-d feature lines such as `Intel VT-d Snoop Control not enabled.` count for neither); a warning when only the firmware\'s ACPI DMAR/IVRS tables (dmesg, /sys/firmware/acpi/tables on Linux) or nothing is known.',
  why: "Giving a domain access to a PCI device most likely gives it read/write access to the whole physical memory, as PCs don't have an IOMMU to restrict memory access to DMA-capable devices (Howto); pciback(4): the device could overwrite physical memory portions via DMA.",
  remedy:
    'Pass devices only to trusted domUs; on hardware with Intel VT-d or AMD-Vi, enable it in the firmware and check that `xl dmesg` says "I/O virtualisation enabled" and `xl info` lists hvm_directio in virt_caps.',
  references: [HOWTO, 'pciback(4)'],
  applies: passthroughApplies,
  run(ctx) {
    const f = pci(ctx)
    const xen = ctx.optionalFacts('xen').value
    const yes: EvidenceRef[] = []
    const no: EvidenceRef[] = []
    // virt_caps lists hvm_directio/pv_directio only when Xen set up an IOMMU (xl's physinfo "directio" capability).
    const caps = xen?.info?.virt_caps
    if (caps) (/\b(?:hvm|pv)_directio\b/.test(caps.value) ? yes : no).push(refOf(caps))
    const xlDmesg = ctx.evidence.get('xl-dmesg.txt')
    if (xlDmesg.present) {
      const lines = parseXenIommuLines(xlDmesg.text, 'xl-dmesg.txt')
      yes.push(...lines.enabled.slice(0, 3).map((l) => refOf(l)))
      no.push(...lines.disabled.slice(0, 3).map((l) => refOf(l)))
    }

    const tables = (f.dmesg?.iommuTables ?? []).map((l) => refOf(l))
    const paths = ctx.optionalFacts('host').value?.paths
    const sysTables = IOMMU_TABLE_PATHS.flatMap((p) => {
      const listed = listedPath(paths, p)
      return listed.state === 'exists' ? [listed.fact] : []
    })
    const exposure =
      'a domU given a PCI device can read and write all physical memory by DMA unless an IOMMU confines it'
    // Any statement that the IOMMU is off wins: an IOMMU that failed to start (virt_caps without directio) protects
    // nothing.
    if (no.length > 0) {
      return {
        status: 'fail',
        message: `${exposure}; the hypervisor has no usable IOMMU${yes.length > 0 ? ' (the evidence disagrees: some lines show one, others say it is off)' : ''}${tables.length + sysTables.length > 0 ? ', although the firmware describes one (ACPI DMAR/IVRS): enable VT-d/AMD-Vi' : ''}`,
        evidence: refs(...no, ...yes, ...tables, ...sysTables),
        remedy:
          'Enable Intel VT-d or AMD-Vi (IOMMU) in the firmware setup, boot Xen with `iommu=1` (the default), and check that `xl dmesg` says "I/O virtualisation enabled" and `xl info` lists hvm_directio in virt_caps; until then pass devices only to trusted domUs.',
      }
    }

    if (yes.length > 0)
      return {
        status: 'pass',
        message: `the hypervisor uses an IOMMU, which confines the devices' DMA (PV pass-through still trusts the domU with the device itself)`,
        evidence: refs(...yes),
      }
    if (tables.length + sysTables.length > 0) {
      return {
        status: 'warn',
        message: `${exposure}; the firmware describes an IOMMU (ACPI DMAR/IVRS) but whether Xen uses it is unknown (no xl info / xl dmesg)`,
        evidence: refs(...tables, ...sysTables),
      }
    }

    return {
      status: 'warn',
      message: `${exposure}; whether this machine has a usable IOMMU is unknown (no virt_caps, xl dmesg or ACPI DMAR/IVRS evidence)`,
      remedy:
        'Run `xl info > xl-info.txt` and `xl dmesg > xl-dmesg.txt` on the running dom0 (look for hvm_directio and "I/O virtualisation enabled"); pass devices only to trusted domUs.',
    }
  },
}
