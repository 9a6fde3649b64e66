import {hostname} from 'node:os'
import type {EvidenceSet, Finding, Status} from '../engine/types.js'
import type {Policy, PolicyMarks, PolicySection, Waiver} from './types.js'

/**
 * Statuses a waiver can cover: a problem found or not seen. Pass and n/a need none; a crash proves nothing, so it is
 * never waived.
 */
const WAIVABLE: ReadonlySet<Status> = new Set(['fail', 'warn', 'unknown'])
/** Statuses a `severity` entry changes: the ones that report a problem. */
const ADJUSTABLE: ReadonlySet<Status> = new Set(['fail', 'warn'])

/**
 * A host glob as a regular expression: `*` any run, `?` one character, `[...]` a class (`[!...]` negated),
 * everything else literal; the whole name must match, case ignored (host names are case-insensitive).
 */
export function globToRegExp(glob: string): RegExp {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') out += '.*'
    else if (c === '?') out += '.'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) {
        out += '\\['
        continue
      }

      let body = glob.slice(i + 1, end)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (x) => `\\${x}`)}]`
      i = end
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, (x) => `\\${x}`)
  }

  return new RegExp(`^(?:${out})$`, 'i')
}

/**
 * The names a dump's waivers match: the dump's own name (its directory, or its bundle file without
 * .tar.gz/.tgz) and the node name of its uname.txt, in full and up to the first dot; this host's name when live.
 */
export function hostNames(label: string, evidence: EvidenceSet): string[] {
  const names: string[] = []
  const add = (name: string | undefined) => {
    if (!name) return
    for (const n of [name, name.split('.')[0]!]) if (n && !names.includes(n)) names.push(n)
  }

  if (label === 'live') add(hostname())
  else if (label !== '-')
    add(
      label
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop()
        ?.replace(/\.(tar\.gz|tgz)$/i, ''),
    )
  const uname = evidence.get('uname.txt')
  // `uname -a`: the node name is the second word.
  if (uname.present) add(/^\s*\S+\s+(\S+)/.exec(uname.text)?.[1])
  return names
}

interface Compiled {
  /** Waivers and expired waivers by check id or plugin name. */
  waivers: Map<string, Waiver[]>
  expired: Map<string, Waiver[]>
  globs: Map<Waiver, RegExp[]>
  require: Set<string>
}

const compiled = new WeakMap<Policy, Compiled>()

function compile(policy: Policy): Compiled {
  let c = compiled.get(policy)
  if (c) return c
  const index = (list: Waiver[]) => {
    const map = new Map<string, Waiver[]>()
    for (const w of list) map.set(w.check, [...(map.get(w.check) ?? []), w])
    return map
  }

  const globs = new Map<Waiver, RegExp[]>()
  for (const w of [...policy.waivers, ...policy.expired]) if (w.hosts) globs.set(w, w.hosts.map(globToRegExp))
  c = {waivers: index(policy.waivers), expired: index(policy.expired), globs, require: new Set(policy.require)}
  compiled.set(policy, c)
  return c
}

function appliesTo(c: Compiled, w: Waiver, hosts: readonly string[]): boolean {
  const globs = c.globs.get(w)
  return globs === undefined || globs.some((g) => hosts.some((h) => g.test(h)))
}

function first(c: Compiled, map: Map<string, Waiver[]>, f: Finding, hosts: readonly string[]): Waiver | undefined {
  return [...(map.get(f.id) ?? []), ...(map.get(f.plugin) ?? [])].find((w) => appliesTo(c, w, hosts))
}

/**
 * Applies a site policy to one dump's findings, in this order: `severity` changes a check's warn or fail,
 * `require` turns an unknown into a fail, then a waiver that applies (check id or plugin, host glob, not
 * expired) marks a fail, warn or unknown as waived. Findings the policy does not touch are returned as
 * they are; touched ones are copies. Cheap: a few map lookups per finding, globs compiled once per policy.
 */
export function applyPolicy<F extends Finding>(
  findings: readonly F[],
  policy: Policy,
  hosts: readonly string[],
): {findings: Array<F & PolicyMarks>; section: PolicySection} {
  const c = compile(policy)
  const expired = new Map<Waiver, string[]>()
  for (const w of policy.expired) if (appliesTo(c, w, hosts)) expired.set(w, [])
  const out = findings.map((finding) => {
    let f: F & PolicyMarks = finding
    const severity = policy.severity[f.id] ?? policy.severity[f.plugin]
    if (severity !== undefined && ADJUSTABLE.has(f.status) && severity !== f.status)
      f = {...f, status: severity, adjusted: {from: f.status, by: 'severity'}}
    if (f.status === 'unknown' && (c.require.has(f.id) || c.require.has(f.plugin)))
      f = {...f, status: 'fail', adjusted: {from: 'unknown', by: 'require'}}
    if (!WAIVABLE.has(f.status)) return f
    const waiver = first(c, c.waivers, f, hosts)
    if (waiver) return {...f, waived: {reason: waiver.reason, ...(waiver.expires ? {expires: waiver.expires} : {})}}
    const old = first(c, c.expired, f, hosts)
    if (old) {
      expired.get(old)?.push(f.subject ? `${f.id} [${f.subject}]` : f.id)
      return {...f, waiverExpired: {reason: old.reason, expires: old.expires!}}
    }

    return f
  })
  const section: PolicySection = {
    file: policy.file,
    hosts: [...hosts],
    expired: [...expired].map(([w, ids]) => ({
      check: w.check,
      ...(w.hosts ? {hosts: w.hosts} : {}),
      reason: w.reason,
      expires: w.expires!,
      line: w.line,
      findings: ids,
    })),
  }
  return {findings: out, section}
}

/** Whether a finding counts for the exit code, the verdict and the next steps: every one but a waived one. */
export function counts(f: Finding & PolicyMarks): boolean {
  return f.waived === undefined
}
