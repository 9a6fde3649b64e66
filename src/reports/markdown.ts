import type {Finding} from '../engine/types.js'
import type {FleetReport} from './fleet.js'
import type {Report} from './report.js'
import {summaryLine} from './report.js'

/**
 * One table cell: pipes escaped (GFM splits cells on them, even inside code spans), line breaks as
 * `<br>`, and `<`/`>`/`&` as entities so evidence text cannot inject HTML into a PR comment.
 */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>')
    .trim()
}

/** Inline code in a cell; backticks inside the text would end the span, so they become plain quotes. */
function code(text: string): string {
  return `\`${cell(text).replace(/`/g, "'")}\``
}

const WORD: Record<Finding['status'], string> = {pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: 'UNKNOWN', 'n/a': 'N/A', error: 'ERROR'}
const ORDER: Array<Finding['status']> = ['error', 'fail', 'warn', 'unknown', 'pass', 'n/a']

function evidenceCell(f: Finding): string {
  return f.evidence
    .slice(0, 3)
    .map((e) => `${code(e.line > 0 ? `${e.source}:${e.line}` : e.source)} ${cell(e.text.length > 120 ? `${e.text.slice(0, 117)}...` : e.text)}`)
    .join('<br>')
}

function findingRow(f: Finding): string {
  const check = f.subject ? `${code(f.id)} ${cell(f.subject)}` : code(f.id)
  return `| ${WORD[f.status]} | ${check} | ${cell(f.message)} | ${evidenceCell(f)} | ${cell(f.remedy)} |`
}

function findingsTable(findings: readonly Finding[]): string[] {
  return ['| Status | Check | Finding | Evidence | Fix |', '| --- | --- | --- | --- | --- |', ...findings.map(findingRow)]
}

/** A single report for a pull-request comment or `$GITHUB_STEP_SUMMARY`: problems first, passes folded away. */
export function renderMarkdown(report: Report, options: {heading?: string} = {}): string {
  const sorted = [...report.findings].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status))
  const problems = sorted.filter((f) => f.status !== 'pass' && f.status !== 'n/a')
  const quiet = sorted.filter((f) => f.status === 'pass' || f.status === 'n/a')
  const out = [`${options.heading ?? '###'} xenready: ${cell(report.source)}, target ${report.target}`, '', `**${summaryLine(report.summary)}**`, '']
  if (problems.length > 0) out.push(...findingsTable(problems), '')
  if (quiet.length > 0) out.push(`<details><summary>${quiet.length} passed or not applicable</summary>`, '', ...findingsTable(quiet), '', '</details>', '')
  for (const e of report.pluginErrors) out.push(`- ERROR: plugin ${cell(e.plugin ?? '')} from ${cell(e.package)}: ${cell(e.message)}`)
  return `${out.join('\n').trimEnd()}\n`
}

/** A fleet: the summary table (one row per dump), then the problems of each failing dump. */
export function renderFleetMarkdown(fleet: FleetReport): string {
  const out = [
    `### xenready: ${fleet.summary.dumps} dumps, target ${fleet.target}`,
    '',
    `**${fleet.summary.failing} at or above --fail-on ${fleet.failOn}, ${fleet.summary.unreadable} unreadable; findings: ${summaryLine(fleet.summary)}**`,
    '',
    '| Dump | Target | Pass | Warn | Fail | Unknown | Failed checks |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const d of fleet.dumps) {
    const s = d.summary
    const n = (k: 'pass' | 'warn' | 'fail' | 'unknown') => (s ? String(s[k]) : '-')
    const failed = d.error ? `UNREADABLE: ${cell(d.error)}` : d.failed.map(code).join(', ')
    out.push(`| ${code(d.source)} | ${d.target} | ${n('pass')} | ${n('warn')} | ${n('fail')} | ${n('unknown')} | ${failed} |`)
  }

  out.push('')
  for (const report of fleet.reports) {
    if (report.summary.fail + report.summary.error === 0) continue
    out.push(`<details><summary>${cell(report.source)}: ${summaryLine(report.summary)}</summary>`, '', ...findingsTable(report.findings.filter((f) => f.status === 'fail' || f.status === 'error')), '', '</details>', '')
  }

  return `${out.join('\n').trimEnd()}\n`
}
