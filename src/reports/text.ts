import type {Finding} from '../engine/types.js'
import type {Report} from './report.js'
import {summaryLine} from './report.js'
import {bold, paint} from './style.js'

const WORD_WIDTH = 7

function evidenceLine(e: Finding['evidence'][number]): string {
  const where = e.line > 0 ? `${e.source}:${e.line}` : e.source
  const text = e.text.length > 160 ? `${e.text.slice(0, 157)}...` : e.text
  return text ? `${where}: ${text.trim()}` : where
}

/**
 * Runs of `n/a` findings that give the same reason become one line naming all their ids: on a host
 * before the install, twenty identical "applies once NetBSD is installed" lines would bury the rest.
 */
function collapseNotApplicable(findings: Finding[], verbose = false): Finding[] {
  if (verbose) return findings
  const out: Finding[] = []
  for (const f of findings) {
    const last = out.at(-1)
    if (last && f.status === 'n/a' && last.status === 'n/a' && last.message === f.message && !f.subject && !last.subject) {
      out[out.length - 1] = {...last, id: `${last.id}, ${f.id}`}
    } else {
      out.push(f)
    }
  }

  return out
}

/** The human report: findings grouped by plugin, a status word per line, hints under every non-pass line. */
export function renderText(report: Report, options: {color: boolean; verbose?: boolean}): string {
  const {color} = options
  const out: string[] = [bold(`xenready ${report.tool.version}: ${report.source}, target ${report.target}`, color), '']
  const byPlugin = new Map<string, Finding[]>()
  for (const f of report.findings) byPlugin.set(f.plugin, [...(byPlugin.get(f.plugin) ?? []), f])
  for (const [plugin, findings] of byPlugin) {
    out.push(bold(plugin, color))
    for (const f of collapseNotApplicable(findings, options.verbose)) {
      const word = paint(f.status, f.status.toUpperCase().padEnd(WORD_WIDTH), color)
      const subject = f.subject ? ` [${f.subject}]` : ''
      out.push(`  ${word} ${f.id}${subject}: ${f.message}`)
      const detailed = f.status !== 'pass' && f.status !== 'n/a'
      if (detailed || options.verbose) {
        for (const e of f.evidence.slice(0, options.verbose ? undefined : 3)) out.push(`  ${' '.repeat(WORD_WIDTH)}   evidence ${evidenceLine(e)}`)
      }

      if (detailed && f.remedy) out.push(`  ${' '.repeat(WORD_WIDTH)}   fix: ${f.remedy}`)
    }

    out.push('')
  }

  for (const e of report.pluginErrors) {
    out.push(`${paint('error', 'ERROR', color)} plugin ${e.plugin ?? ''}${e.plugin ? ' ' : ''}from ${e.package}: ${e.message}`)
  }

  if (report.pluginErrors.length > 0) out.push('')
  out.push(summaryLine(report.summary))
  return `${out.join('\n')}\n`
}
