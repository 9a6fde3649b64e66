/**
 * Pure parsers of the Xen plugin: pkg_info, rc.conf, NetBSD releases and kernels, Xen versions.
 * None of them throws; garbage yields nothing, never a value that could make a check pass.
 */
import * as semver from '../../util/semver.js'
import {type Fact, fact} from '../../engine/types.js'
import {type NumberedLine, numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'
import {parseXenBootLog} from '../../parsers/xen-boot-log.js'

export interface Package {
  name: string
  version: string
}

/**
 * `pkg_info` output: `name-version  comment` per line (`xenkernel41-4.1.2nb5  Xen 4.1.x Kernel`).
 * The package name is everything before the last `-` that is followed by a digit, so names with
 * dashes (`xentools3-hvm-3.1.4nb7`) split right. Later lines with the same name replace earlier ones.
 */
export function parsePkgInfo(text: string, source = 'pkg_info.txt'): Map<string, Fact<Package>> {
  const out = new Map<string, Fact<Package>>()
  for (const {line, text: raw} of numberedLines(text)) {
    const token = /^(\S+)/.exec(raw)?.[1]
    if (!token) continue
    const m = /^(.+)-(\d[^\s-]*)$/.exec(token)
    if (!m || !/^[A-Za-z0-9]/.test(m[1]!)) continue
    out.set(m[1]!, fact({name: m[1]!, version: m[2]!}, source, line, raw))
  }

  return out
}

/** `xenkernel41` → kind kernel, branch `41`; `xentools3-hvm` is not a kernel/tools package (see `isHvmTools`). */
export function xenPackageKind(name: string): {kind: 'kernel' | 'tools'; branch: string} | undefined {
  const m = /^xen(kernel|tools)(\d*)$/.exec(name)
  if (!m) return undefined
  return {kind: m[1] === 'kernel' ? 'kernel' : 'tools', branch: m[2]!}
}

/**
 * The Xen release a pkgsrc branch suffix stands for: `3` is Xen 3.1 (sysutils/xenkernel3), `30` 3.0,
 * `33` 3.3, `41` 4.1, `411` 4.11, `420` 4.20. The first digit is the major, the rest the minor.
 */
export function branchRelease(branch: string): string | undefined {
  if (branch === '3') return '3.1'
  const m = /^(\d)(\d{1,2})$/.exec(branch)
  return m ? `${m[1]}.${Number(m[2])}` : undefined
}

/** `4.1.2nb5` → `4.1.2`; `3.1.4nb7` → `3.1.4`. The pkgsrc revision (`nbN`) is packaging, not Xen. */
export function stripPkgRevision(version: string): string {
  return version.replace(/nb\d+$/, '')
}

/**
 * Xen version of an installed xenkernel/xentools package, as semver. pkgsrc's 4.18+ packages are
 * snapshots versioned by date (`xenkernel420-20250821nb1`): then the branch (`4.20.0`) is the version.
 */
export function packageXenVersion(pkg: Package): string | undefined {
  const kind = xenPackageKind(pkg.name)
  const release = kind ? branchRelease(kind.branch) : undefined
  const bare = stripPkgRevision(pkg.version)
  const coerced = /^\d{8}/.test(bare) ? null : semver.coerce(bare)
  if (coerced && (!release || `${coerced.major}.${coerced.minor}` === release)) return coerced.version
  return release ? `${release}.0` : coerced?.version
}

/** Coerces a Xen version string (`3.1.4`, `4.18.3-pre_20250701nb0`, `4.2-unstable`) to semver. */
export function coerceXenVersion(text: string): string | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim())
  if (!m) return undefined
  return `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}`
}

/** `xm` for Xen 3.x and 4.1 (xend), `xl` for 4.2 and later (xencommons). */
export function eraOf(version: string): 'xm' | 'xl' | undefined {
  const v = semver.coerce(version)
  if (!v || v.major < 2) return undefined
  return v.major < 4 || (v.major === 4 && v.minor <= 1) ? 'xm' : 'xl'
}

/**
 * `/etc/rc.conf`: `name=value` shell assignments; the last one wins, as when rc.subr sources the file.
 * Quotes are removed; `#` comments and shell statements are ignored.
 */
export function parseRcConf(text: string, source = 'files/etc/rc.conf'): Record<string, Fact<string>> {
  const out: Record<string, Fact<string>> = {}
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s#;]*)\s*(?:[#;].*)?$/.exec(raw)
    if (!m) continue
    const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2')
    out[m[1]!] = fact(value, source, line, raw)
  }

  return out
}

/** rc.subr `checkyesno`: YES, TRUE, ON or 1, in any case. */
export function isYes(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|on|1)$/i.test(value.trim())
}

export interface NetbsdKernel {
  /** Release as printed: `5.1_STABLE`, `10.0`, `9.99.100`. */
  release?: Fact<string>
  /** Kernel configuration name: `XEN3_DOM0`, `XEN3PAE_DOM0`, `GENERIC`. */
  config?: Fact<string>
  /** The port the kernel was compiled for (`amd64`, `i386`, `evbarm`), from the build directory under the banner. */
  arch?: Fact<string>
  /** `uname` of a Linux (or other non-NetBSD) system. */
  otherOs?: Fact<string>
}

