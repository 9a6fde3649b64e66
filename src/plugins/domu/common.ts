import {type Outcome, type CheckContext, type EvidenceRef, type Fact, absentFrom} from '../../engine/types.js'
import type {DomuConfigDetail} from './facts.js'
import {type PathStatus, listedPath} from '../../parsers/ls.js'
import {type GuestKind, guestKind} from './parse-entries.js'
import {asString} from '../../parsers/xen-config.js'

export type Status = Outcome['status']
export const RANK: Record<Status, number> = {'n/a': 0, pass: 1, unknown: 2, warn: 3, fail: 4}
export const worst = (a: Status, b: Status): Status => (RANK[b] > RANK[a] ? b : a)

export const domu = (ctx: CheckContext) => ctx.facts('domu')
export const host = (ctx: CheckContext) => ctx.facts('host')

export const NO_CONFIGS =
  'no domU configuration under files/usr/pkg/etc/xen/ (copy them into the dump, or check them with --domu FILE)'

/** Runs `one` for every config, or returns the single n/a outcome when there are none. */
export function perConfig(
  ctx: CheckContext,
  one: (c: DomuConfigDetail, all: DomuConfigDetail[]) => Outcome,
): Outcome[] {
  const {configs} = domu(ctx)
  if (configs.length === 0) return [{status: 'n/a', message: NO_CONFIGS}]
  return configs.map((c) => withSubject(one(c, configs), c.file))
}

/** A copy of the outcome naming its config; by its fields, as a spread of objects of many shapes is slow. */
function withSubject(o: Outcome, subject: string): Outcome {
  const out: Outcome = {status: o.status, message: o.message, subject}
  if (o.evidence !== undefined) out.evidence = o.evidence
  if (o.remedy !== undefined) out.remedy = o.remedy
  if (o.pending !== undefined) out.pending = o.pending
  if (o.actor !== undefined) out.actor = o.actor
  if (o.expected !== undefined) out.expected = o.expected
  if (o.observed !== undefined) out.observed = o.observed
  return out
}

/** When a value a check needs is absent because the file does not parse, say so instead of blaming the value. */
export function syntaxNote(c: DomuConfigDetail): string {
  const e = c.errors[0]
  return e ? ` (the file has syntax errors, first at line ${e.line}, column ${e.column}: ${e.message})` : ''
}

export const firstLine = (c: DomuConfigDetail): EvidenceRef => absentFrom(c.source)

/**
 * A path of dom0 as ls-paths.txt shows it; kernel and disk paths come from the configs, so the collector cannot list
 * them ahead.
 */
export function pathStatus(
  ctx: CheckContext,
  path: string,
): {status: Status; says: string; ref?: EvidenceRef; ls?: Fact<PathStatus>} {
  const found = listedPath(host(ctx).paths, path)
  if (found.state === 'no-ls')
    return {status: 'unknown', says: `${path}: ls-paths.txt is not in the evidence; run \`ls -ld ${path}\` on dom0`}
  if (found.state === 'unlisted')
    return {
      status: 'unknown',
      says: `${path} is not in ls-paths.txt (paths a domU config refers to are known only from the configs; run \`ls -ld ${path} >> ls-paths.txt\` on dom0)`,
    }
  const f = found.fact
  if (found.state === 'missing')
    return {
      status: 'fail',
      says: `${path} does not exist in dom0 (${f.value.exists ? '' : f.value.error})`,
      ref: f,
      ls: f,
    }
  return {status: 'pass', says: `${path} exists`, ref: f, ls: f}
}

export function kindOf(c: DomuConfigDetail): GuestKind {
  const s = (k: string) => asString(c.values[k])
  return guestKind({
    kernel: s('kernel'),
    builder: s('builder'),
    type: s('type'),
    extra: s('extra'),
    bootloader: s('bootloader'),
    root: s('root'),
  })
}
