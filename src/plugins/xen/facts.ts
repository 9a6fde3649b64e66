import type {CheckContext, Fact} from '../../engine/types.js'
import {fact} from '../../engine/types.js'
import {parseKeyValues} from '../../parsers/key-value.js'
import {listedPath} from '../../parsers/ls.js'
import {parseXenBootLog} from '../../parsers/xen-boot-log.js'
import type {HostFacts, XenFacts} from '../facts.js'
import {
  type Package,
  branchRelease,
  coerceNetbsdRelease,
  coerceXenVersion,
  eraOf,
  packageXenVersion,
  parseDmesgBanner,
  parsePkgInfo,
  parseUnameLine,
  parseXenDmesg,
  parseXlDmesgVersion,
  xenPackageKind,
} from './parse.js'

const present = (ctx: Pick<CheckContext, 'evidence'>, name: string) => {
  const e = ctx.evidence.get(name)
  return e.present ? e.text : undefined
}

/** The host facts, or an empty set when no plugin provides them (a third-party registry without `host`). */
function hostFacts(ctx: Pick<CheckContext, 'facts'>): HostFacts {
  try {
    return ctx.facts('host')
  } catch {
    return {sysctl: {}}
  }
}

/** `xl info` (Xen 4.x) has `xen_version`; `xm info` of Xen 3.x only `xen_major`, `xen_minor`, `xen_extra`. */
function infoVersion(info: Record<string, Fact<string>>): Fact<string> | undefined {
  if (info.xen_version?.value) return info.xen_version
  const {xen_major: major, xen_minor: minor, xen_extra: extra} = info
  if (major && minor && /^\d+$/.test(major.value) && /^\d+$/.test(minor.value)) {
    return fact(`${major.value}.${minor.value}${extra?.value ?? ''}`, major.source, major.line, major.text)
  }

  return undefined
}

/** Picks the kernel and tools packages; with several xenkernel branches installed, the one matching the tools wins. */
function xenPackages(all: Map<string, Fact<Package>>): {kernel?: Fact<Package>; tools?: Fact<Package>} {
  const kernels: Array<Fact<Package>> = []
  const tools: Array<Fact<Package>> = []
  for (const p of all.values()) {
    const kind = xenPackageKind(p.value.name)
    if (kind?.kind === 'kernel') kernels.push(p)
    else if (kind?.kind === 'tools') tools.push(p)
  }

  const tool = tools.at(-1)
  const toolBranch = tool ? xenPackageKind(tool.value.name)?.branch : undefined
  const kernel = kernels.find((k) => xenPackageKind(k.value.name)?.branch === toolBranch) ?? kernels.at(-1)
  return {kernel, tools: tool}
}

