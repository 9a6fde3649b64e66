import type {FailOn, Report, ReportFinding as Finding} from './report.js'
import {escapeAttr, escapeText} from './xml.js'

export interface JunitOptions {
  /**
   * `unknown` becomes `<error>` instead of `<skipped>`: a CI that must prove readiness cannot skip what it could not
   * see.
   */
  strict?: boolean
  /** With `warn` or `unknown`, those statuses are failures too, as they are for the exit code. */
  failOn?: FailOn
  /** Several dumps: each suite name says which dump it is about. */
  fleet?: boolean
}

type Verdict = {kind: 'pass'} | {kind: 'failure' | 'error' | 'skipped'; type: string}

function verdict(f: Finding, options: JunitOptions): Verdict {
  const failOn = options.failOn ?? 'fail'
  // A waiver is an accepted deviation: the test is skipped, with the reason (see skipMessage).
  if (f.waived) return {kind: 'skipped', type: 'waived'}
  switch (f.status) {
    case 'pass': {
      return {kind: 'pass'}
    }

    case 'fail': {
      return {kind: 'failure', type: 'fail'}
    }

    case 'error': {
      return {kind: 'error', type: 'error'}
    }

    case 'warn': {
      return failOn === 'fail' ? {kind: 'pass'} : {kind: 'failure', type: 'warn'}
    }

    case 'unknown': {
      if (options.strict) return {kind: 'error', type: 'unknown'}
      return failOn === 'unknown' ? {kind: 'failure', type: 'unknown'} : {kind: 'skipped', type: 'unknown'}
    }

    default: {
      return {kind: 'skipped', type: 'n/a'}
    }
  }
}

function skipMessage(f: Finding): string {
  if (!f.waived) return `${f.status}: ${f.message}`
  return `waived (${f.status}): ${f.waived.reason}${f.waived.expires ? ` (until ${f.waived.expires})` : ''}; ${f.message}`
}

function body(f: Finding): string {
  const lines = [`${f.status.toUpperCase()}: ${f.message}`]
  if (f.adjusted)
    lines.push(
      f.adjusted.by === 'require'
        ? 'policy: unknown counts as fail here (require)'
        : `policy: the check said ${f.adjusted.from}; this site's severity makes it ${f.status}`,
    )
  if (f.waiverExpired)
    lines.push(`waiver expired on ${f.waiverExpired.expires}, it no longer applies: ${f.waiverExpired.reason}`)
  for (const e of f.evidence)
    lines.push(`evidence ${e.line > 0 ? `${e.source}:${e.line}` : e.source}: ${e.text.trim()}`)
  if (f.remedy) lines.push(`fix: ${f.remedy}`)
  return lines.join('\n')
}

/** The Ant/Jenkins timestamp: ISO 8601 without a time zone (the schema's pattern refuses one). */
function timestamp(iso: string): string {
  return iso.slice(0, 19)
}

/**
 * JUnit XML as the Ant/Jenkins schema (test/fixtures/schemas/JUnit.xsd) defines it: one `<testsuite>`
 * per plugin (per dump and plugin for a fleet), one `<testcase>` per finding, classname = plugin.
 */
export function renderJunit(reports: readonly Report[], options: JunitOptions = {}): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>']
  let id = 0
  for (const report of reports) {
    const byPlugin = new Map<string, Finding[]>()
    for (const f of report.findings) byPlugin.set(f.plugin, [...(byPlugin.get(f.plugin) ?? []), f])
    for (const [plugin, findings] of byPlugin) {
      const verdicts = findings.map((f) => verdict(f, options))
      const count = (k: Verdict['kind']) => verdicts.filter((v) => v.kind === k).length
      const name = options.fleet ? `${report.source}: ${plugin}` : plugin
      const hostname = report.source === 'live' ? 'localhost' : report.source
      out.push(
        `  <testsuite package="xenready" id="${id++}" name="${escapeAttr(name)}" timestamp="${timestamp(report.generated)}" hostname="${escapeAttr(hostname || 'localhost')}" tests="${findings.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="0">`,
        '    <properties>',
        `      <property name="source" value="${escapeAttr(report.source)}"/>`,
        `      <property name="target" value="${escapeAttr(report.target)}"/>`,
        `      <property name="xenready.version" value="${escapeAttr(report.tool.version)}"/>`,
        `      <property name="verdict" value="${report.verdict}"/>`,
        '    </properties>',
      )
      findings.forEach((f, i) => {
        const v = verdicts[i]!
        const head = `    <testcase name="${escapeAttr(f.subject ? `${f.id} [${f.subject}]` : f.id)}" classname="${escapeAttr(plugin)}" time="0"`
        if (v.kind === 'pass') {
          out.push(`${head}/>`)
        } else if (v.kind === 'skipped') {
          out.push(`${head}>`, `      <skipped message="${escapeAttr(skipMessage(f))}"/>`, '    </testcase>')
        } else {
          out.push(
            `${head}>`,
            `      <${v.kind} message="${escapeAttr(f.message)}" type="${v.type}">${escapeText(body(f))}</${v.kind}>`,
            '    </testcase>',
          )
        }
      })
      // Warnings below the threshold pass, but CI readers should still see them.
      const notes = findings.filter((f, i) => verdicts[i]!.kind === 'pass' && f.status !== 'pass').map(body)
      out.push(
        notes.length > 0 ? `    <system-out>${escapeText(notes.join('\n\n'))}</system-out>` : '    <system-out/>',
        '    <system-err/>',
        '  </testsuite>',
      )
    }

    for (const e of report.pluginErrors) {
      const plugin = e.plugin ?? e.package
      out.push(
        `  <testsuite package="xenready" id="${id++}" name="${escapeAttr(options.fleet ? `${report.source}: plugin ${plugin}` : `plugin ${plugin}`)}" timestamp="${timestamp(report.generated)}" hostname="${escapeAttr(report.source || 'localhost')}" tests="1" failures="0" errors="1" skipped="0" time="0">`,
        '    <properties/>',
        `    <testcase name="load" classname="${escapeAttr(plugin)}" time="0">`,
        `      <error message="${escapeAttr(e.message)}" type="plugin-error">${escapeText(`plugin ${plugin} from ${e.package}: ${e.message}`)}</error>`,
        '    </testcase>',
        '    <system-out/>',
        '    <system-err/>',
        '  </testsuite>',
      )
    }
  }

  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}
