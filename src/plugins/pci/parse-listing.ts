/** The PCI device listings, `pcictl pciN list` (NetBSD) and `lspci -nn` (Linux), and the device kinds. Pure readers. */
import {type Fact, fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'
import type {PciAddress} from '../../parsers/pci-address.js'

/** What a device is, for deciding whether it can be passed through. */
export type DeviceKind =
  | 'vga'
  | 'display'
  | 'isa-bridge'
  | 'host-bridge'
  | 'pci-bridge'
  | 'bridge'
  | 'network'
  | 'storage'
  | 'usb'
  | 'multimedia'
  | 'other'

export interface PciDevice {
  address: PciAddress
  /** Vendor and product as printed (`Intel 82599 (SFI/SFP+) 10 GbE Controller`, `vendor 1234 product 1111`). */
  name: string
  /** Class as printed (`VGA display, revision 0x02`, `Ethernet controller [0200]`). */
  classText: string
  kind: DeviceKind
  /** PCI class and subclass codes when the listing prints them (lspci -nn, pcictl -n, unnamed classes). */
  classCode?: number
  subclassCode?: number
  vendorId?: number
  productId?: number
}

/** PCI class codes (PCI_CLASS_*, PCI_SUBCLASS_* of sys/dev/pci/pcireg.h) that decide passability. */
export function kindFromCodes(cls: number, sub: number): DeviceKind {
  if (cls === 0x03) return sub === 0x00 ? 'vga' : 'display'
  if (cls === 0x00 && sub === 0x01) return 'vga' // prehistoric VGA
  if (cls === 0x06)
    return sub === 0x00
      ? 'host-bridge'
      : sub === 0x01
        ? 'isa-bridge'
        : sub === 0x04 || sub === 0x09
          ? 'pci-bridge'
          : 'bridge'
  if (cls === 0x02) return 'network'
  if (cls === 0x01) return 'storage'
  if (cls === 0x0c && sub === 0x03) return 'usb'
  if (cls === 0x04) return 'multimedia'
  return 'other'
}

/**
 * The class part of pci_devinfo() (sys/dev/pci/pci_subr.c): `<subclass> <class>`, or
 * `<class>, subclass 0x..`, or `class 0x.., subclass 0x..`, then `, <interface>` and `, revision 0x..`.
 */
export function kindFromNetbsdClass(text: string): {kind: DeviceKind; classCode?: number; subclassCode?: number} {
  const first = text.split(', ')[0]!.trim()
  const numeric = /^class 0x([0-9a-f]{2})$/i.exec(first)
  if (numeric) {
    const sub = /subclass 0x([0-9a-f]{2})/i.exec(text)
    const cls = Number.parseInt(numeric[1]!, 16)
    const subclass = sub ? Number.parseInt(sub[1]!, 16) : 0
    return {kind: kindFromCodes(cls, subclass), classCode: cls, subclassCode: subclass}
  }

  const f = first.toLowerCase()
  if (f === 'vga display' || f === 'vga prehistoric') return {kind: 'vga'}
  if (f.endsWith(' display') || f === 'display') return {kind: 'display'}
  if (f === 'isa bridge') return {kind: 'isa-bridge'}
  if (f === 'host bridge') return {kind: 'host-bridge'}
  if (f === 'pci bridge' || f === 'semi-transparent pci bridge') return {kind: 'pci-bridge'}
  if (f.endsWith(' bridge') || f === 'bridge') return {kind: 'bridge'}
  if (f.endsWith(' network') || f === 'network') return {kind: 'network'}
  if (f.endsWith(' mass storage') || f === 'mass storage') return {kind: 'storage'}
  if (f === 'usb serial bus') return {kind: 'usb'}
  if (f.endsWith(' multimedia') || f === 'multimedia') return {kind: 'multimedia'}
  return {kind: 'other'}
}

/** Splits `Name (with parens) (class text)` at the parenthesised group that ends the line. */
function splitTrailingParens(s: string): {name: string; inner?: string} {
  const t = s.trimEnd()
  if (!t.endsWith(')')) return {name: t}
  let depth = 0
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] === ')') depth++
    else if (t[i] === '(') {
      depth--
      if (depth === 0) return {name: t.slice(0, i).trim(), inner: t.slice(i + 1, -1)}
    }
  }

  return {name: t}
}

function idsFromNetbsdName(name: string): {vendorId?: number; productId?: number} {
  const both = /^(?:unmatched )?vendor (?:0x)?([0-9a-f]{4}) product (?:0x)?([0-9a-f]{4})$/i.exec(name)
  if (both) return {vendorId: Number.parseInt(both[1]!, 16), productId: Number.parseInt(both[2]!, 16)}
  const product = / product (?:0x)?([0-9a-f]{4})$/i.exec(name)
  if (product) return {productId: Number.parseInt(product[1]!, 16)}
  return {}
}

