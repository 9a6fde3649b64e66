import type {Status} from '../engine/types.js'
import {verdictCountsLine, type FleetReport} from './fleet.js'
import {nextSteps} from './next-steps.js'
import {summaryLine, type Report, type ReportFinding} from './report.js'
import type {CheckInfo} from './rules.js'
import {CSS, SCRIPT} from './html-assets.js'
import {verdictPhrase} from './verdict.js'

/**
 * The HTML report: one self-contained file (inline CSS and script, no network resource, no font), for a
 * host or a fleet. The page holds its data as compact JSON in a `<script type="application/json">` and a
 * small renderer draws it: a fleet of a thousand dumps is a few megabytes of data, not a DOM of a thousand
 * reports, and the matrix draws only the rows in view (more on demand), so filtering stays instant.
 *
 * Data: every string once, in `s` (messages, evidence lines and remedies repeat across a fleet); a host's
 * matrix row is a string of one status letter per check (p pass, w warn, f fail, u unknown, n n/a,
 * e error, W waived, - not run).
 */

const LETTER: Record<Status, string> = {pass: 'p', warn: 'w', fail: 'f', unknown: 'u', 'n/a': 'n', error: 'e'}
/** Worst first: the letter a matrix cell shows for a check with several findings. */
const RANK = 'efwuWpn-'

class Strings {
  readonly list: string[] = []
  private readonly index = new Map<string, number>()

  id(text: string): number {
    let i = this.index.get(text)
    if (i === undefined) {
      i = this.list.length
      this.list.push(text)
      this.index.set(text, i)
    }

    return i
  }
}

/**
 * A finding: [check, letter, subject, message, evidence [[source, line, text]...], remedy, waived, note]; -1 for none.
 */
type FindingData = [number, string, number, number, Array<[number, number, number]>, number, number, number]

interface HostData {
  /** Name (the dump path, or `live`). */
  n: string
  /** Verdict, or `unreadable`. */
  v: string
  /** The verdict phrase (`READY so far: CPU (...)`). */
  p?: string
  /** Why it could not be read. */
  e?: string
  /** Matrix row: one letter per check. */
  m?: string
  /** Counts: pass, warn, fail, unknown, n/a, error, waived. */
  c?: number[]
  /** Next steps: [text, ids]. */
  x?: Array<[number, string]>
  f?: FindingData[]
  /** Expired waivers that match this host. */
  o?: number[]
}

function note(f: ReportFinding): string {
  const out: string[] = []
  if (f.adjusted)
    out.push(
      f.adjusted.by === 'require'
        ? 'Site policy: unknown counts as fail here (require).'
        : `Site policy: the check said ${f.adjusted.from}; this site's severity makes it ${f.status}.`,
    )
  if (f.waiverExpired)
    out.push(`Waiver expired on ${f.waiverExpired.expires}, it no longer applies: ${f.waiverExpired.reason}`)
  return out.join(' ')
}

