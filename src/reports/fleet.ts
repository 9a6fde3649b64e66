import type {Target} from '../engine/types.js'
import {STATUSES} from '../engine/types.js'
import {exitCodeFor, REPORT_SCHEMA_VERSION, summaryLine, type FailOn, type Report, type Summary} from './report.js'

/** One dump of a fleet run: its report, or why it could not be read. */
export type DumpOutcome = {source: string; report: Report} | {source: string; error: string}

/** A row of the fleet summary table. */
export interface FleetRow {
  source: string
  target: Target
  summary?: Summary
  /** Check ids (with `[subject]`) that failed or crashed. */
  failed: string[]
  /** 0 clean, 1 at or above the --fail-on threshold, 2 unreadable. */
  exitCode: 0 | 1 | 2
  /** Why the dump could not be checked. */
  error?: string
}

/** The JSON of `check` over several dumps: one report per dump plus the aggregate; see docs/report-schema.json. */
export interface FleetReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  kind: 'fleet'
  tool: {name: 'xenready'; version: string}
  target: Target
  generated: string
  failOn: FailOn
  /** Statuses added up over every dump, plus the dump counts. */
  summary: Summary & {dumps: number; unreadable: number; failing: number}
  exitCode: 0 | 1 | 2
  dumps: FleetRow[]
  reports: Report[]
}

export function isFleetReport(x: unknown): x is FleetReport {
  return typeof x === 'object' && x !== null && (x as {kind?: unknown}).kind === 'fleet'
}

export function failedIds(report: Report): string[] {
  return report.findings.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => (f.subject ? `${f.id} [${f.subject}]` : f.id))
}

export function buildFleet(input: {version: string; target: Target; failOn: FailOn; outcomes: DumpOutcome[]; now?: Date}): FleetReport {
  const total = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary
  const rows: FleetRow[] = []
  const reports: Report[] = []
  for (const o of input.outcomes) {
    if ('error' in o) {
      rows.push({source: o.source, target: input.target, failed: [], exitCode: 2, error: o.error})
      continue
    }

    reports.push(o.report)
    for (const s of STATUSES) total[s] += o.report.summary[s]
    rows.push({source: o.source, target: o.report.target, summary: o.report.summary, failed: failedIds(o.report), exitCode: exitCodeFor(o.report, input.failOn)})
  }

  const exitCode = rows.reduce<0 | 1 | 2>((worst, r) => (r.exitCode > worst ? r.exitCode : worst), 0)
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'fleet',
    tool: {name: 'xenready', version: input.version},
    target: input.target,
    generated: (input.now ?? new Date()).toISOString(),
    failOn: input.failOn,
    summary: {...total, dumps: rows.length, unreadable: rows.filter((r) => r.error !== undefined).length, failing: rows.filter((r) => r.exitCode === 1).length},
    exitCode,
    dumps: rows,
    reports,
  }
}

/**
 * The fleet JSON, exactly as `JSON.stringify(fleet, null, 2)` writes it, one report at a time: a fleet of
 * a thousand dumps is tens of megabytes of text, and holding it whole (as string, then as buffer) would
 * double the peak memory of the run. (Keeping each report as text instead of objects would not help: the
 * objects share their strings with the check definitions, the text repeats them, and takes twice the memory.)
 */
export function* fleetJsonChunks(fleet: FleetReport): Generator<string> {
  const marker = '\u0000reports\u0000'
  const head = JSON.stringify({...fleet, reports: marker}, null, 2)
  const at = head.indexOf(JSON.stringify(marker))
  yield head.slice(0, at)
  if (fleet.reports.length === 0) {
    yield '[]'
  } else {
    yield '[\n'
    for (let i = 0; i < fleet.reports.length; i++) {
      yield `    ${JSON.stringify(fleet.reports[i], null, 2).replace(/\n/g, '\n    ')}${i < fleet.reports.length - 1 ? ',\n' : '\n  ]'}`
    }
  }

  yield `${head.slice(at + JSON.stringify(marker).length)}\n`
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
}

/** The fleet summary table for a terminal or a CI log: one line per dump. */
export function renderFleetText(fleet: FleetReport): string {
  const rows = fleet.dumps.map((d) => {
    const s = d.summary
    const n = (k: 'pass' | 'warn' | 'fail' | 'unknown') => (s ? String(s[k]) : '-')
    const failed = d.error ? `UNREADABLE: ${d.error}` : d.failed.join(', ')
    return [d.source, d.target, n('pass'), n('warn'), n('fail'), n('unknown'), failed]
  })
  const out = [
    `xenready ${fleet.tool.version}: ${fleet.summary.dumps} dumps, target ${fleet.target}`,
    '',
    ...table(['DUMP', 'TARGET', 'PASS', 'WARN', 'FAIL', 'UNKNOWN', 'FAILED CHECKS'], rows),
    '',
    `${fleet.summary.dumps} dumps: ${fleet.summary.failing} at or above --fail-on ${fleet.failOn}, ${fleet.summary.unreadable} unreadable; findings: ${summaryLine(fleet.summary)}`,
  ]
  return `${out.join('\n')}\n`
}

