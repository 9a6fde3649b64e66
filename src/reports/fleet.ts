import type {Target} from '../engine/types.js'
import {STATUSES} from '../engine/types.js'
import {exitCodeFor, REPORT_SCHEMA_VERSION, summaryLine, type FailOn, type Report, type Summary} from './report.js'
import {VERDICTS, VERDICT_WORDS, type Verdict} from './verdict.js'

/** One dump of a fleet run: its report, or why it could not be read, or its digest. */
export type DumpOutcome = {source: string; report: Report} | {source: string; error: string} | DumpDigest

/**
 * A checked dump reduced to what a streamed fleet needs: its row of the summary table and its report as
 * JSON text (empty when no JSON is written). A worker thread sends this instead of the report: a string
 * crosses threads as one copy, where a report is hundreds of small objects to rebuild and intern, so the
 * main thread only writes (its busy time in bench/fleet.mjs went from about 1.1 s to 0.3 s).
 */
export interface DumpDigest {
  source: string
  row: Required<Pick<FleetRow, 'target' | 'summary' | 'failed' | 'verdict'>> &
    Pick<FleetRow, 'until'> & {exitCode: 0 | 1}
  json: string
}

/** A row of the fleet summary table. */
export interface FleetRow {
  source: string
  target: Target
  summary?: Summary
  /** Check ids (with `[subject]`) that failed or crashed. */
  failed: string[]
  /** The dump's verdict; none when it could not be read. */
  verdict?: Verdict
  /** The report's scope.until, when some checks wait for a step (`ready` then means ready so far). */
  until?: string[]
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
  summary: Summary & {dumps: number; unreadable: number; failing: number; verdicts: Record<Verdict, number>}
  exitCode: 0 | 1 | 2
  dumps: FleetRow[]
  reports: Report[]
}

export function isFleetReport(x: unknown): x is FleetReport {
  return typeof x === 'object' && x !== null && (x as {kind?: unknown}).kind === 'fleet'
}

export function failedIds(report: Report): string[] {
  return report.findings
    .filter((f) => (f.status === 'fail' || f.status === 'error') && f.waived === undefined)
    .map((f) => (f.subject ? `${f.id} [${f.subject}]` : f.id))
}

/**
 * Builds the fleet aggregate one dump at a time, in input order. `keepReports: false` keeps only the rows
 * (what the text table and the exit code need): a fleet whose reports are streamed out needs no more.
 */
export class FleetBuilder {
  private readonly total = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary
  private readonly rows: FleetRow[] = []
  private readonly reports: Report[] = []
  readonly generated: string

  constructor(
    private readonly input: {version: string; target: Target; failOn: FailOn; now?: Date},
    private readonly keepReports = true,
  ) {
    this.generated = (input.now ?? new Date()).toISOString()
  }

  add(o: DumpOutcome): void {
    if ('error' in o) {
      this.rows.push({source: o.source, target: this.input.target, failed: [], exitCode: 2, error: o.error})
      return
    }

    if ('row' in o) {
      if (this.keepReports) throw new Error('a fleet that keeps its reports cannot take digests')
      this.count(o.row.summary)
      this.rows.push({source: o.source, ...o.row})
      return
    }

    if (this.keepReports) this.reports.push(o.report)
    this.count(o.report.summary)
    this.rows.push({source: o.source, ...digestOf(o.source, o.report, this.input.failOn, false).row})
  }

  private count(summary: Summary): void {
    for (const s of STATUSES) this.total[s] += summary[s]
    if (summary.waived) this.total.waived = (this.total.waived ?? 0) + summary.waived
  }

  /** The aggregate; `reports` is empty when they were not kept. Key order: what the streamed JSON writes. */
  finish(): FleetReport {
    const rows = this.rows
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      kind: 'fleet',
      tool: {name: 'xenready', version: this.input.version},
      target: this.input.target,
      generated: this.generated,
      failOn: this.input.failOn,
      reports: this.reports,
      summary: {
        ...this.total,
        dumps: rows.length,
        unreadable: rows.filter((r) => r.error !== undefined).length,
        failing: rows.filter((r) => r.exitCode === 1).length,
        verdicts: verdictCounts(rows),
      },
      exitCode: rows.reduce<0 | 1 | 2>((worst, r) => (r.exitCode > worst ? r.exitCode : worst), 0),
      dumps: rows,
    }
  }
}

