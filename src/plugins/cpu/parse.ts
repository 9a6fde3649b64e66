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
  /** The CPU family, printed (`family 0x6 ...`) or decoded from the CPUID signature (`id 0x906a2`). */
  family?: Fact<number>
  /** `cpu0: SVM disabled by the BIOS`: the CPU has SVM but the firmware locked it off. */
  svmDisabledByBios?: Fact<string>
}

/** Tokens of CPUID 0x80000001:ECX as NetBSD prints them (specialreg.h CPUID_AMD_FLAGS4 / CPUID_INTEL_FLAGS4). */
const EXTENDED_ECX_TOKENS = new Set([
  'LAHF',
  'CMPLEGACY',
  'SVM',
  'EAPIC',
  'ALTMOVCR0',
  'LZCNT',
  'SSE4A',
  'MISALIGNSSE',
  '3DNOWPREFETCH',
  'OSVW',
  'IBS',
  'XOP',
  'SKINIT',
  'WDT',
  'LWP',
  'FMA4',
  'TCE',
  'NODEID',
  'TBM',
  'TOPOEXT',
  'PCEC',
  'PCENB',
  'DBE',
  'PERFTSC',
  'PERFCTRL',
  'MWAITX',
  'ABM',
])

function vendorOf(text: string): Vendor | undefined {
  if (/GenuineIntel|\bIntel\b/i.test(text)) return 'intel'
  if (/AuthenticAMD|\bAMD\b/i.test(text)) return 'amd'
  return undefined
}

function emptyIdentity(): CpuIdentity {
  return {featuresSeen: false, flags: {}, amdExtendedEcxDecoded: false}
}

/**
 * The CPU family of a CPUID signature (`id 0x906ea`): the base family, plus the extended family when the base is 0xf
 * (NetBSD's CPUID_TO_FAMILY, sys/arch/x86/include/specialreg.h).
 */
export function familyOfSignature(signature: number): number {
  const base = (signature >>> 8) & 0xf
  return base === 0xf ? base + ((signature >>> 20) & 0xff) : base
}

/** NetBSD's class of a family: 4 → 486, 5 → 586, every later family (6, 0xf, 0x10…) → 686 (identcpu.c tables). */
export function classOfFamily(family: number): number {
  return family >= 6 ? 6 : Math.max(family, 3)
}

/** `0x1a` or a bare `0` (printf `%#x` prints zero without `0x`). */
const HEX = String.raw`(0x[0-9a-fA-F]+|0)`

const FAMILY_LINE = new RegExp(`^family ${HEX} model ${HEX} stepping ${HEX}(?: \\(id (0x[0-9a-fA-F]+)\\))?`)

/**
 * The body of a cpu0 line: `cpu0: <body>`, or the NetBSD 5/6 attach line that carries the identification itself
 * (`cpu0 at mainbus0 apid 0: Intel 686-class, 2992MHz, id 0x6fb`).
 */
function cpu0Body(t: string): string | undefined {
  const plain = /^cpu0: (.*)$/.exec(t)
  if (plain) return plain[1]!
  const attach = /^cpu0 at [a-z]+\d+(?: [^:]*)?: (.*)$/.exec(t)
  return attach ? attach[1]! : undefined
}

/**
 * NetBSD `cpuctl identify 0` output or the CPU lines of dmesg. Only cpu0 lines are read.
 * VMX/SVM are matched as tokens inside `<...>` of any `cpu0: features…` line: the line names changed between releases.
 * The class comes from every shape the kernels and cpuctl print (docs/sources/readers.md):
 * `Intel Pentium III (Katmai) (686-class), 498.88 MHz, id 0x672` (i386 identcpu.c, cpuctl),
 * `Intel 686-class, 2992MHz, id 0x6fb` (x86 identcpu.c without a brand string), `family 0x6 model 0x17 stepping 0xa (id
 * 0x1067a)`
 * (cpuctl), else the family decoded from `, id 0x...` after a brand string.
 */
export function parseNetbsdCpu(text: string, source: string): CpuIdentity {
  const id = emptyIdentity()
  let decoded: Fact<number> | undefined
  for (const {line, text: raw} of numberedLines(text)) {
    const t = stripKernelTimestamp(raw)
    // Only cpu0 and Hypervisor lines count; most of a dmesg is neither.
    if (!t.startsWith('cpu0') && !t.startsWith('Hypervisor')) continue
    const hv = /^(?:cpu0: Running on hypervisor|Hypervisor):\s*(\S.*)$/.exec(t)
    if (hv) {
      id.hypervisor ??= fact(hv[1]!.trim(), source, line, raw)
      continue
    }

    const body = cpu0Body(t)
    if (body === undefined) continue
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

    // x86 identcpu.c cpu_identify(): the firmware locked SVM off (MSR VMCR SVMDIS and LOCK set).
    if (/^SVM disabled by the BIOS\b/.test(body)) {
      id.svmDisabledByBios ??= fact(body.trim(), source, line, raw)
      continue
    }

    const familyLine = FAMILY_LINE.exec(body)
    if (familyLine) {
      const family = Number.parseInt(familyLine[1]!, 16)
      if (Number.isFinite(family) && family > 0) {
        id.family ??= fact(family, source, line, raw)
        id.cpuClass ??= fact(classOfFamily(family), source, line, raw)
      }

      continue
    }

    const cls = /(?:\(|\b)([3-9])86-class\b\)?/.exec(body)
    if (cls && !id.cpuClass) {
      id.cpuClass = fact(Number(cls[1]), source, line, raw)
      const name = body
        .slice(0, cls.index)
        .replace(/[\s,]+$/, '')
        .trim()
      if (name) id.model ??= fact(name, source, line, raw)
    }

    const brand = /^"(.*)"\s*$/.exec(body)
    if (brand) id.model = fact(brand[1]!.replace(/\s+/g, ' ').trim(), source, line, raw)
    const sig = /, id (0x[0-9a-fA-F]{1,8})\b/.exec(body)
    if (sig && !decoded) {
      const family = familyOfSignature(Number.parseInt(sig[1]!, 16))
      if (family > 0) decoded = fact(family, source, line, raw)
    }

    const vendor = vendorOf(body)
    if (vendor && !id.vendor && (cls || brand || sig)) id.vendor = fact(vendor, source, line, raw)
    if (!id.model && sig) id.model = fact(body.slice(0, sig.index).trim(), source, line, raw)
  }

  if (decoded) {
    id.family ??= decoded
    id.cpuClass ??= fact(classOfFamily(decoded.value), decoded.source, decoded.line, decoded.text)
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
      id.family = fact(family, source, line, raw)
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
