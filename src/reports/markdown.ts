import {WORST_FIRST} from '../engine/types.js'
import type {FleetReport} from './fleet.js'
import type {Report, ReportFinding as Finding} from './report.js'
import {summaryLine} from './report.js'
import {rowVerdict, verdictCountsLine} from './fleet.js'
import {nextSteps} from './next-steps.js'
import {verdictPhrase} from './verdict.js'
import {foldFindings} from './fold.js'

/**
 * Markdown escaping, kept to what CommonMark and GFM need, so that GitHub (a step summary, a PR comment)
 * shows the text exactly; HTML entities are only for HTML (the `<summary>` lines), never inside a code
 * span, where `&gt;` would show literally.
 *
 * Plain text: every ASCII punctuation character with a meaning inline gets a backslash (`\<` rather than
 * `&lt;`, so nothing becomes HTML, a link or emphasis); in a table cell, `|` too (GFM splits cells on it,
 * even inside code spans) and a line break becomes `<br>`.
 */
const INLINE_PUNCTUATION = /[\\`*_[\]<>&|~!#]/g

export function literal(text: string, table = true): string {
  const escaped = text.replace(INLINE_PUNCTUATION, (c) => `\\${c}`).trim()
  return table ? escaped.replace(/\r?\n/g, '<br>') : escaped.replace(/\s*\r?\n\s*/g, ' ')
}

/** The old name: one table cell of plain text. */
export const cell = (text: string): string => literal(text, true)

/**
 * A code span showing `text` exactly: a fence of backticks longer than any run inside it, padded with a
 * space where the text starts or ends with a backtick (or with spaces, which CommonMark would strip);
 * line breaks become spaces (a span cannot hold one); in a table, `|` is `\|`, which GFM turns back into
 * `|` inside the span.
 */
export function code(text: string, table = true): string {
  let body = text.replace(/\r?\n/g, ' ')
  if (table) body = body.replace(/\|/g, '\\|')
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad =
    body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '')
      ? ' '
      : ''
  return body === '' ? '' : `${fence}${pad}${body}${pad}${fence}`
}

/**
 * Text that carries its own code spans (messages and remedies quote commands in backticks): the spans
 * stay code, as CommonMark pairs them (a run of n backticks up to the next run of exactly n), and the
 * rest is escaped as plain text; an unpaired backtick is a literal one.
 */
export function inline(text: string, table = true): string {
  const out: string[] = []
  let plain = ''
  let i = 0
  while (i < text.length) {
    if (text[i] !== '`') {
      plain += text[i++]
      continue
    }

    const run = /^`+/.exec(text.slice(i))![0]
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g')
    close.lastIndex = i + run.length
    const end = close.exec(text)
    if (!end) {
      plain += run
      i += run.length
      continue
    }

    let content = text.slice(i + run.length, end.index).replace(/\r?\n/g, ' ')
    if (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1)
    out.push(escapeKeepingSpaces(plain, table), code(content, table))
    plain = ''
    i = end.index + run.length
  }

  out.push(escapeKeepingSpaces(plain, table))
  return out.join('').trim()
}

function escapeKeepingSpaces(text: string, table: boolean): string {
  const escaped = text.replace(INLINE_PUNCTUATION, (c) => `\\${c}`)
  return table ? escaped.replace(/\r?\n/g, '<br>') : escaped.replace(/\r?\n/g, ' ')
}

/** For HTML (the `<details><summary>` lines, an HTML block where Markdown is not read): entities. */
export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ')
}

const WORD: Record<Finding['status'], string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  'n/a': 'N/A',
  error: 'ERROR',
}

function evidenceCell(f: Finding): string {
  return f.evidence
    .slice(0, 3)
    .map((e) => {
      const text = e.text.trim()
      const where = code(e.line > 0 ? `${e.source}:${e.line}` : e.source)
      return text ? `${where} ${code(text.length > 120 ? `${text.slice(0, 117)}...` : text)}` : where
    })
    .join('<br>')
}

/** The Waived column: the reason and the last day, or what else the site policy did to the finding. */
function waivedCell(f: Finding): string {
  if (f.waived) return `waived: ${literal(f.waived.reason)}${f.waived.expires ? ` (until ${f.waived.expires})` : ''}`
  if (f.waiverExpired) return `waiver expired ${f.waiverExpired.expires}: ${literal(f.waiverExpired.reason)}`
  if (f.adjusted)
    return f.adjusted.by === 'require'
      ? 'required: unknown counts as fail'
      : `site severity (was ${WORD[f.adjusted.from]})`
  return ''
}

function findingRow(f: Finding, policy: boolean): string {
  const check = f.subject ? `${code(f.id)} ${literal(f.subject)}` : code(f.id)
  return `| ${WORD[f.status]} | ${check} | ${inline(f.message)} | ${evidenceCell(f)} | ${inline(f.remedy)} |${policy ? ` ${waivedCell(f)} |` : ''}`
}

/** With a site policy that touched any of them, a Waived column says what it did. */
function findingsTable(findings: readonly Finding[]): string[] {
  const policy = findings.some((f) => f.waived || f.waiverExpired || f.adjusted)
  return [
    `| Status | Check | Finding | Evidence | Fix |${policy ? ' Waived |' : ''}`,
    `| --- | --- | --- | --- | --- |${policy ? ' --- |' : ''}`,
    ...findings.map((f) => findingRow(f, policy)),
  ]
}

/** Problems first, waived ones after the others of their kind. */
function rank(f: Finding): number {
  return WORST_FIRST.indexOf(f.status) * 2 + (f.waived ? 1 : 0)
}

/** The verdict in bold with the counts, then the numbered next steps (as the text report ends). */
function verdictBlock(report: Report): string[] {
  const phrase = verdictPhrase(report)
  const out = [`**${literal(phrase, false)}**${phrase.includes(':') ? ';' : ':'} ${summaryLine(report.summary)}`, '']
  const steps = nextSteps(report)
  if (steps.length === 0) return out
  out.push('**Next steps**', '')
  steps.forEach((step, i) =>
    out.push(
      `${i + 1}. ${inline(step.text, false)}${step.ids.length > 0 ? ` \\[${step.ids.map((id) => code(id, false)).join(', ')}\\]` : ''}`,
    ),
  )
  out.push('')
  return out
}

/**
 * A single report for a pull-request comment or `$GITHUB_STEP_SUMMARY`: the verdict, problems first, next steps, passes
 * folded away.
 */
export function renderMarkdown(report: Report, options: {heading?: string} = {}): string {
  const sorted = [...report.findings].sort((a, b) => rank(a) - rank(b))
  // Identical unknowns (four CPU checks missing the same features lines) are one row naming their ids, as in text.
  const problems = foldFindings(sorted.filter((f) => f.status !== 'pass' && f.status !== 'n/a'))
  const quiet = sorted.filter((f) => f.status === 'pass' || f.status === 'n/a')
  const [verdict, ...steps] = verdictBlock(report)
  const out = [
    `${options.heading ?? '###'} xenready: ${code(report.source, false)}, target ${report.target}`,
    '',
    verdict!,
    '',
  ]
  for (const e of report.policy?.expired ?? [])
    out.push(
      `- Expired waiver (${literal(report.policy!.file, false)} line ${e.line}): ${code(e.check, false)} expired on ${e.expires}, it no longer applies: ${literal(e.reason, false)}`,
    )
  if (report.policy && report.policy.expired.length > 0) out.push('')
  if (problems.length > 0) out.push(...findingsTable(problems), '')
  out.push(...steps.slice(1))
  if (quiet.length > 0)
    out.push(
      `<details><summary>${quiet.length} passed or not applicable</summary>`,
      '',
      ...findingsTable(quiet),
      '',
      '</details>',
      '',
    )
  for (const e of report.pluginErrors)
    out.push(
      `- ERROR: plugin ${literal(e.plugin ?? '', false)} from ${literal(e.package, false)}: ${literal(e.message, false)}`,
    )
  return `${out.join('\n').trimEnd()}\n`
}

/** A fleet: hosts per verdict, the summary table (one row per dump), then the problems of each failing dump. */
export function renderFleetMarkdown(fleet: FleetReport): string {
  const out = [
    `### xenready: ${fleet.summary.dumps} dumps, target ${fleet.target}`,
    '',
    `**${verdictCountsLine(fleet)}, ${fleet.summary.unreadable} unreadable**; ${fleet.summary.failing} at or above --fail-on ${fleet.failOn}; findings: ${summaryLine(fleet.summary)}`,
    '',
    '| Dump | Target | Verdict | Pass | Warn | Fail | Unknown | Failed checks |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const d of fleet.dumps) {
    const s = d.summary
    const n = (k: 'pass' | 'warn' | 'fail' | 'unknown') => (s ? String(s[k]) : '-')
    const failed = d.error ? `UNREADABLE: ${literal(d.error)}` : d.failed.map((id) => code(id)).join(', ')
    out.push(
      `| ${code(d.source)} | ${d.target} | ${rowVerdict(d)} | ${n('pass')} | ${n('warn')} | ${n('fail')} | ${n('unknown')} | ${failed} |`,
    )
  }

  out.push('')
  for (const report of fleet.reports) {
    if (report.summary.fail + report.summary.error === 0) continue
    out.push(
      `<details><summary>${html(report.source)}: ${html(summaryLine(report.summary))}</summary>`,
      '',
      ...findingsTable(report.findings.filter((f) => (f.status === 'fail' || f.status === 'error') && !f.waived)),
      '',
      '</details>',
      '',
    )
  }

  return `${out.join('\n').trimEnd()}\n`
}