/**
 * `pcictl pciN list` (usr.sbin/pcictl/pcictl.c rev 1.11 to 1.22, docs/sources/readers.md): scan_pci_list()
 * prints `%03u:%02u:%01u: ` (bus, device, function in DECIMAL), then pci_devinfo() text (`vendor 1234 product 1111
 * (...)` for a device without a name), or with `-n` `0x%08x (0x%08x)` (id register, class register); from rev 1.20
 * (2014; every release from NetBSD 8 on) `-N` appends ` [%s]`, the attached device's name (`[wm0]`). Which buses
 * a listing covers: pcictlCoverage().
 */
export function parsePcictlList(text: string, source: string): Array<Fact<PciDevice>> {
  const out: Array<Fact<PciDevice>> = []
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^(\d{1,3}):(\d{1,2}):(\d): (.+)$/.exec(raw.trim())
    if (!m) continue
    const address = {domain: 0, bus: Number(m[1]), device: Number(m[2]), function: Number(m[3])}
    if (address.bus > 255 || address.device > 31 || address.function > 7) continue
    // `-N`'s name comes from pci_drvname(pcifd, dev, func), which asks pciN's own bus whatever bus is listed:
    // not trusted, only removed.
    const rest = m[4]!.replace(/ \[[a-z][a-z0-9_]*\d+\]$/, '')
    const numbers = /^0x([0-9a-f]{8}) \(0x([0-9a-f]{8})\)$/i.exec(rest)
    if (numbers) {
      const id = Number.parseInt(numbers[1]!, 16)
      const cls = Number.parseInt(numbers[2]!, 16)
      const classCode = (cls >>> 24) & 0xff
      const subclassCode = (cls >>> 16) & 0xff
      const device: PciDevice = {
        address,
        name: `vendor ${(id & 0xffff).toString(16).padStart(4, '0')} product ${(id >>> 16).toString(16).padStart(4, '0')}`,
        classText: `class 0x${classCode.toString(16).padStart(2, '0')}, subclass 0x${subclassCode.toString(16).padStart(2, '0')}`,
        kind: kindFromCodes(classCode, subclassCode),
        classCode,
        subclassCode,
        vendorId: id & 0xffff,
        productId: id >>> 16,
      }
      out.push(fact(device, source, line, raw))
      continue
    }

    const {name, inner} = splitTrailingParens(rest)
    const cls = inner === undefined ? {kind: 'other' as const} : kindFromNetbsdClass(inner)
    out.push(fact({address, name, classText: inner ?? '', ...cls, ...idsFromNetbsdName(name)}, source, line, raw))
  }

  return out
}

/** lspci's class names (pciutils pci.ids) for the kinds that matter, when `-nn` codes are absent. */
function kindFromLspciClass(name: string): DeviceKind {
  const n = name.toLowerCase()
  if (n === 'vga compatible controller') return 'vga'
  if (n.includes('display controller') || n === '3d controller' || n === 'xga compatible controller') return 'display'
  if (n === 'isa bridge') return 'isa-bridge'
  if (n === 'host bridge') return 'host-bridge'
  if (n === 'pci bridge') return 'pci-bridge'
  if (n.endsWith('bridge')) return 'bridge'
  if (n.includes('ethernet') || n.includes('network controller')) return 'network'
  if (
    n.includes('storage') ||
    n.includes('ide interface') ||
    n.includes('sata') ||
    n.includes('raid') ||
    n.includes('scsi') ||
    n.includes('non-volatile memory')
  )
    return 'storage'
  if (n.startsWith('usb')) return 'usb'
  if (n.includes('audio') || n.includes('multimedia')) return 'multimedia'
  return 'other'
}

/** `lspci -nn` (and `-D`): `[dddd:]bb:dd.f Class name [cccc]: Vendor Device [vvvv:pppp] (rev xx)`, numbers HEX. */
export function parseLspci(text: string, source: string): Array<Fact<PciDevice>> {
  const out: Array<Fact<PciDevice>> = []
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^(?:([0-9a-f]{4,8}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) (.+?)(?: \[([0-9a-f]{4})\])?: (.*)$/i.exec(
      raw.trimEnd(),
    )
    if (!m) continue
    const address = {
      domain: Number.parseInt(m[1] ?? '0', 16),
      bus: Number.parseInt(m[2]!, 16),
      device: Number.parseInt(m[3]!, 16),
      function: Number(m[4]),
    }
    if (address.device > 31) continue
    let name = m[7]!.replace(/ \((?:rev [0-9a-f]+|prog-if [^)]*)\)/gi, '').trim()
    const ids = /\s*\[([0-9a-f]{4}):([0-9a-f]{4})\]$/i.exec(name)
    const device: PciDevice = {
      address,
      name,
      classText: m[6] ? `${m[5]!} [${m[6]}]` : m[5]!,
      kind: kindFromLspciClass(m[5]!),
    }
    if (ids) {
      name = name.slice(0, ids.index).trim()
      device.name = name
      device.vendorId = Number.parseInt(ids[1]!, 16)
      device.productId = Number.parseInt(ids[2]!, 16)
    }

    if (m[6]) {
      const code = Number.parseInt(m[6], 16)
      device.classCode = code >> 8
      device.subclassCode = code & 0xff
      device.kind = kindFromCodes(device.classCode, device.subclassCode)
    }

    out.push(fact(device, source, line, raw))
  }

  return out
}
