import {isAbsolute, relative, resolve, sep} from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Status} from '../engine/types.js'
import type {Report, ReportFinding as Finding} from './report.js'
import type {CheckInfo} from './rules.js'

type Level = 'error' | 'warning' | 'note' | 'none'

/** SARIF `kind`/`level`: unknown is `open` (the tool could not tell), which the spec pairs with level `none`. */
const RESULT: Partial<Record<Status, {kind: 'fail' | 'open'; level: Level}>> = {
  fail: {kind: 'fail', level: 'error'},
  error: {kind: 'fail', level: 'error'},
  warn: {kind: 'fail', level: 'warning'},
  unknown: {kind: 'open', level: 'none'},
}

export interface SarifOptions {
  /** Where relative dump paths are resolved (default: the current directory). */
  cwd?: string
}

function uriOf(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/')
}

function isBundle(source: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(source) || source === '-'
}

/**
 * Where a report's evidence files live, as a SARIF `originalUriBaseIds` entry: a dump inside the
 * working directory is given relative to %SRCROOT% (the repository in a CI job, so code-scanning UIs
 * can link to the file); one outside it by its absolute file URI; a bundle's files have no path on disk.
 */
function baseFor(report: Report, cwd: string): Record<string, unknown> | undefined {
  if (report.source === 'live') return undefined
  if (isBundle(report.source)) return {description: {text: `files inside the bundle ${report.source}`}}
  const abs = resolve(cwd, report.source)
  const rel = relative(cwd, abs)
  if (rel && !rel.startsWith('..') && !isAbsolute(rel))
    return {uri: `${uriOf(rel.split(sep).join('/'))}/`, uriBaseId: '%SRCROOT%'}
  if (!rel) return {uri: './', uriBaseId: '%SRCROOT%'}
  return {uri: `${pathToFileURL(abs).href}/`}
}

function helpText(c: CheckInfo): string {
  return `${c.description}\n\nWhy it matters: ${c.why}\n\nHow to fix a failure: ${c.remedy}${c.references.length > 0 ? `\n\nReferences:\n${c.references.join('\n')}` : ''}`
}

function rule(c: CheckInfo): Record<string, unknown> {
  return {
    id: c.id,
    name: c.id,
    shortDescription: {text: c.title},
    fullDescription: {text: c.description},
    help: {text: helpText(c)},
    properties: {
      plugin: c.plugin,
      targets: c.targets,
      evidence: c.evidence,
      ...(c.since ? {since: c.since} : {}),
      ...(c.actor ? {actor: c.actor} : {}),
      tags: [...new Set(['xen', 'netbsd', c.plugin])],
    },
  }
}

function resultOf(
  f: Finding,
  ruleIndex: number,
  baseId: string | undefined,
  report: Report,
): Record<string, unknown> | undefined {
  const shape = RESULT[f.status]
  if (!shape) return undefined
  const subject = f.subject ? ` [${f.subject}]` : ''
  const fix = f.remedy ? ` Fix: ${f.remedy}` : ''
  const result: Record<string, unknown> = {
    ruleId: f.id,
    ...(ruleIndex >= 0 ? {ruleIndex} : {}),
    kind: shape.kind,
    level: shape.level,
    message: {text: `${f.status.toUpperCase()}${subject}: ${f.message.replace(/\.$/, '')}.${fix}`},
    properties: {
      status: f.status,
      source: report.source,
      target: report.target,
      ...(f.subject ? {subject: f.subject} : {}),
      remedy: f.remedy,
      ...(f.actor ? {actor: f.actor} : {}),
      ...(f.expected === undefined ? {} : {expected: f.expected}),
      ...(f.observed === undefined ? {} : {observed: f.observed}),
      ...(f.adjusted ? {adjusted: f.adjusted} : {}),
      ...(f.waiverExpired ? {waiverExpired: f.waiverExpired} : {}),
    },
  }
  // SARIF's own mechanism for an accepted result: GitHub code scanning shows it as dismissed.
  if (f.waived)
    result.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: f.waived.reason,
        ...(f.waived.expires ? {properties: {expires: f.waived.expires}} : {}),
      },
    ]
  if (baseId !== undefined) {
    const locations = f.evidence.map((e) => ({
      physicalLocation: {
        artifactLocation: {uri: uriOf(e.source), uriBaseId: baseId},
        ...(e.line > 0 ? {region: {startLine: e.line, snippet: {text: e.text}}} : {}),
      },
    }))
    if (locations.length > 0) result.locations = locations
  }

  return result
}

/**
 * SARIF 2.1.0: one run, one rule per registered check (its `explain` text as help), one result per
 * pass-less finding (warn, fail, unknown, error; n/a says nothing about the host) located at the
 * evidence file and line in the dump. A fleet gives each dump its own uriBaseId (DUMP1, DUMP2...).
 */
export function renderSarif(
  reports: readonly Report[],
  checks: readonly CheckInfo[],
  options: SarifOptions = {},
): string {
  const cwd = options.cwd ?? process.cwd()
  const known = new Map(checks.map((c, i) => [c.id, i]))
  const rules = checks.map(rule)
  const bases: Record<string, unknown> = {'%SRCROOT%': {uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}`}}
  const results: Array<Record<string, unknown>> = []
  reports.forEach((report, i) => {
    const base = baseFor(report, cwd)
    const baseId = base === undefined ? undefined : reports.length === 1 ? 'DUMP' : `DUMP${i + 1}`
    if (baseId !== undefined) bases[baseId] = base
    for (const f of report.findings) {
      let index = known.get(f.id)
      if (index === undefined && RESULT[f.status]) {
        // A finding from a check the registry no longer knows (a report from elsewhere): give it a bare rule.
        index = rules.length
        known.set(f.id, index)
        rules.push({id: f.id, name: f.id, shortDescription: {text: f.title}})
      }

      const r = resultOf(f, index ?? -1, baseId, report)
      if (r) results.push(r)
    }
  })
  const version = reports[0]?.tool.version ?? '0.0.0'
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {driver: {name: 'xenready', version, rules}},
        automationDetails: {id: `xenready/${reports[0]?.target ?? 'dom0'}/`},
        originalUriBaseIds: bases,
        invocations: [
          {
            executionSuccessful: reports.every((r) => r.pluginErrors.length === 0),
            toolExecutionNotifications: reports.flatMap((r) =>
              r.pluginErrors.map((e) => ({
                level: 'error',
                message: {text: `plugin ${e.plugin ?? ''} from ${e.package}: ${e.message}`},
              })),
            ),
          },
        ],
        results,
        // The overall verdict of each dump (see docs/report-schema.json): a property bag, as SARIF has no field for it.
        properties: {
          ...(reports.length === 1 ? {verdict: reports[0]!.verdict} : {}),
          verdicts: reports.map((r) => ({
            source: r.source,
            verdict: r.verdict,
            ...(r.scope.until.length > 0 ? {until: r.scope.until} : {}),
          })),
        },
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
