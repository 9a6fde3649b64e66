import type {Finding} from '../engine/types.js'
import type {PolicyMarks} from '../policy/types.js'
import type {PluginError} from '../engine/registry.js'

/**
 * The overall answer for the report's target:
 * - `not-ready`: a check failed.
 * - `cannot-tell`: nothing failed, but a check that matters is `unknown` (or crashed: a crash proves
 *   nothing either way), or nothing at all could be judged yet (every check waits for a step).
 * - `ready`: nothing failed and every check that matters was judged; warnings do not block it.
 *
 * A check matters when it applies to the run's target: its `targets` include `--target`. The engine
 * reports every other check as `n/a`, and an `n/a` finding never counts, so in practice every
 * `unknown` finding matters.
 */
export const VERDICTS = ['ready', 'not-ready', 'cannot-tell'] as const
export type Verdict = (typeof VERDICTS)[number]

/** What the verdict rests on, by plugin (area): see docs/report-schema.json. */
export interface Scope {
  /** Areas with at least one finding that is not n/a: what was judged. */
  judged: string[]
  /** Areas whose every finding is n/a, some of them until a step is done (`install NetBSD`): not judged yet. */
  pending: string[]
  /** Areas whose every finding is n/a for good (no pass-through configured, no domU configs): nothing to judge. */
  notApplicable: string[]
  /** The steps after which the pending checks apply, in report order; empty when the verdict is complete. */
  until: string[]
  /** The --only selection, when checks were left out on purpose. */
  only?: string[]
}

export interface Judgement {
  verdict: Verdict
  scope: Scope
}

export function judge(
  findings: ReadonlyArray<Finding & PolicyMarks>,
  pluginErrors: readonly PluginError[],
  only?: readonly string[],
): Judgement {
  const areas = new Map<string, 'judged' | 'pending' | 'notApplicable'>()
  const until: string[] = []
  let fail = false
  let doubt = pluginErrors.length > 0
  for (const f of findings) {
    const status = f.status
    // A waived finding was judged (its area counts as judged) but does not weigh on the verdict.
    if (f.waived !== undefined) {
      areas.set(f.plugin, 'judged')
      continue
    }

    if (status === 'fail') fail = true
    else if (status === 'unknown' || status === 'error') doubt = true
    if (status === 'n/a') {
      if (f.pending !== undefined && !until.includes(f.pending)) until.push(f.pending)
      const area = areas.get(f.plugin)
      if (area === undefined || (area === 'notApplicable' && f.pending !== undefined))
        areas.set(f.plugin, f.pending === undefined ? 'notApplicable' : 'pending')
    } else {
      areas.set(f.plugin, 'judged')
    }
  }

  const scope: Scope = {judged: [], pending: [], notApplicable: [], until}
  for (const [area, kind] of areas) scope[kind].push(area)
  if (only && only.length > 0) scope.only = [...only]
  const nothingJudged = scope.judged.length === 0 && until.length > 0
  return {verdict: fail ? 'not-ready' : doubt || nothingJudged ? 'cannot-tell' : 'ready', scope}
}

/** How the built-in plugins' areas read in a sentence; third-party plugins by their name. */
const AREA_NAMES: Record<string, string> = {cpu: 'CPU', xen: 'Xen', netbsd: 'NetBSD', pci: 'PCI', domu: 'domU'}

export function areaName(plugin: string): string {
  return AREA_NAMES[plugin] ?? plugin
}

export const VERDICT_WORDS: Record<Verdict, string> = {
  ready: 'READY',
  'not-ready': 'NOT READY',
  'cannot-tell': 'CANNOT TELL YET',
}

/**
 * The verdict as the text and Markdown reports say it, without the counts: `READY`, `NOT READY`,
 * `CANNOT TELL YET`, or, when some checks wait for a step, `READY so far: CPU (install NetBSD, then
 * check again)`; with --only, `READY for --only cpu`.
 */
export function verdictPhrase(j: Judgement): string {
  const word = VERDICT_WORDS[j.verdict]
  const only = j.scope.only ? ` for --only ${j.scope.only.join(',')}` : ''
  if (j.verdict !== 'ready' || j.scope.until.length === 0) return `${word}${only}`
  const areas = j.scope.judged.map(areaName).join(', ')
  return `${word}${only} so far: ${areas} (${j.scope.until.join(', then ')}, then check again)`
}
