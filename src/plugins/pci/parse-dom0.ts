/**
 * What a running dom0 says of its PCI devices: `xl pci-assignable-list`, `ls -l /kern/xen/pci` and the kernel's
 * attach and pciback lines in dmesg. Pure readers.
 */
import {type Fact, fact} from '../../engine/types.js'
import {numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'
import {type PciAddress, addressKey} from '../../parsers/pci-address.js'

const DOMAIN_BDF = /\b([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])\b/i

function domainBdfAddress(m: RegExpExecArray): PciAddress {
  return {
    domain: Number.parseInt(m[1]!, 16),
    bus: Number.parseInt(m[2]!, 16),
    device: Number.parseInt(m[3]!, 16),
    function: Number(m[4]),
  }
}

const ASSIGNABLE_LINE = new RegExp(`^\\s*${DOMAIN_BDF.source}`, 'i')
const KERN_XEN_PCI_ENTRY = new RegExp(`(?:^|\\s)${DOMAIN_BDF.source}\\s*$`, 'i')

/** `xl pci-assignable-list`: one `0000:01:0a.0` per line (newer xl may add more after it). */
export function parseAssignableList(text: string, source: string): Array<Fact<PciAddress>> {
  const out: Array<Fact<PciAddress>> = []
  for (const {line, text: raw} of numberedLines(text)) {
    const m = ASSIGNABLE_LINE.exec(raw)
    if (m) out.push(fact(domainBdfAddress(m), source, line, raw))
  }

  return out
}

export interface KernXenPciListing {
  /** false when ls reported the directory missing (no pciback.hide at boot, or kernfs not mounted). */
  exists: boolean
  entries: Map<string, Fact<PciAddress>>
  /** The error line, when ls failed. */
  error?: Fact<string>
}

/**
 * `ls -l /kern/xen/pci` (or plain `ls`): one entry per device claimed by pciback, named
 * `0000:%02x:%02x.%x` (pciback_pci_attach, sys/arch/xen/xen/pciback.c).
 */
export function parseKernXenPciListing(text: string, source: string): KernXenPciListing {
  const out: KernXenPciListing = {exists: true, entries: new Map()}
  for (const {line, text: raw} of numberedLines(text)) {
    if (/^ls: /.test(raw)) {
      out.exists = false
      out.error = fact(raw, source, line, raw)
      continue
    }

    const m = KERN_XEN_PCI_ENTRY.exec(raw)
    if (m) {
      const address = domainBdfAddress(m)
      out.entries.set(addressKey(address), fact(address, source, line, raw))
    }
  }

  return out
}

export interface DmesgPci {
  /** `pciN` instance → bus number, from `pci1 at ppb0 bus 1`. */
  busOf: Map<string, number>
  /** Every `driverN at pciM dev D function F` line, by address (decimal numbers in dmesg). */
  attachments: Map<string, Array<Fact<{driver: string; address: PciAddress}>>>
  /** `pciback_pci_init: syntax error at ...` and `... syntax error at char X` lines. */
  hideErrors: Array<Fact<string>>
  /** `pciback_pci_init: hide claim device b:d:f` (verbose boot), hex. */
  claims: Array<Fact<PciAddress>>
  /** ACPI `DMAR` / `IVRS` table lines (an IOMMU described by the firmware). */
  iommuTables: Array<Fact<string>>
}

/** Kernel messages about PCI attachment, pciback and IOMMU tables in a NetBSD dmesg (or a Linux one). */
export function parseDmesgPci(text: string, source: string): DmesgPci {
  const out: DmesgPci = {busOf: new Map(), attachments: new Map(), hideErrors: [], claims: [], iommuTables: []}
  const pending: Array<{line: number; raw: string; driver: string; pci: string; device: number; func: number}> = []
  for (const {line, text: raw} of numberedLines(text)) {
    const t = stripKernelTimestamp(raw)
    const bus = /^(pci\d+) at \S+ bus (\d+)/.exec(t)
    if (bus) out.busOf.set(bus[1]!, Number(bus[2]))
    const at = /^([a-z][a-z0-9_]*?\d+) at (pci\d+) dev (\d+) function (\d+)\b/.exec(t)
    if (at) pending.push({line, raw, driver: at[1]!, pci: at[2]!, device: Number(at[3]), func: Number(at[4])})
    if (/pciback_pci_init: syntax error at/.test(t)) out.hideErrors.push(fact(t, source, line, raw))
    const claim = /pciback_pci_init: hide claim device ([0-9a-f]+):([0-9a-f]+):([0-9a-f]+)/i.exec(t)
    if (claim)
      out.claims.push(
        fact(
          {
            domain: 0,
            bus: Number.parseInt(claim[1]!, 16),
            device: Number.parseInt(claim[2]!, 16),
            function: Number.parseInt(claim[3]!, 16),
          },
          source,
          line,
          raw,
        ),
      )
    if (/\bACPI: (?:DMAR|IVRS)\b/.test(t)) out.iommuTables.push(fact(t, source, line, raw))
  }

  // Bus numbers are known only once every `pciN at ... bus B` line is read; pciN is bus N when never said.
  for (const p of pending) {
    const address = {domain: 0, bus: out.busOf.get(p.pci) ?? Number(p.pci.slice(3)), device: p.device, function: p.func}
    const k = addressKey(address)
    const list = out.attachments.get(k) ?? []
    list.push(fact({driver: p.driver, address}, source, p.line, p.raw))
    out.attachments.set(k, list)
  }

  return out
}
