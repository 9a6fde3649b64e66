import {type CheckContext, type Outcome, type CheckDefinition, type Fact, refs} from '../../engine/types.js'
import {type PciAddress, hexBdf, pcictlBdf} from '../../parsers/pci-address.js'
import {type PciFacts, PCICTL, LSPCI, passthroughInUse, deviceAt, type HideSetting} from './facts.js'
import type {PciDevice} from './parse-listing.js'

export const pci = (ctx: CheckContext): PciFacts => ctx.facts('pci')
export const BOOT_EVIDENCE = ['files/boot.cfg', 'files/grub/menu.lst', 'files/boot/grub/menu.lst'] as const
export const LISTINGS = [PCICTL, LSPCI] as const
/** The firmware's ACPI IOMMU tables as Linux shows them (Intel VT-d: DMAR, AMD-Vi: IVRS), listed in ls-paths.txt. */
export const IOMMU_TABLE_PATHS = ['/sys/firmware/acpi/tables/DMAR', '/sys/firmware/acpi/tables/IVRS'] as const
export const HOWTO = 'Howto: Using PCI devices in guest domains'
export const LIST_COMMAND =
  '`pcictl pci0 list -b all > pcictl-all.txt` on the NetBSD host (every bus), or `lspci -nn > lspci.txt` on Linux before installing'

/**
 * Every pci check's `applies`: only where pass-through matters, that is for `--target pci-passthrough` or when the
 * configuration already uses it (a pciback.hide on a dom0 boot line, a `pci = [...]` in a domU config).
 */
export const passthroughApplies: NonNullable<CheckDefinition['applies']> = (ctx) => {
  if (ctx.target === 'pci-passthrough') return undefined
  const f = pci(ctx)
  if (passthroughInUse(f)) return undefined
  const why = f.bootError ? ` (the boot configuration could not be read: ${f.bootError})` : ''
  return `--target ${ctx.target} and the configuration uses no PCI pass-through: no pciback.hide on a dom0 boot line, no pci = [...] in a domU config${why}`
}

export const describe = (d: Fact<PciDevice>) => `${d.value.name}${d.value.classText ? ` (${d.value.classText})` : ''}`
export const both = (a: PciAddress) => `${hexBdf(a)} (pcictl ${pcictlBdf(a)})`

/** A device named in pciback.hide, looked up in the listings. */
export function lookup(
  f: PciFacts,
  a: PciAddress,
): {status: 'found'; device: Fact<PciDevice>} | {status: 'missing'} | {status: 'unlisted'; why: string} {
  const device = deviceAt(f, a)
  if (device) return {status: 'found', device}
  if (f.listingSources.length === 0)
    return {status: 'unlisted', why: 'no PCI listing (pcictl-<bus>.txt or lspci.txt) in the evidence'}
  if (f.devices.length === 0)
    return {
      status: 'unlisted',
      why: `${f.listingSources.join(', ')} list${f.listingSources.length === 1 ? 's' : ''} no device`,
    }
  if (a.bus >= f.fullScanBelow && !f.listedBuses.has(a.bus)) {
    const scan =
      f.fullScanBelow > 0
        ? `; the full scan is cut off before it`
        : `, and none of them scanned every bus (pcictl-all.txt does)`
    return {
      status: 'unlisted',
      why: `bus ${a.bus} is not in ${f.listingSources.join(', ')} (listed buses: ${[...f.listedBuses].sort((x, y) => x - y).join(', ')}${scan})`,
    }
  }

  return {status: 'missing'}
}

export function hiddenDevices(f: PciFacts): {setting?: HideSetting; devices: PciAddress[]} {
  return {setting: f.effective, devices: f.effective?.parse.devices ?? []}
}

export function noHide(f: PciFacts): Outcome {
  if (f.hides.length > 0)
    return {
      status: 'n/a',
      message: 'the pciback.hide found claims no device (see pci.hide-syntax)',
      evidence: refs(...f.hides.map((h) => h.ref)),
    }
  if (!f.bootConfigs)
    return {
      status: 'unknown',
      message: `no boot configuration in the evidence, so which devices are hidden is unknown${f.bootError ? ` (${f.bootError})` : ''}`,
    }
  return {status: 'n/a', message: 'no device is hidden with pciback.hide (see pci.hide-syntax)'}
}
