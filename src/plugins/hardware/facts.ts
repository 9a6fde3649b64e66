import type {CheckContext, EvidenceRef, Fact} from '../../engine/types.js'
import {bootingXenEntry} from '../boot-entries.js'
import {type AttachmentTree, parseAttachmentTree} from './parse-dmesg.js'

export const DMESG = 'dmesg.boot'
/**
 * A native (non-Xen) boot's dmesg.boot of the same machine, saved by hand before Xen was installed (dump-format.md).
 */
export const NATIVE_DMESG = 'dmesg-native.boot'
/**
 * Where the collectors look for it on the host: nothing keeps an earlier boot's messages, so the admin saves
 * them there while the machine still boots natively (the plugin README says how).
 */
export const NATIVE_DMESG_PATH = '/var/db/xenready/dmesg-native.boot'
export const LSPCI = 'lspci.txt'
export const CPUINFO = 'proc-cpuinfo.txt'

/** A storage or network controller of a Linux host's `lspci -nn` (read through the pci plugin's facts). */
export interface LinuxController {
  kind: 'storage' | 'network'
  name: string
  ref: EvidenceRef
}

/** The `hardware` facts other plugins may read with `ctx.facts('hardware')`. */
export interface HardwareFacts {
  /** The device tree of the boot in dmesg.boot; undefined when dmesg.boot is missing. */
  tree?: AttachmentTree
  /** The attachment tree of dmesg-native.boot, when the dump has one. */
  native?: AttachmentTree
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

/** Other plugins' facts are read through the engine, typed by their FactMap entries; each is optional here. */
export function deriveHardwareFacts(ctx: Pick<CheckContext, 'evidence' | 'optionalFacts'>): HardwareFacts {
  const out: HardwareFacts = {linuxControllers: [], linuxHost: false, lspci: ctx.evidence.get(LSPCI).present}
  const dmesg = ctx.evidence.get(DMESG)
  if (dmesg.present) out.tree = parseAttachmentTree(dmesg.text, DMESG)
  else out.dmesgReason = dmesg.reason
  const native = ctx.evidence.get(NATIVE_DMESG)
  if (native.present) out.native = parseAttachmentTree(native.text, NATIVE_DMESG)

  if (ctx.evidence.get(LSPCI).present) {
    for (const d of ctx.optionalFacts('pci').value?.devices ?? []) {
      if (d.source !== LSPCI || (d.value.kind !== 'storage' && d.value.kind !== 'network')) continue
      out.linuxControllers.push({
        kind: d.value.kind,
        name: d.value.name,
        ref: {source: d.source, line: d.line, text: d.text},
      })
    }
  }

  const boot = ctx.optionalFacts('boot').value
  const entry = bootingXenEntry(boot)
  const pvh = entry?.xen?.args.find((a) => /^dom0=(?:.*,)?pvh(?:,|$)/.test(a))
  if (entry?.xen && pvh) out.pvh = {value: pvh, ...entry.xen.ref}

  const xen = ctx.optionalFacts('xen').value
  out.runningDom0 = xen?.runningDom0
  if (xen?.otherOs) out.otherOs = xen.otherOs
  out.linuxHost = Boolean(out.otherOs) || ctx.evidence.get(LSPCI).present || ctx.evidence.get(CPUINFO).present
  const arch = ctx.optionalFacts('cpu').value?.arch?.value
  if (arch) out.arch = arch === 'x86_64' ? 'amd64' : arch
  return out
}

/** `ctx.facts('hardware')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    hardware: HardwareFacts
  }
}