export function deriveXenFacts(ctx: Pick<CheckContext, 'evidence' | 'facts'>): XenFacts {
  const host = hostFacts(ctx)
  const facts: XenFacts = {eraReason: '', packages: {}}

  // NetBSD release: the running kernel (uname) first, then sysctl kern.osrelease, then the dmesg banner.
  const uname = host.uname ? parseUnameLine({line: host.uname.line, text: host.uname.text}, host.uname.source) : {}
  const dmesgText = present(ctx, 'dmesg.boot')
  const banner = dmesgText === undefined ? {} : parseDmesgBanner(dmesgText)
  const ostype = host.sysctl['kern.ostype']
  const osrelease = host.sysctl['kern.osrelease']
  const sysctlRelease =
    osrelease && (!ostype || ostype.value === 'NetBSD') && coerceNetbsdRelease(osrelease.value) ? osrelease : undefined
  if (uname.otherOs) facts.otherOs = uname.otherOs
  const release = uname.release ?? sysctlRelease ?? (uname.otherOs ? undefined : banner.release)
  if (release) {
    facts.netbsdRelease = release
    facts.netbsdVersion = coerceNetbsdRelease(release.value)
  }

  const config = uname.config ?? banner.config
  if (config) facts.kernelConfig = config
  if (banner.arch) facts.kernelPort = banner.arch

  // Running under Xen: the hypervisor line of dmesg, a XEN kernel, or the hypervisor answering `xl info`.
  const signs = dmesgText === undefined ? {} : parseXenDmesg(dmesgText)
  let info: Record<string, Fact<string>> | undefined
  for (const name of ['xl-info.txt', 'xm-info.txt']) {
    const text = present(ctx, name)
    if (text === undefined) continue
    const kv = parseKeyValues(text, name, ':')
    if (infoVersion(kv) || kv.xen_caps) {
      info = kv
      break
    }
  }

  if (info) facts.info = info
  const xlDmesgText = present(ctx, 'xl-dmesg.txt')
  const xlDmesgVersion = xlDmesgText === undefined ? undefined : parseXlDmesgVersion(xlDmesgText)
  const logCommandLine =
    xlDmesgText === undefined ? undefined : parseXenBootLog(xlDmesgText, 'xl-dmesg.txt').commandLine
  const commandLine = info?.xen_commandline ?? logCommandLine
  if (commandLine) facts.commandLine = commandLine
  const runningVersion = (info && infoVersion(info)) ?? signs.hypervisor ?? xlDmesgVersion
  if (runningVersion) facts.runningVersion = runningVersion
  const xenKernel = config && /^XEN/.test(config.value) ? config : undefined
  facts.running = signs.hypervisor ?? runningVersion ?? xenKernel
  if (facts.running) {
    // Signs of dom0: PCI/ISA attached to hypervisor0 (DOM0OPS), a DOM0 kernel, the hypervisor answering
    // xl/xm info or xl dmesg, or /kern/xen/privcmd (created only in a privileged domain, hypervisor.c).
    // Signs of a domU: a DOMU kernel, or xbd/xennet frontends without any dom0 sign. With neither
    // (a PVH dom0 of NetBSD-current boots GENERIC and attaches PCI to mainbus) the role stays unknown.
    const dom0Sign = Boolean(
      signs.dom0Bus ||
      info ||
      (config && /DOM0/.test(config.value)) ||
      xlDmesgVersion ||
      listedPath(host.paths, '/kern/xen/privcmd').state === 'exists',
    )
    const domUSign = Boolean((config && /DOMU/.test(config.value)) || signs.frontend)
    if (config && /DOMU/.test(config.value)) facts.runningDom0 = false
    else if (dom0Sign) facts.runningDom0 = true
    else if (domUSign) facts.runningDom0 = false
  }

  // Packages.
  const pkgText = present(ctx, 'pkg_info.txt')
  if (pkgText !== undefined) {
    const all = parsePkgInfo(pkgText)
    facts.packages.all = all
    const {kernel, tools} = xenPackages(all)
    if (kernel) {
      facts.packages.kernel = kernel
      facts.kernelRelease = branchRelease(xenPackageKind(kernel.value.name)!.branch)
    }

    if (tools) {
      facts.packages.tools = tools
      facts.toolsRelease = branchRelease(xenPackageKind(tools.value.name)!.branch)
    }
  }

  const running = runningVersion ? coerceXenVersion(runningVersion.value) : undefined
  const kernelPkg = facts.packages.kernel
  const kernelPkgVersion = kernelPkg ? packageXenVersion(kernelPkg.value) : undefined
  if (running && runningVersion) facts.xenVersion = {...runningVersion, value: running}
  else if (kernelPkg && kernelPkgVersion) facts.xenVersion = {...kernelPkg, value: kernelPkgVersion}

  // Era: the installed tools decide which toolstack runs (xm/xend or xl); then the kernel package; then the running
  // hypervisor.
  const toolsPkg = facts.packages.tools
  const toolsVersion = toolsPkg ? packageXenVersion(toolsPkg.value) : undefined
  const candidates: Array<[string | undefined, string]> = [
    [
      toolsVersion,
      toolsPkg
        ? `installed tools package ${toolsPkg.value.name}-${toolsPkg.value.version} (pkg_info.txt line ${toolsPkg.line}) is Xen ${toolsVersion}`
        : '',
    ],
    [
      kernelPkgVersion,
      kernelPkg
        ? `installed kernel package ${kernelPkg.value.name}-${kernelPkg.value.version} (pkg_info.txt line ${kernelPkg.line}) is Xen ${kernelPkgVersion}`
        : '',
    ],
    [
      running,
      runningVersion
        ? `the running hypervisor reports Xen ${runningVersion.value} (${runningVersion.source} line ${runningVersion.line})`
        : '',
    ],
  ]
  for (const [version, why] of candidates) {
    const era = version ? eraOf(version) : undefined
    if (!era) continue
    facts.era = era
    facts.eraReason = `${era} era (${era === 'xm' ? 'Xen 3.x/4.1: xend and xm' : 'Xen 4.2 and later: xencommons and xl'}) because the ${why}`
    break
  }

  if (!facts.era) {
    facts.eraReason =
      pkgText === undefined
        ? 'no Xen era assumed: pkg_info.txt is missing and no running hypervisor was found'
        : 'no Xen era assumed: no xenkernel/xentools package in pkg_info.txt and no running hypervisor was found'
  }

  return facts
}

/** `ctx.facts('xen')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    xen: XenFacts
  }
}
