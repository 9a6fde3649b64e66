import type {CheckContext, EvidenceRef, Fact} from '../../engine/types.js'
import {type AttachmentTree, parseAttachmentTree} from './parse-dmesg.js'

export const DMESG = 'dmesg.boot'
export const LSPCI = 'lspci.txt'
export const CPUINFO = 'proc-cpuinfo.txt'

/** A storage or network controller of a Linux host's `lspci -nn` (read through the pci plugin's facts). */
export interface LinuxController {
  kind: 'storage' | 'network'
  name: string
  ref: EvidenceRef
}

/** The `hardware` facts other plugins may read with `ctx.facts<HardwareFacts>('hardware')`. */
export interface HardwareFacts {
  /** The device tree of the boot in dmesg.boot; undefined when dmesg.boot is missing. */
  tree?: AttachmentTree
  /** Why dmesg.boot could not be read. */
  dmesgReason?: string
  /** Storage and network controllers of lspci.txt (Linux before NetBSD is installed). */
  linuxControllers: LinuxController[]
  /** `dom0=pvh` on the Xen line of the default boot entry (or the first Xen entry): the dom0 kernel is GENERIC. */
  pvh?: Fact<string>
  /** NetBSD architecture from uname (`amd64`, `i386`). */
  arch?: string
  /** Running hypervisor and kernel facts of the xen plugin, when available. */
  runningDom0?: boolean
  otherOs?: Fact<string>
  /** Evidence says Linux (uname, lspci.txt or /proc/cpuinfo): a host before NetBSD is installed. */
  linuxHost: boolean
  /** lspci.txt is in the evidence. */
  lspci: boolean
}

/** The parts of other plugins' facts this plugin reads; declared here so that it imports nothing of theirs. */
interface PciFactsView {
  devices: Array<Fact<{name: string; kind: string}>>
}
interface BootFactsView {
  entries: Array<{isDefault: boolean; xen?: {args: string[]; ref: EvidenceRef}}>
}
interface XenFactsView {
  runningDom0?: boolean
  otherOs?: Fact<string>
}
interface CpuFactsView {
  arch?: Fact<string>
}

function facts<T>(ctx: Pick<CheckContext, 'facts'>, name: string): T | undefined {
  try {
    return ctx.facts<T>(name)
  } catch {
    return undefined
  }
}

export function deriveHardwareFacts(ctx: Pick<CheckContext, 'evidence' | 'facts'>): HardwareFacts {
  const out: HardwareFacts = {linuxControllers: [], linuxHost: false, lspci: ctx.evidence.get(LSPCI).present}
  const dmesg = ctx.evidence.get(DMESG)
  if (dmesg.present) out.tree = parseAttachmentTree(dmesg.text, DMESG)
  else out.dmesgReason = dmesg.reason

  if (ctx.evidence.get(LSPCI).present) {
    for (const d of facts<PciFactsView>(ctx, 'pci')?.devices ?? []) {
      if (d.source !== LSPCI || (d.value.kind !== 'storage' && d.value.kind !== 'network')) continue
      out.linuxControllers.push({kind: d.value.kind, name: d.value.name, ref: {source: d.source, line: d.line, text: d.text}})
    }
  }

  const boot = facts<BootFactsView>(ctx, 'boot')
  const xenEntries = (boot?.entries ?? []).filter((e) => e.xen)
  const entry = xenEntries.find((e) => e.isDefault) ?? xenEntries[0]
  const pvh = entry?.xen?.args.find((a) => /^dom0=(?:.*,)?pvh(?:,|$)/.test(a))
  if (entry?.xen && pvh) out.pvh = {value: pvh, ...entry.xen.ref}

  const xen = facts<XenFactsView>(ctx, 'xen')
  out.runningDom0 = xen?.runningDom0
  if (xen?.otherOs) out.otherOs = xen.otherOs
  out.linuxHost = Boolean(out.otherOs) || ctx.evidence.get(LSPCI).present || ctx.evidence.get(CPUINFO).present
  const arch = facts<CpuFactsView>(ctx, 'cpu')?.arch?.value
  if (arch) out.arch = arch === 'x86_64' ? 'amd64' : arch
  return out
}

/** `ctx.facts('hardware')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    hardware: HardwareFacts
  }
}
