import type {CheckContext, EvidenceRef, Fact} from '../../engine/types.js'
import type {PciTable} from '../../reports/pci-table.js'
import type {BootEntry, ConfigValue} from '../facts.js'
import {type PciAddress, addressKey} from '../../parsers/pci-address.js'
import {type HideParse, parseHideValue} from './parse-hide.js'
import {type PciDevice, parseLspci, parsePcictlList} from './parse-listing.js'
import {
  type DmesgPci,
  type KernXenPciListing,
  parseAssignableList,
  parseDmesgPci,
  parseKernXenPciListing,
} from './parse-dom0.js'
import {type DomuPciEntry, parseDomuPciEntry} from './parse-domu.js'
import {buildPciTable} from './table.js'

export const PCICTL = 'pcictl-{bus}.txt'
/**
 * `pcictl pci0 list -b all`: every bus (0-255) on every pcictl revision read, rev 1.11 (2007, NetBSD 5, where a
 * plain `list` scans only the bus of pciN) to rev 1.22 (2016, NetBSD 8 to HEAD, where it scans every bus, as since
 * rev 1.18 of 2011 and NetBSD 6): parse_bdf() turns `all`/`any` into the wildcard. docs/sources/readers.md.
 */
export const PCICTL_ALL = 'pcictl-all.txt'
export const LSPCI = 'lspci.txt'
export const ASSIGNABLE = 'xl-pci-assignable-list.txt'
export const KERN_XEN_PCI = 'ls-kern-xen-pci.txt'

/** One `pciback.hide=` found in the boot configuration. */
export interface HideSetting {
  entry: BootEntry
  /** The boot line it is on. */
  ref: EvidenceRef
  /** The argument as written (`pciback.hide=(00:0a.0)`). */
  arg: string
  parse: HideParse
  /** Where it was: the dom0 line (right) or the Xen line (never reaches NetBSD). */
  on: 'dom0' | 'xen'
  /** Several `pciback.hide=` on one line: the kernel keeps the last. */
  overridden: string[]
  /** Arguments right after it that look like the rest of the list, split off by a blank. */
  strays: string[]
  /** `xen-pciback.hide=`: Linux's spelling, which a NetBSD dom0 ignores. */
  linuxSpelling: boolean
  /** Characters of the command line before the end of the value (the kernel truncates the line at 255). */
  endOffset: number
}

export interface DomuPci {
  source: string
  ref: EvidenceRef
  entries: DomuPciEntry[]
}

export interface PciFacts {
  /** Devices from the pcictl and lspci listings. */
  devices: Array<Fact<PciDevice>>
  /** Evidence names the devices came from. */
  listingSources: string[]
  /** Buses a listing showed in full (the last bus of a cut-off listing is not). */
  listedBuses: Set<number>
  /**
   * Every bus below this number was scanned by a full scan (lspci, `pcictl-all.txt`, or a pcictl listing holding
   * several buses): a device missing on such a bus does not exist. 256: all; 0: no full scan.
   */
  fullScanBelow: number
  hides: HideSetting[]
  /** The hide list that matters: the default entry's, else the first entry that has one. */
  effective?: HideSetting
  /** Why the boot facts were unavailable, when they were. */
  bootError?: string
  bootConfigs: boolean
  /** Evidence names of the boot configurations read (when the boot plugin says). */
  bootConfigSources: string[]
  assignable?: Array<Fact<PciAddress>>
  dmesg?: DmesgPci
  kernXenPci?: KernXenPciListing
  domus: DomuPci[]
  domuError?: string
  /**
   * The device table `xenready pci` prints, with the exact pciback.hide string for the devices picked (`--device`,
   * as the user typed them): how the command reads this plugin's knowledge without importing it.
   */
  table(picked?: readonly string[]): PciTable
}

const HIDE_NAME = /^(xen-)?pciback\.hide=/i
/** Looks like the tail of a group list split off by a blank: `(00:06.0)`, `0a.0)`. */
const STRAY = /^[(]?[0-9a-fA-Fx:.+-]*[)](?:\([^)]*\))*$|^\([0-9a-fA-Fx:.+-]*\)?$/

function hidesOn(entry: BootEntry, on: 'dom0' | 'xen'): HideSetting | undefined {
  const line = on === 'dom0' ? entry.dom0 : entry.xen
  if (!line) return undefined
  const args = line.args
  const indexes = args.flatMap((a, i) => (HIDE_NAME.test(a) ? [i] : []))
  if (indexes.length === 0) return undefined
  // xen_parse_cmdline overwrites xcp_pcidevs at each match: the last pciback.hide= wins.
  const netbsd = indexes.filter((i) => /^pciback\.hide=/i.test(args[i]!))
  const chosen = netbsd.at(-1) ?? indexes.at(-1)!
  const arg = args[chosen]!
  const value = arg.slice(arg.indexOf('=') + 1)
  const strays: string[] = []
  for (let i = chosen + 1; i < args.length && STRAY.test(args[i]!); i++) strays.push(args[i]!)
  const endOffset = args.slice(0, chosen + 1).join(' ').length
  return {
    entry,
    ref: line.ref,
    arg,
    parse: parseHideValue(value),
    on,
    overridden: netbsd.slice(0, -1).map((i) => args[i]!),
    strays,
    linuxSpelling: netbsd.length === 0,
    endOffset,
  }
}

