import {type Fact, fact} from '../../engine/types.js'
import {numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'

export type Vendor = 'intel' | 'amd' | 'other'

/** What the CPU evidence says, each value with the line it came from. Parsers never throw. */
export interface CpuIdentity {
  /** Which evidence file was read, or undefined when none had CPU lines. */
  source?: string
  vendor?: Fact<Vendor>
  model?: Fact<string>
  /** 4, 5 or 6 for 486/586/686-class. */
  cpuClass?: Fact<number>
  /** True when at least one features line (or a Linux `flags` line) was seen. */
  featuresSeen: boolean
  /** Feature tokens as printed (`VMX`, `SVM`, `PAE`, `EM64T`, `LONG`, or Linux lowercase flags), each with its line. */
  flags: Record<string, Fact<string>>
  /** Whether the kernel decoded CPUID 0x80000001:ECX (the word holding AMD's SVM); old NetBSD kernels did not. */
  amdExtendedEcxDecoded: boolean
  hypervisor?: Fact<string>
}

/** Tokens of CPUID 0x80000001:ECX as NetBSD prints them (specialreg.h CPUID_AMD_FLAGS4 / CPUID_INTEL_FLAGS4). */
const EXTENDED_ECX_TOKENS = new Set(['LAHF', 'CMPLEGACY', 'SVM', 'EAPIC', 'ALTMOVCR0', 'LZCNT', 'SSE4A', 'MISALIGNSSE', '3DNOWPREFETCH', 'OSVW', 'IBS', 'XOP', 'SKINIT', 'WDT', 'LWP', 'FMA4', 'TCE', 'NODEID', 'TBM', 'TOPOEXT', 'PCEC', 'PCENB', 'DBE', 'PERFTSC', 'PERFCTRL', 'MWAITX', 'ABM'])

function vendorOf(text: string): Vendor | undefined {
  if (/GenuineIntel|\bIntel\b/i.test(text)) return 'intel'
  if (/AuthenticAMD|\bAMD\b/i.test(text)) return 'amd'
  return undefined
}

function emptyIdentity(): CpuIdentity {
  return {featuresSeen: false, flags: {}, amdExtendedEcxDecoded: false}
}

/**
 * NetBSD `cpuctl identify 0` output or the CPU lines of dmesg. Only cpu0 lines are read.
 * VMX/SVM are matched as tokens inside `<...>` of any `cpu0: features…` line: the line names changed between releases.
 */
export function parseNetbsdCpu(text: string, source: string): CpuIdentity {
  const id = emptyIdentity()
  for (const {line, text: raw} of numberedLines(text)) {
    const t = stripKernelTimestamp(raw)
    const hv = /^(?:cpu0: Running on hypervisor|Hypervisor):\s*(\S.*)$/.exec(t)
    if (hv) {
      id.hypervisor ??= fact(hv[1]!.trim(), source, line, raw)
      continue
    }

    const m = /^cpu0: (.*)$/.exec(t)
    if (!m) continue
    const body = m[1]!
    const features = /^features\d*\s+0x[0-9a-fA-F]+<([^>]*)>?/.exec(body)
    if (features) {
      id.featuresSeen = true
      for (const rawToken of features[1]!.split(',')) {
        // The Howto's own example marks VMX as *VMX* (wiki emphasis inside the code block).
        const token = rawToken.trim().replace(/^\*+|\*+$/g, '')
        if (!token) continue
        if (EXTENDED_ECX_TOKENS.has(token)) id.amdExtendedEcxDecoded = true
        id.flags[token] ??= fact(token, source, line, raw)
      }

      continue
    }

    const cls = /\(([3-9])86-class\)/.exec(body)
    if (cls && !id.cpuClass) {
      id.cpuClass = fact(Number(cls[1]), source, line, raw)
      const name = body.replace(/\s*\([3-9]86-class\).*$/, '').trim()
      if (name) id.model ??= fact(name, source, line, raw)
    }

    const brand = /^"(.*)"\s*$/.exec(body)
    if (brand) id.model = fact(brand[1]!.replace(/\s+/g, ' ').trim(), source, line, raw)
    const vendor = vendorOf(body)
    if (vendor && !id.vendor && (cls || brand || /, id 0x/.test(body))) id.vendor = fact(vendor, source, line, raw)
    if (!id.model && /, id 0x[0-9a-f]+/i.test(body)) id.model = fact(body.replace(/, id 0x.*$/i, '').trim(), source, line, raw)
  }

  if (id.featuresSeen || id.cpuClass || id.model || id.hypervisor) id.source = source
  return id
}

/** Linux `/proc/cpuinfo`: the first processor block. */
export function parseProcCpuinfo(text: string, source: string): CpuIdentity {
  const id = emptyIdentity()
  let seenProcessor = 0
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^([a-z][a-z _]*?)\s*:\s?(.*)$/i.exec(raw)
    if (!m) continue
    const key = m[1]!.trim().toLowerCase()
    const value = m[2]!.trim()
    if (key === 'processor' && ++seenProcessor > 1) break
    if (key === 'vendor_id') {
      id.vendor = fact(vendorOf(value) ?? 'other', source, line, raw)
    } else if (key === 'model name') {
      id.model = fact(value, source, line, raw)
    } else if (key === 'cpu family' && /^\d+$/.test(value)) {
      const family = Number(value)
      // Family 6 and every later family (15 = Pentium 4/K8, 16+ = AMD) is i686-class or better.
      id.cpuClass = fact(family >= 6 ? 6 : family, source, line, raw)
    } else if (key === 'flags') {
      id.featuresSeen = true
      id.amdExtendedEcxDecoded = true
      for (const token of value.split(/\s+/).filter(Boolean)) id.flags[token] = fact(token, source, line, raw)
      if (id.flags.hypervisor) id.hypervisor ??= fact('unnamed, the `hypervisor` CPU flag is set', source, line, raw)
    }
  }

  if (id.featuresSeen || id.cpuClass || id.model) id.source = source
  return id
}

export interface CpuCapabilities {
  hvm?: Fact<string>
  pae?: Fact<string>
  longMode?: Fact<string>
}

/** The flags that matter, whichever spelling the source uses (NetBSD `VMX`/`EM64T`/`LONG`, Linux `vmx`/`lm`). */
export function capabilities(id: CpuIdentity): CpuCapabilities {
  const f = id.flags
  return {
    hvm: f.VMX ?? f.SVM ?? f.vmx ?? f.svm,
    pae: f.PAE ?? f.pae,
    longMode: f.EM64T ?? f.LONG ?? f.lm,
  }
}
