import type {Finding} from '../engine/types.js'
import type {Report} from './report.js'
import {areaName} from './verdict.js'

/** One thing to do, and the check ids it addresses. */
export interface NextStep {
  text: string
  ids: string[]
}

/**
 * The engine's remedy for an `unknown` finding whose evidence is missing (src/engine/run.ts,
 * missingEvidenceRemedy): `Collect the missing evidence: NAME: REASON; get it with HOW. NAME: ...`.
 * Split into one step per file, so a file several checks need is collected once.
 */
const COLLECT = 'Collect the missing evidence: '

export interface CollectPart {
  name: string
  reason: string
  how?: string
}

export function collectParts(remedy: string): CollectPart[] | undefined {
  if (!remedy.startsWith(COLLECT)) return undefined
  const body = remedy.slice(COLLECT.length).replace(/\.$/, '')
  const parts: CollectPart[] = []
  // A part starts with an evidence name (no spaces) and a colon; a sentence inside a reason does not.
  for (const piece of body.split(/\. (?=[^\s:]+: )/)) {
    const m = /^([^\s:]+): (.*?)(?:; get it with (.+))?$/s.exec(piece)
    if (!m) return undefined
    parts.push({name: m[1]!, reason: m[2]!, ...(m[3] ? {how: m[3]} : {})})
  }

  return parts
}

/** The first code span of a text: the command a step runs. */
function command(text: string): string | undefined {
  return /`([^`]+)`/.exec(text)?.[1]
}

function label(f: Finding): string {
  return f.id
}

/**
 * The fixes of every fail, warn and unknown finding, in the order a person should do them: collect the
 * missing evidence first (it may turn up more failures), then report crashed checks, then fix the
 * failures, then the warnings, then the steps pending checks wait for. Each fix once: a file several
 * checks need, or one remedy several checks share, is one step listing all their ids.
 */
export function nextSteps(report: Pick<Report, 'findings' | 'pluginErrors' | 'scope'>): NextStep[] {
  const steps: NextStep[] = []
  const byKey = new Map<string, NextStep>()
  const add = (key: string, text: string, id: string) => {
    let step = byKey.get(key)
    if (!step) {
      // The same command already asked for by another step (a check's own remedy and a collect line).
      const cmd = command(text)
      step = cmd === undefined ? undefined : steps.find((s) => s.text.includes(`\`${cmd}\``))
      if (!step) {
        step = {text, ids: []}
        steps.push(step)
      }

      byKey.set(key, step)
    }

    if (!step.ids.includes(id)) step.ids.push(id)
  }

  // A waived finding is an accepted deviation: nothing to do about it.
  const of = (status: Finding['status']) =>
    report.findings.filter((f) => f.status === status && f.remedy && f.waived === undefined)
  for (const f of of('unknown')) {
    const parts = collectParts(f.remedy)
    if (!parts) {
      add(f.remedy, f.remedy, label(f))
      continue
    }

    for (const p of parts)
      add(
        `collect\u0000${p.name}`,
        p.how ? `Collect ${p.name} (${p.reason}): ${p.how}.` : `Collect ${p.name} (${p.reason}).`,
        label(f),
      )
  }

  for (const f of of('error')) add(f.remedy, f.remedy, label(f))
  for (const e of report.pluginErrors)
    add(
      `plugin\u0000${e.package}`,
      `Report the plugin error to the maintainers of ${e.package}: ${e.message}`,
      e.plugin ?? e.package,
    )
  for (const f of of('fail')) add(f.remedy, f.remedy, label(f))
  for (const f of of('warn')) add(f.remedy, f.remedy, label(f))
  for (const step of report.scope.until) {
    // What waits for it: a whole area by its name, else the checks by id.
    const what: string[] = []
    for (const f of report.findings) {
      if (f.pending !== step) continue
      const name = report.scope.pending.includes(f.plugin) ? areaName(f.plugin) : f.id
      if (!what.includes(name)) what.push(name)
    }

    steps.push({text: `${step[0]!.toUpperCase()}${step.slice(1)}, then check again (for ${what.join(', ')}).`, ids: []})
  }

  return steps
}