function stringsOf(v: ConfigValue): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.flatMap((x) => stringsOf(x))
  return []
}

export function derivePciFacts(ctx: Pick<CheckContext, 'evidence' | 'optionalFacts'>): PciFacts {
  const f: PciFacts = {
    devices: [],
    listingSources: [],
    listedBuses: new Set(),
    fullScanBelow: 0,
    hides: [],
    bootConfigs: false,
    bootConfigSources: [],
    domus: [],
    table: (picked) => buildPciTable(f, picked),
  }
  // pcictl-all.txt sorts first, so the full scan names each address; the per-bus files of a pcictl that scans
  // every bus by default repeat it.
  for (const name of ctx.evidence.names(PCICTL).sort()) {
    const e = ctx.evidence.get(name)
    if (!e.present) continue
    const devices = parsePcictlList(e.text, name)
    f.listingSources.push(name)
    const c = pcictlCoverage(devices, e.text, name === PCICTL_ALL)
    for (const b of c.buses) f.listedBuses.add(b)
    f.fullScanBelow = Math.max(f.fullScanBelow, c.fullScanBelow)
    const known = new Set(f.devices.map((d) => addressKey(d.value.address)))
    f.devices.push(...devices.filter((d) => !known.has(addressKey(d.value.address))))
  }

  const lspci = ctx.evidence.get(LSPCI)
  if (lspci.present) {
    const devices = parseLspci(lspci.text, LSPCI)
    f.listingSources.push(LSPCI)
    if (devices.length > 0) f.fullScanBelow = 256
    // pcictl wins for the same address (it is what the NetBSD kernel sees).
    const known = new Set(f.devices.map((d) => addressKey(d.value.address)))
    for (const d of devices) {
      f.listedBuses.add(d.value.address.bus)
      if (!known.has(addressKey(d.value.address))) f.devices.push(d)
    }
  }

  const {value: boot, reason: bootError} = ctx.optionalFacts('boot')
  if (bootError !== undefined) f.bootError = bootError
  if (boot) {
    f.bootConfigs = boot.loaders.length > 0
    f.bootConfigSources = boot.configSources
    for (const entry of boot.entries) {
      for (const on of ['dom0', 'xen'] as const) {
        const h = hidesOn(entry, on)
        if (h) f.hides.push(h)
      }
    }

    const usable = f.hides.filter((h) => h.on === 'dom0' && !h.linuxSpelling)
    f.effective = usable.find((h) => h.entry.isDefault) ?? usable[0]
  }

  const assignable = ctx.evidence.get(ASSIGNABLE)
  if (assignable.present) f.assignable = parseAssignableList(assignable.text, ASSIGNABLE)
  const dmesg = ctx.evidence.get('dmesg.boot')
  if (dmesg.present) f.dmesg = parseDmesgPci(dmesg.text, 'dmesg.boot')
  const kern = ctx.evidence.get(KERN_XEN_PCI)
  if (kern.present) f.kernXenPci = parseKernXenPciListing(kern.text, KERN_XEN_PCI)

  const {value: domu, reason: domuError} = ctx.optionalFacts('domu')
  if (domuError !== undefined) f.domuError = domuError
  for (const config of domu?.configs ?? []) {
    const pci = config.values.pci
    if (!pci) continue
    f.domus.push({
      source: config.source,
      ref: {source: pci.source, line: pci.line, text: pci.text},
      entries: stringsOf(pci.value).map((s) => parseDomuPciEntry(s)),
    })
  }

  return f
}

/**
 * What one pcictl listing proves absent. pcictl scans buses in ascending order and prints nothing for a bus
 * without devices (scan_pci() of pcictl.c), so: a listing holding several buses, or pcictl-all.txt, was a full
 * scan (one run of `pcictl pciN list` on NetBSD 5, or `-b N`, shows one bus); a listing cut off (no final
 * newline) proves nothing about its last bus and the buses after it.
 */
export function pcictlCoverage(
  devices: Array<Fact<PciDevice>>,
  text: string,
  allFile: boolean,
): {buses: Set<number>; fullScanBelow: number} {
  const buses = new Set(devices.map((d) => d.value.address.bus))
  const last = devices.at(-1)?.value.address.bus
  if (last === undefined) return {buses, fullScanBelow: 0}
  const complete = text.endsWith('\n')
  if (!complete) buses.delete(last)
  const full = allFile || new Set(devices.map((d) => d.value.address.bus)).size > 1
  return {buses, fullScanBelow: full ? (complete ? 256 : last) : 0}
}

/** The listed device at this address. */
export function deviceAt(f: PciFacts, a: PciAddress): Fact<PciDevice> | undefined {
  const k = addressKey(a)
  return f.devices.find((d) => addressKey(d.value.address) === k)
}

/** Whether the configuration itself uses pass-through, with the evidence that shows it. */
export function passthroughInUse(f: PciFacts): EvidenceRef | undefined {
  const hide = f.hides[0]
  if (hide) return hide.ref
  const domu = f.domus[0]
  if (domu) return domu.ref
  return undefined
}

/** `ctx.facts('pci')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    pci: PciFacts
  }
}
