import type {CheckContext, Fact} from '../../engine/types.js'
import {parseKeyValues} from '../../parsers/key-value.js'
import {numberedLines} from '../../parsers/lines.js'
import {parseLsLd, type PathStatus} from '../../parsers/ls.js'
import {type FstabEntry, type MountEntry, parseFstab, parseMount} from '../../parsers/mount.js'

/**
 * The `host` facts: the general evidence several plugins read (mounts, fstab, listed paths, uname, sysctl).
 * Parsed once per run by the engine; read with `ctx.facts('host')`.
 */
export interface HostFacts {
  /** undefined when mount.txt is missing (say unknown, not "nothing mounted"). */
  mounts?: Array<Fact<MountEntry>>
  fstab?: Array<Fact<FstabEntry>>
  /** `ls -ld` results by absolute path; undefined when ls-paths.txt is missing. */
  paths?: Map<string, Fact<PathStatus>>
  uname?: Fact<string>
  /**
   * The operating system the evidence comes from: the first word of `uname -a` (`NetBSD`, `Linux`),
   * else `Linux` when only Linux evidence (proc-cpuinfo.txt, lspci.txt) is there. Undefined when unknown.
   */
  os?: Fact<string>
  sysctl: Record<string, Fact<string>>
}

export function deriveHostFacts(ctx: Pick<CheckContext, 'evidence'>): HostFacts {
  const text = (name: string) => {
    const e = ctx.evidence.get(name)
    return e.present ? e.text : undefined
  }

  const mount = text('mount.txt')
  const fstab = text('files/etc/fstab')
  const ls = text('ls-paths.txt')
  const uname = text('uname.txt')
  const sysctl = text('sysctl.txt')
  const facts: HostFacts = {sysctl: sysctl === undefined ? {} : parseKeyValues(sysctl, 'sysctl.txt', '=')}
  if (mount !== undefined) facts.mounts = parseMount(mount)
  if (fstab !== undefined) facts.fstab = parseFstab(fstab)
  if (ls !== undefined) facts.paths = parseLsLd(ls)
  const first = uname === undefined ? undefined : numberedLines(uname).find((l) => l.text.trim())
  if (first) facts.uname = {value: first.text.trim(), source: 'uname.txt', line: first.line, text: first.text}
  const osName = first && /^([A-Za-z][\w-]*)\s/.exec(first.text.trim())
  if (first && osName) {
    facts.os = {value: osName[1]!, source: 'uname.txt', line: first.line, text: first.text}
  } else if (!ctx.evidence.get('cpuctl-identify.txt').present && !ctx.evidence.get('dmesg.boot').present) {
    const linux = ['proc-cpuinfo.txt', 'lspci.txt'].find((name) => ctx.evidence.get(name).present)
    if (linux) facts.os = {value: 'Linux', source: linux, line: 0, text: ''}
  }

  return facts
}

/** `ctx.facts('host')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    host: HostFacts
  }
}