function hostData(report: Report, s: Strings, checkIndex: Map<string, number>, checks: CheckInfo[]): HostData {
  const row = Array.from({length: checks.length}, () => '-')
  const findings: FindingData[] = []
  for (const f of report.findings) {
    let ci = checkIndex.get(f.id)
    if (ci === undefined) {
      // A check the registry does not know (a report from elsewhere): a column of its own.
      ci = checks.length
      checks.push({
        id: f.id,
        plugin: f.plugin,
        title: f.title,
        targets: [],
        evidence: [],
        description: '',
        why: '',
        remedy: '',
        references: [],
      })
      checkIndex.set(f.id, ci)
      row.push('-')
    }

    const letter = f.waived ? 'W' : LETTER[f.status]
    if (RANK.indexOf(letter) < RANK.indexOf(row[ci]!)) row[ci] = letter
    const detailed = f.status !== 'pass' && f.status !== 'n/a'
    const waived = f.waived ? s.id(`${f.waived.reason}${f.waived.expires ? ` (until ${f.waived.expires})` : ''}`) : -1
    const remark = note(f)
    findings.push([
      ci,
      `${LETTER[f.status]}${f.waived ? 'W' : ''}`,
      f.subject ? s.id(f.subject) : -1,
      s.id(f.message),
      (detailed ? f.evidence.slice(0, 8) : []).map((e) => [
        s.id(e.source),
        e.line,
        s.id(e.text.length > 300 ? `${e.text.slice(0, 297)}...` : e.text.trim()),
      ]),
      detailed && f.remedy ? s.id(f.remedy) : -1,
      waived,
      remark ? s.id(remark) : -1,
    ])
  }

  const sm = report.summary
  return {
    n: report.source,
    v: report.verdict,
    p: verdictPhrase(report),
    m: row.join(''),
    c: [sm.pass, sm.warn, sm.fail, sm.unknown, sm['n/a'], sm.error, sm.waived ?? 0],
    x: nextSteps(report).map((step) => [s.id(step.text), step.ids.join(', ')]),
    f: findings,
    ...(report.policy && report.policy.expired.length > 0
      ? {
          o: report.policy.expired.map((e) =>
            s.id(
              `${report.policy!.file}:${e.line}: the waiver of ${e.check}${e.hosts ? ` for ${e.hosts.join(', ')}` : ''} expired on ${e.expires}, it no longer applies: ${e.reason}`,
            ),
          ),
        }
      : {}),
  }
}

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`. */
function scriptJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

interface PageInput {
  title: string
  version: string
  target: string
  generated: string
  fleet: boolean
  reports: readonly Report[]
  unreadable?: ReadonlyArray<{source: string; error: string; index: number}>
  summary?: string
  checks: readonly CheckInfo[]
}

function page(input: PageInput): string {
  const s = new Strings()
  const checks = input.checks.map((c) => ({...c}))
  const checkIndex = new Map(checks.map((c, i) => [c.id, i]))
  const hosts: HostData[] = input.reports.map((r) => hostData(r, s, checkIndex, checks))
  for (const u of input.unreadable ?? []) hosts.splice(u.index, 0, {n: u.source, v: 'unreadable', e: u.error})
  const data = {
    fleet: input.fleet,
    version: input.version,
    target: input.target,
    generated: input.generated,
    summary: input.summary ?? '',
    // The explain text of each check, shown on demand.
    checks: checks.map((c) => [c.id, c.plugin, s.id(c.title), s.id(c.description), s.id(c.why), s.id(c.remedy)]),
    hosts,
    s: s.list,
  }
  return `<!DOCTYPE html>
<!-- xenready ${escapeHtml(input.version)} report: ${escapeHtml(input.title).replace(/--/g, '- -')} -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="xenready ${escapeHtml(input.version)}">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<main id="main" tabindex="-1">
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">xenready ${escapeHtml(input.version)}, target ${escapeHtml(input.target)}, generated ${escapeHtml(input.generated)}</p>
<noscript><p>This report draws itself with a small inline script; enable JavaScript to read it (nothing is loaded from the network).</p></noscript>
<div id="app"></div>
</main>
<script type="application/json" id="xenready-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`
}

/**
 * The HTML report of one host: verdict, next steps, findings by plugin with evidence and fixes, explain text on demand.
 */
export function renderHtml(report: Report, checks: readonly CheckInfo[]): string {
  return page({
    title: `xenready: ${report.source}`,
    version: report.tool.version,
    target: report.target,
    generated: report.generated,
    fleet: false,
    reports: [report],
    checks,
  })
}

/**
 * The HTML report of a fleet (its reports must be kept): the hosts x checks matrix, filters, sorting, each host's
 * findings.
 */
export function renderFleetHtml(fleet: FleetReport, checks: readonly CheckInfo[]): string {
  const summary = `${fleet.summary.dumps} dumps: ${verdictCountsLine(fleet)}, ${fleet.summary.unreadable} unreadable; ${fleet.summary.failing} at or above --fail-on ${fleet.failOn}; findings: ${summaryLine(fleet.summary)}`
  const readable = new Set(fleet.reports.map((r) => r.source))
  const unreadable = fleet.dumps.flatMap((d, index) =>
    d.error !== undefined && !readable.has(d.source) ? [{source: d.source, error: d.error, index}] : [],
  )
  return page({
    title: `xenready: ${fleet.summary.dumps} dumps`,
    version: fleet.tool.version,
    target: fleet.target,
    generated: fleet.generated,
    fleet: true,
    reports: fleet.reports,
    unreadable,
    summary,
    checks,
  })
}
