import type {CheckContext, Fact} from '../../engine/types.js'
import {findXenHypervisorLine} from '../../parsers/dmesg.js'
import {parseKeyValues} from '../../parsers/key-value.js'
import {numberedLines} from '../../parsers/lines.js'
import {type XenBootLog, parseXenBootLog} from '../../parsers/xen-boot-log.js'
import {type CpuCapabilities, type CpuIdentity, capabilities, parseNetbsdCpu, parseProcCpuinfo} from './parse.js'

/** The `cpu` facts other plugins may read with `ctx.facts('cpu')` (typed through the FactMap entry below). */
export interface CpuFacts {
  identity: CpuIdentity
  caps: CpuCapabilities
  /** `amd64` / `i386` / `x86_64` / ... from `uname -a`. */
  arch?: Fact<string>
  /** Set when this host already runs under Xen (dom0 CPUID may hide VMX/SVM). */
  xenGuest?: Fact<string>
  /** `xen_caps` and `virt_caps` of `xl info` / `xm info`: the authority for HVM on a running dom0. */
  xenCaps?: Fact<string>
  virtCaps?: Fact<string>
  /** The hypervisor's own boot log (`xl dmesg`): `HVM: VMX enabled`, HAP, VMX/SVM disabled by the BIOS. */
  xenBootLog?: XenBootLog
  /** Which evidence files were consulted, in order of preference, and why each was passed over. */
  tried: string[]
}

export const CPU_SOURCES = ['cpuctl-identify.txt', 'dmesg.boot', 'proc-cpuinfo.txt'] as const

export function deriveCpuFacts(ctx: Pick<CheckContext, 'evidence'>): CpuFacts {
  const tried: string[] = []
  let identity: CpuIdentity = {featuresSeen: false, flags: {}, amdExtendedEcxDecoded: false}
  for (const name of CPU_SOURCES) {
    const e = ctx.evidence.get(name)
    if (!e.present) {
      tried.push(`${name}: ${e.reason}`)
      continue
    }

    const parsed = name === 'proc-cpuinfo.txt' ? parseProcCpuinfo(e.text, name) : parseNetbsdCpu(e.text, name)
    if (!parsed.source) {
      tried.push(`${name}: no CPU lines in it`)
      continue
    }

    // A plain (non-verbose) dmesg.boot names the CPU but has no features lines; keep looking for a better source.
    if (!identity.source || (!identity.featuresSeen && parsed.featuresSeen)) identity = parsed
    if (identity.featuresSeen) break
    tried.push(`${name}: no features lines (they reach dmesg only on a verbose boot)`)
  }

  const facts: CpuFacts = {identity, caps: capabilities(identity), tried}
  const uname = ctx.evidence.get('uname.txt')
  if (uname.present) {
    const first = numberedLines(uname.text)[0]
    const arch = first && /\s(amd64|i386|x86_64|i[3-6]86|aarch64|evbarm|[a-z0-9_]+)\s*$/.exec(first.text)
    if (first && arch) facts.arch = {value: arch[1]!, source: 'uname.txt', line: first.line, text: first.text}
    if (first && /XEN3(?:PAE)?_DOM0|XEN_DOM0/.test(first.text))
      facts.xenGuest = {value: 'dom0 kernel', source: 'uname.txt', line: first.line, text: first.text}
  }

  // /proc/cpuinfo only says that there is a hypervisor; the live Linux probe can name it.
  const virt = ctx.evidence.get('linux-virt.txt')
  if (virt.present && identity.hypervisor) {
    const host = parseKeyValues(virt.text, 'linux-virt.txt', ':').virtualHost
    if (host?.value) identity.hypervisor = host
  }

  const dmesg = ctx.evidence.get('dmesg.boot')
  if (dmesg.present) facts.xenGuest = findXenHypervisorLine(dmesg.text, 'dmesg.boot') ?? facts.xenGuest
  for (const name of ['xl-info.txt', 'xm-info.txt']) {
    const info = ctx.evidence.get(name)
    if (!info.present) continue
    const kv = parseKeyValues(info.text, name, ':')
    if (kv.xen_caps) {
      facts.xenCaps = kv.xen_caps
      facts.virtCaps = kv.virt_caps
      break
    }
  }

  const xlDmesg = ctx.evidence.get('xl-dmesg.txt')
  if (xlDmesg.present) {
    const log = parseXenBootLog(xlDmesg.text, 'xl-dmesg.txt')
    if (log.xenLines > 0) facts.xenBootLog = log
  }

  return facts
}

/** `ctx.facts('cpu')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    cpu: CpuFacts
  }
}