function verdictCounts(rows: readonly FleetRow[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>
  for (const r of rows) if (r.verdict !== undefined) counts[r.verdict]++
  return counts
}

export function buildFleet(input: {
  version: string
  target: Target
  failOn: FailOn
  outcomes: DumpOutcome[]
  now?: Date
}): FleetReport {
  const builder = new FleetBuilder(input)
  for (const o of input.outcomes) builder.add(o)
  return builder.finish()
}

const MARKER = '\u0000reports\u0000'

/** The fleet JSON around its reports: everything before the reports array, and everything after it. */
function frame(fleet: FleetReport): [string, string] {
  const text = JSON.stringify({...fleet, reports: MARKER}, null, 2)
  const at = text.indexOf(JSON.stringify(MARKER))
  return [text.slice(0, at), `${text.slice(at + JSON.stringify(MARKER).length)}\n`]
}

const NEST_HEAD = '{\n  "r": [\n    '
const NEST_TAIL = '\n  ]\n}'

/**
 * A report as it stands in the fleet JSON's `reports` array (indented two levels): stringified where it
 * would stand, then cut out, which is a fifth faster than re-indenting each line of it.
 */
function reportJson(report: Report): string {
  const text = JSON.stringify({r: [report]}, null, 2)
  return text.slice(NEST_HEAD.length, text.length - NEST_TAIL.length)
}

function reportChunk(json: string, first: boolean): string {
  return `${first ? '\n' : ',\n'}    ${json}`
}

/** The digest of a checked dump (see DumpDigest); `json: false` leaves out the JSON text. */
export function digestOf(source: string, report: Report, failOn: FailOn, json: boolean): DumpDigest {
  return {
    source,
    row: {
      target: report.target,
      summary: report.summary,
      failed: failedIds(report),
      verdict: report.verdict,
      ...(report.scope.until.length > 0 ? {until: report.scope.until} : {}),
      exitCode: exitCodeFor(report, failOn),
    },
    json: json ? reportJson(report) : '',
  }
}

/**
 * Writes the fleet JSON while the dumps are checked, each report as soon as its turn comes, so a fleet of
 * any size never holds its reports: the text is exactly `JSON.stringify(fleet, null, 2)` of the finished
 * fleet (the reports come before the summary, whose counts are known only at the end).
 */
export class FleetJsonStream {
  private count = 0

  constructor(
    builder: FleetBuilder,
    private readonly write: (chunk: string) => void,
  ) {
    // Everything before the reports is known from the start: the same keys, the same `generated`.
    this.write(`${frame(builder.finish())[0]}[`)
  }

  /** Writes the dump's report (a digest must carry its JSON); an unreadable dump has none. */
  add(o: DumpOutcome): void {
    if ('error' in o) return
    const json = 'row' in o ? o.json : reportJson(o.report)
    if (json === '') throw new Error(`the digest of ${o.source} has no JSON`)
    this.write(reportChunk(json, this.count++ === 0))
  }

  end(fleet: FleetReport): void {
    this.write(`${this.count === 0 ? ']' : '\n  ]'}${frame(fleet)[1]}`)
  }
}

/**
 * The fleet JSON of a finished fleet, exactly as `JSON.stringify(fleet, null, 2)` writes it, one report at
 * a time: a thousand dumps are tens of megabytes of text, which need not exist whole (as string, then buffer).
 */
export function* fleetJsonChunks(fleet: FleetReport): Generator<string> {
  const [head, tail] = frame(fleet)
  yield `${head}[`
  for (let i = 0; i < fleet.reports.length; i++) yield reportChunk(reportJson(fleet.reports[i]!), i === 0)
  yield `${fleet.reports.length === 0 ? ']' : '\n  ]'}${tail}`
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
}

/** A row's verdict in words: `READY so far` when some checks wait for a step; `-` for an unreadable dump. */
export function rowVerdict(row: Pick<FleetRow, 'verdict' | 'until'>): string {
  if (row.verdict === undefined) return '-'
  return row.verdict === 'ready' && row.until ? 'READY so far' : VERDICT_WORDS[row.verdict]
}

/** `2 ready (1 so far), 1 not ready, 0 cannot tell yet`: hosts per verdict. */
export function verdictCountsLine(fleet: FleetReport): string {
  const v = fleet.summary.verdicts
  const soFar = fleet.dumps.filter((d) => d.verdict === 'ready' && d.until).length
  return `${v.ready} ready${soFar > 0 ? ` (${soFar} so far)` : ''}, ${v['not-ready']} not ready, ${v['cannot-tell']} cannot tell yet`
}

/** The fleet summary table for a terminal or a CI log: one line per dump. */
export function renderFleetText(fleet: FleetReport): string {
  const rows = fleet.dumps.map((d) => {
    const s = d.summary
    const n = (k: 'pass' | 'warn' | 'fail' | 'unknown') => (s ? String(s[k]) : '-')
    const failed = d.error ? `UNREADABLE: ${d.error}` : d.failed.join(', ')
    return [d.source, d.target, rowVerdict(d), n('pass'), n('warn'), n('fail'), n('unknown'), failed]
  })
  const out = [
    `xenready ${fleet.tool.version}: ${fleet.summary.dumps} dumps, target ${fleet.target}`,
    '',
    ...table(['DUMP', 'TARGET', 'VERDICT', 'PASS', 'WARN', 'FAIL', 'UNKNOWN', 'FAILED CHECKS'], rows),
    '',
    `${fleet.summary.dumps} dumps: ${verdictCountsLine(fleet)}, ${fleet.summary.unreadable} unreadable; ${fleet.summary.failing} at or above --fail-on ${fleet.failOn}; findings: ${summaryLine(fleet.summary)}`,
  ]
  return `${out.join('\n')}\n`
}
