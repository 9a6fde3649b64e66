import {type Status, WORST_FIRST} from '../engine/types.js'
import type {Report, ReportFinding as Finding} from './report.js'
import {summaryLine} from './report.js'
import {bold, paint, paintVerdict} from './style.js'
import {nextSteps} from './next-steps.js'
import {verdictPhrase} from './verdict.js'
import {foldFindings} from './fold.js'
import {wrapText} from './wrap.js'

const WORD_WIDTH = 7
/** Where the text of a finding starts: two spaces, the status word, a space. Continuation lines start here too. */
const TEXT_COLUMN = 2 + WORD_WIDTH + 1
const DETAIL = ' '.repeat(TEXT_COLUMN + 2)

export interface TextOptions {
  color: boolean
  verbose?: boolean
  /** Terminal columns to wrap to (stdout is a TTY); undefined: one line per finding, for logs and pipes. */
  width?: number
  /** One aligned line per check, virt-host-validate style (`cpu.hvm ..... : PASS`), 80 columns. */
  compact?: boolean
}

function evidenceLine(e: Finding['evidence'][number]): string {
  const where = e.line > 0 ? `${e.source}:${e.line}` : e.source
  const text = e.text.length > 160 ? `${e.text.slice(0, 157)}...` : e.text
  return text ? `${where}: ${text.trim()}` : where
}

function byPlugin(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>()
  for (const f of findings) {
    const list = map.get(f.plugin)
    if (list) list.push(f)
    else map.set(f.plugin, [f])
  }

  return map
}

// A waived finding ranks below every status that counts and above a pass.
const WORST: Array<Status | 'waived'> = [...WORST_FIRST.slice(0, 4), 'waived', ...WORST_FIRST.slice(4)]

/**
 * The word in the status column: the status, or WAIVED for a finding a site policy waived (its status follows on the
 * waiver line).
 */
function wordOf(f: Finding): Status | 'waived' {
  return f.waived === undefined ? f.status : 'waived'
}

/** The lines a site policy adds under a finding: the waiver and its reason, an expired waiver, a changed status. */
export function policyNotes(f: Finding): string[] {
  const out: string[] = []
  if (f.adjusted)
    out.push(
      f.adjusted.by === 'require'
        ? `policy: unknown counts as fail here (require)`
        : `policy: the check said ${f.adjusted.from}; this site's severity makes it ${f.status}`,
    )
  if (f.waived)
    out.push(`waived (${f.status}): ${f.waived.reason}${f.waived.expires ? ` (until ${f.waived.expires})` : ''}`)
  if (f.waiverExpired)
    out.push(`waiver expired on ${f.waiverExpired.expires}, it no longer applies: ${f.waiverExpired.reason}`)
  return out
}

const COMPACT_WIDTH = 80

/**
 * The virt-host-validate layout: `  cpu.hvm ........... : PASS`, one line per check (its worst finding), 80 columns.
 */
function compactLines(report: Report, color: boolean): string[] {
  const worst = new Map<string, Status | 'waived'>()
  for (const f of report.findings) {
    const seen = worst.get(f.id)
    const word = wordOf(f)
    if (seen === undefined || WORST.indexOf(word) < WORST.indexOf(seen)) worst.set(f.id, word)
  }

  const room = COMPACT_WIDTH - 2 - ' : '.length - WORD_WIDTH
  return [...worst].map(
    ([id, status]) =>
      `  ${id} ${'.'.repeat(Math.max(3, room - id.length - 1))} : ${paint(status === 'waived' ? 'n/a' : status, status.toUpperCase(), color)}`,
  )
}

/** The last lines: the verdict with the counts, then the numbered next steps. */
export function verdictLines(report: Report, options: Pick<TextOptions, 'color' | 'width'>): string[] {
  const phrase = verdictPhrase(report)
  const counts = summaryLine(report.summary)
  const out = wrapText(
    '',
    `${paintVerdict(report.verdict, phrase, options.color)}${phrase.includes(':') ? ';' : ':'} ${counts}`,
    options.width,
    2,
  )
  const steps = nextSteps(report)
  if (steps.length > 0) {
    out.push('', bold('Next steps:', options.color))
    const digits = String(steps.length).length
    steps.forEach((s, i) => {
      const number = `  ${String(i + 1).padStart(digits)}. `
      out.push(
        ...wrapText(
          number,
          s.ids.length > 0 ? `${s.text} [${s.ids.join(', ')}]` : s.text,
          options.width,
          number.length,
        ),
      )
    })
  }

  return out
}

/**
 * The human report: findings grouped by plugin, a status word per line, hints under every non-pass line, the verdict
 * and next steps last.
 */
export function renderText(report: Report, options: TextOptions): string {
  const {color, width} = options
  const out: string[] = [bold(`xenready ${report.tool.version}: ${report.source}, target ${report.target}`, color), '']
  if (options.compact) {
    out.push(...compactLines(report, color), '')
  } else {
    for (const [plugin, findings] of byPlugin(report.findings)) {
      out.push(bold(plugin, color))
      for (const f of foldFindings(findings, options.verbose)) {
        const word = paint(f.waived ? 'n/a' : f.status, wordOf(f).toUpperCase().padEnd(WORD_WIDTH), color)
        const subject = f.subject ? ` [${f.subject}]` : ''
        out.push(...wrapText(`  ${word} `, `${f.id}${subject}: ${f.message}`, width, TEXT_COLUMN))
        const detailed = f.status !== 'pass' && f.status !== 'n/a'
        for (const note of policyNotes(f)) out.push(...wrapText(DETAIL, note, width, DETAIL.length))
        if (detailed || options.verbose) {
          for (const e of f.evidence.slice(0, options.verbose ? undefined : 3))
            out.push(...wrapText(`${DETAIL}evidence `, evidenceLine(e), width, DETAIL.length + 'evidence '.length))
        }

        if (detailed && f.remedy)
          out.push(...wrapText(`${DETAIL}fix: `, f.remedy, width, DETAIL.length + 'fix: '.length))
      }

      out.push('')
    }
  }

  for (const e of report.pluginErrors) {
    out.push(
      ...wrapText(
        `${paint('error', 'ERROR', color)} `,
        `plugin ${e.plugin ?? ''}${e.plugin ? ' ' : ''}from ${e.package}: ${e.message}`,
        width,
        TEXT_COLUMN,
      ),
    )
  }

  if (report.pluginErrors.length > 0) out.push('')
  // Expired waivers that would cover this host: they no longer apply, and the reader should know why a finding counts
  // again.
  if (report.policy && report.policy.expired.length > 0) {
    out.push(bold('policy', color))
    for (const e of report.policy.expired) {
      out.push(
        ...wrapText(
          '  EXPIRED ',
          `${report.policy.file}:${e.line}: the waiver of ${e.check}${e.hosts ? ` for ${e.hosts.join(', ')}` : ''} expired on ${e.expires}, it no longer applies${e.findings.length > 0 ? ` to ${e.findings.join(', ')}` : ''}: ${e.reason}`,
          width,
          TEXT_COLUMN,
        ),
      )
    }

    out.push('')
  }

  out.push(...verdictLines(report, options))
  return `${out.join('\n')}\n`
}
