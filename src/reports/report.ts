import type {Finding, Status, Target} from '../engine/types.js'
import {STATUSES} from '../engine/types.js'
import type {PluginError} from '../engine/registry.js'
import {judge, type Scope, type Verdict} from './verdict.js'

export const REPORT_SCHEMA_VERSION = 1

export type Summary = Record<Status, number>

/** The JSON report; its shape is documented in docs/report-schema.json. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  tool: {name: 'xenready'; version: string}
  /** Dump path, bundle path, or `live`. */
  source: string
  target: Target
  generated: string
  summary: Summary
  /** ready, not-ready or cannot-tell: see src/reports/verdict.ts. */
  verdict: Verdict
  /** Which areas the verdict rests on, and what waits for a step. */
  scope: Scope
  findings: Finding[]
  pluginErrors: PluginError[]
}

export function summarize(findings: readonly Finding[]): Summary {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary
  for (const f of findings) summary[f.status]++
  return summary
}

export function buildReport(input: {version: string; source: string; target: Target; findings: Finding[]; pluginErrors: PluginError[]; only?: readonly string[]; now?: Date}): Report {
  const {verdict, scope} = judge(input.findings, input.pluginErrors, input.only)
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {name: 'xenready', version: input.version},
    source: input.source,
    target: input.target,
    generated: (input.now ?? new Date()).toISOString(),
    summary: summarize(input.findings),
    verdict,
    scope,
    findings: input.findings,
    pluginErrors: input.pluginErrors,
  }
}

/** The statuses that make `check` exit 1, for a `--fail-on` threshold. */
export const FAIL_ON = ['fail', 'warn', 'unknown'] as const
export type FailOn = (typeof FAIL_ON)[number]

const FAILING: Record<FailOn, readonly Status[]> = {
  fail: ['fail', 'error'],
  warn: ['fail', 'error', 'warn'],
  unknown: ['fail', 'error', 'warn', 'unknown'],
}

/** 0 when nothing at or above the threshold was found, 1 otherwise. A crashed check counts as a failure: it proves nothing. */
export function exitCodeFor(report: Pick<Report, 'summary' | 'pluginErrors'>, failOn: FailOn = 'fail'): 0 | 1 {
  if (report.pluginErrors.length > 0) return 1
  return FAILING[failOn].some((s) => report.summary[s] > 0) ? 1 : 0
}

export function summaryLine(summary: Summary): string {
  const parts = STATUSES.filter((s) => summary[s] > 0 || ['pass', 'warn', 'fail', 'unknown'].includes(s)).map((s) => `${summary[s]} ${s}`)
  return parts.join(', ')
}
