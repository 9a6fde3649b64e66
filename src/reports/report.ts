import type {Finding, Status, Target} from '../engine/types.js'
import {STATUSES} from '../engine/types.js'
import type {PluginError} from '../engine/registry.js'
import {judge, type Scope, type Verdict} from './verdict.js'
import type {PolicyMarks, PolicySection} from '../policy/types.js'

/** 2: findings may carry actor, expected and observed (issue 14); version 1 reports are still read by `diff`. */
export const REPORT_SCHEMA_VERSION = 2

/** Findings per status, waived ones left out (they count apart, in `waived`, present only when some are). */
export type Summary = Record<Status, number> & {waived?: number}

/** A finding as reports hold it: what the check said, plus what a site policy (--policy) made of it. */
export type ReportFinding = Finding & PolicyMarks

/** Whether a finding counts for the exit code, the verdict, the counts and the next steps: all but waived ones. */
export function counts(f: ReportFinding): boolean {
  return f.waived === undefined
}

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
  findings: ReportFinding[]
  pluginErrors: PluginError[]
  /**
   * With --policy: the policy file, the host names its waivers matched, the expired waivers that no longer apply here.
   */
  policy?: PolicySection
}

export function summarize(findings: readonly ReportFinding[]): Summary {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary
  let waived = 0
  for (const f of findings) {
    if (counts(f)) summary[f.status]++
    else waived++
  }

  if (waived > 0) summary.waived = waived
  return summary
}

export function buildReport(input: {
  version: string
  source: string
  target: Target
  findings: ReportFinding[]
  pluginErrors: PluginError[]
  only?: readonly string[]
  now?: Date
  policy?: PolicySection
}): Report {
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
    ...(input.policy ? {policy: input.policy} : {}),
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

/**
 * 0 when nothing at or above the threshold was found, 1 otherwise. A crashed check counts as a failure: it proves
 * nothing.
 */
export function exitCodeFor(report: Pick<Report, 'summary' | 'pluginErrors'>, failOn: FailOn = 'fail'): 0 | 1 {
  if (report.pluginErrors.length > 0) return 1
  return FAILING[failOn].some((s) => report.summary[s] > 0) ? 1 : 0
}

export function summaryLine(summary: Summary): string {
  const parts = STATUSES.filter((s) => summary[s] > 0 || ['pass', 'warn', 'fail', 'unknown'].includes(s)).map(
    (s) => `${summary[s]} ${s}`,
  )
  if (summary.waived) parts.push(`${summary.waived} waived`)
  return parts.join(', ')
}