const RELEASE = String.raw`(\d+\.\d+(?:\.\d+)*(?:_[A-Za-z0-9]+)*)`

/** `uname -a`: `NetBSD host 5.1_STABLE NetBSD 5.1_STABLE (XEN3_DOM0) #0: ... amd64`. */
export function parseUname(text: string, source = 'uname.txt'): NetbsdKernel {
  const first = numberedLines(text).find((l) => l.text.trim())
  return first ? parseUnameLine(first, source) : {}
}

/** One `uname -a` line (the host facts already picked it out of uname.txt). */
export function parseUnameLine(first: NumberedLine, source = 'uname.txt'): NetbsdKernel {
  const t = first.text.trim()
  const m = new RegExp(`^NetBSD\\s+\\S+\\s+${RELEASE}(?:\\s+NetBSD\\s+\\S+\\s+\\(([^)\\s]+)\\))?`).exec(t)
  if (m) {
    const out: NetbsdKernel = {release: fact(m[1]!, source, first.line, first.text)}
    if (m[2]) out.config = fact(m[2], source, first.line, first.text)
    return out
  }

  const os = /^([A-Z][A-Za-z]+)\s/.exec(t)
  if (os && os[1] !== 'NetBSD') return {otherOs: fact(os[1]!, source, first.line, first.text)}
  return {}
}

const BANNER = new RegExp(`^NetBSD ${RELEASE} \\(([^)\\s]+)\\)`)

/**
 * The banner of a NetBSD dmesg: `NetBSD 5.0.2 (GENERIC) #0: Sat Feb  6 ...` (NetBSD 10 adds a timestamp, and may run
 * the copyright notice on).
 */
export function parseDmesgBanner(text: string, source = 'dmesg.boot'): NetbsdKernel {
  let out: NetbsdKernel = {}
  let bannerLine = -1
  for (const {line, text: raw} of numberedLines(text)) {
    const t = stripKernelTimestamp(raw)
    const m = t.startsWith('NetBSD ') ? BANNER.exec(t) : null
    // The last banner wins: a dmesg buffer may still hold an earlier boot.
    if (m) {
      out = {release: fact(m[1]!, source, line, raw), config: fact(m[2]!, source, line, raw)}
      bannerLine = line
    } else if (line === bannerLine + 1) {
      // sys/conf/newvers.sh prints `${u}@${h}:${d}` under the banner, d being the kernel's build directory:
      // `mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC`, or under an object
      // directory (`.../src/sys/arch/i386/compile/GENERIC`); release dmesgs of 5.1 to 11 print it so. A
      // kernel built elsewhere names no port.
      const port = /^\s*\S+@\S*:\S*\/sys\/arch\/([a-z][a-z0-9]*)\/compile\/[^/\s]+\/?\s*$/.exec(t)
      if (port) out.arch = fact(port[1]!, source, line, raw)
    }
  }

  return out
}

/**
 * A NetBSD release coerced to semver: `5.1_STABLE` → `5.1.0`, `5.0.2` → `5.0.2`, `9.99.100` → `9.99.100`
 * (a -current snapshot between 9 and 10), `6.0_BETA2` → `6.0.0`.
 */
export function coerceNetbsdRelease(release: string): string | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim())
  if (!m) return undefined
  return `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}`
}

export interface XenGuestSigns {
  /** `hypervisor0 at mainbus0: Xen version 3.1.4`. */
  hypervisor?: Fact<string>
  /**
   * `pci0 at hypervisor0 ...` or `isa0 at hypervisor0`: only a dom0 (DOM0OPS) attaches physical buses to the
   * hypervisor.
   */
  dom0Bus?: Fact<string>
  /** `xbd0 at xenbus0` / `xennet0 at xenbus0`: frontends, the signs of a domU. */
  frontend?: Fact<string>
  xenbus?: Fact<string>
}

/** Lines of a NetBSD dmesg that show it runs under Xen, and in which role. */
export function parseXenDmesg(text: string, source = 'dmesg.boot'): XenGuestSigns {
  const out: XenGuestSigns = {}
  for (const {line, text: raw} of numberedLines(text)) {
    const t = stripKernelTimestamp(raw)
    const hv = /^hypervisor0 at \S+?:? Xen version (\d+\.\d+\S*)/.exec(t)
    if (hv) out.hypervisor = fact(hv[1]!, source, line, raw)
    else if (/^(?:pci\d+|isa\d+) at hypervisor0\b/.test(t)) out.dom0Bus ??= fact(t.split(' ')[0]!, source, line, raw)
    else if (/^(?:xbd|xennet)\d+ at xenbus\d+/.test(t)) out.frontend ??= fact(t.split(' ')[0]!, source, line, raw)
    else if (/^xenbus\d+ at hypervisor0\b/.test(t)) out.xenbus ??= fact(t.split(' ')[0]!, source, line, raw)
  }

  return out
}

/** `xl dmesg`: the hypervisor's own banner `(XEN) Xen version 4.19.1 (...)`, with or without console timestamps. */
export function parseXlDmesgVersion(text: string, source = 'xl-dmesg.txt'): Fact<string> | undefined {
  return parseXenBootLog(text, source).version
}
