import {readFileSync, statSync} from 'node:fs'
import {UsageError} from '../engine/registry.js'
import {nearest} from '../util/nearest.js'
import {POLICY_SCHEMA} from './schema.js'
import type {Policy, Waiver} from './types.js'

/** A policy is a few lines; anything this big was given by mistake (a bundle, a log). */
const MAX_POLICY_BYTES = 1024 * 1024

/** What the policy's check references are checked against: the registry's check ids and plugin names. */
export interface KnownChecks {
  checks: readonly string[]
  plugins: readonly string[]
}

/** The local calendar date, YYYY-MM-DD: what a person means by "expires 2027-06-30". */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

type Segment = string | number

function pathText(path: readonly Segment[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || 'the policy'
}

/**
 * Reads, validates and checks a policy file (YAML, or JSON, which YAML reads too, keeping line numbers);
 * `today` (YYYY-MM-DD) splits the waivers into applying and expired. Any mistake is a UsageError of one
 * line, `FILE:LINE: what is wrong`: a policy that cannot be read exactly never runs, since running
 * without it, or with part of it, could pass what the site wants to fail.
 */
export async function loadPolicy(file: string, known: KnownChecks, today: string): Promise<Policy> {
  let text: string
  try {
    if (statSync(file).size > MAX_POLICY_BYTES)
      throw new UsageError(`--policy ${file}: larger than ${MAX_POLICY_BYTES} bytes, not a policy file`)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    const e = error as NodeJS.ErrnoException
    throw new UsageError(
      `--policy ${file}: cannot read it: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a directory, not a file' : (e.code ?? e.message)}`,
    )
  }

  const {parseDocument, LineCounter, isMap, isSeq, isScalar, isPair} = await import('yaml')
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true})
  const fail = (line: number, message: string): never => {
    throw new UsageError(`${file}:${line}: ${message}`)
  }

  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    fail(e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line, `not valid YAML or JSON: ${e.message.split('\n')[0]}`)
  }

  /** The line of the node at `path` (of its key, with `key`), or of the deepest node found on the way. */
  const lineOf = (path: readonly Segment[], key?: string): number => {
    let node: unknown = doc.contents
    let line = node && (node as {range?: [number]}).range ? lines.linePos((node as {range: [number]}).range[0]).line : 1
    for (const segment of key === undefined ? path : [...path, key]) {
      let next: unknown
      let at: unknown
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment))
        at = pair?.key
        next = segment === key && pair ? pair.key : pair?.value
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment]
      }

      const range = ((next ?? at) as {range?: [number]} | undefined)?.range
      if (!range) break
      line = lines.linePos(range[0]).line
      node = next
    }

    return line
  }

  const data = doc.toJS() as unknown
  if (data === null || data === undefined)
    fail(1, 'the policy is empty: it needs waivers, require or severity (docs/policy-schema.json)')
  const {default: Ajv} = (await import('ajv')) as unknown as {default: typeof import('ajv').default}
  const validate = new Ajv({allErrors: true, strict: true}).compile(POLICY_SCHEMA)
  if (!validate(data)) {
    // The most telling error first: a misspelt key explains the "missing" one beside it.
    const rank = (x: {keyword: string; propertyName?: string}) =>
      x.keyword === 'additionalProperties' ? 0 : x.propertyName !== undefined ? 1 : 2
    const e = [...validate.errors!].sort((a, b) => rank(a) - rank(b))[0]!
    const path: Segment[] = e.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
    const params = e.params as Record<string, unknown>
    let message: string
    let line: number
    if (e.keyword === 'additionalProperties') {
      const allowed = Object.keys(
        path.length === 0 ? POLICY_SCHEMA.properties : POLICY_SCHEMA.definitions.waiver.properties,
      )
      message = `${path.length > 0 ? `${pathText(path)}: ` : ''}unknown key "${String(params.additionalProperty)}" (expected ${allowed.join(', ')})`
      line = lineOf(path, String(params.additionalProperty))
    } else if (e.keyword === 'required') {
      message = `${pathText(path)}: "${String(params.missingProperty)}" is missing`
      line = lineOf(path)
    } else if (e.propertyName !== undefined || e.keyword === 'propertyNames') {
      const name = String(e.propertyName ?? params.propertyName)
      message = `${pathText(path)}: "${name}" is not a check id (boot.console) or a plugin name (boot)`
      line = lineOf(path, name)
    } else {
      const last = path.at(-1)
      const wanted =
        e.keyword === 'enum'
          ? `must be one of ${(params.allowedValues as unknown[]).join(', ')}`
          : e.keyword === 'pattern' && last === 'expires'
            ? 'must be a date, YYYY-MM-DD'
            : e.keyword === 'pattern' && last === 'reason'
              ? 'must say why (it is empty)'
              : e.keyword === 'pattern'
                ? 'must be a check id (boot.console) or a plugin name (boot)'
                : (e.message ?? 'is not valid')
      message = `${pathText(path)} ${wanted}${e.keyword === 'type' || e.keyword === 'enum' ? ` (got ${JSON.stringify(data === undefined ? null : pick(data, path))})` : ''}`
      line = lineOf(path)
    }

    fail(line, message)
  }

  const policy = data as {
    waivers?: Array<Omit<Waiver, 'line'>>
    require?: string[]
    severity?: Record<string, 'fail' | 'warn'>
  }
  // A reference to no check is a mistake (a typo in a waiver would otherwise waive nothing, silently; in
  // `require`, require nothing).
  const refs = new Set([...known.checks, ...known.plugins])
  const checkRef = (ref: string, path: Segment[], key?: string) => {
    if (refs.has(ref)) return
    const near = nearest(ref, refs)
    fail(
      lineOf(path, key),
      `${pathText(key === undefined ? path : [...path, key])}: no check or plugin is named "${ref}"${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; see \`xenready checks\``,
    )
  }

  const waivers: Waiver[] = []
  const expired: Waiver[] = []
  for (const [i, w] of (policy.waivers ?? []).entries()) {
    checkRef(w.check, ['waivers', i, 'check'])
    if (w.expires !== undefined && !realDate(w.expires))
      fail(lineOf(['waivers', i, 'expires']), `waivers[${i}].expires: ${w.expires} is not a date of the calendar`)
    const waiver: Waiver = {
      check: w.check,
      ...(w.hosts ? {hosts: w.hosts} : {}),
      reason: w.reason.trim(),
      ...(w.expires ? {expires: w.expires} : {}),
      line: lineOf(['waivers', i]),
    }
    // Expires is the last day it applies.
    if (waiver.expires !== undefined && waiver.expires < today) expired.push(waiver)
    else waivers.push(waiver)
  }

  for (const [i, ref] of (policy.require ?? []).entries()) checkRef(ref, ['require', i])
  for (const ref of Object.keys(policy.severity ?? {})) checkRef(ref, ['severity'], ref)
  return {file, waivers, expired, require: [...(policy.require ?? [])], severity: {...policy.severity}}
}

function realDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number)
  const date = new Date(Date.UTC(y!, m! - 1, d!))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m! - 1 && date.getUTCDate() === d
}

function pick(data: unknown, path: readonly Segment[]): unknown {
  let x = data
  for (const p of path) x = (x as Record<string | number, unknown> | undefined)?.[p]
  return x
}

/** The stderr line for a waiver that expired: it no longer applies, and CI logs should say so. */
export function expiredLine(policy: Policy, w: Waiver): string {
  return `xenready: warning: ${policy.file}:${w.line}: the waiver of ${w.check}${w.hosts ? ` for ${w.hosts.join(', ')}` : ''} expired on ${w.expires} ("${w.reason}"); it no longer applies`
}
