import type {CheckContext, EvidenceRef} from '../../engine/types.js'
import {parseXenConfig} from '../../parsers/xen-config.js'
import {recognizeGuestConfig} from './recognize.js'
import {listedFiles, type XendomainsList, xendomainsOf} from './xendomains.js'
import type {DomuConfig, DomuFacts} from '../facts.js'

/** Where domain configurations live in a dump (and, live, under /usr/pkg/etc/xen/). */
export const DOMU_PATTERN = 'files/usr/pkg/etc/xen/*'
/**
 * Configs given with `--domu FILE`: evidence names `domu/<file name>` (see `domuEvidenceFromFiles` in
 * src/evidence/domu-files.ts).
 */
export const DOMU_FILE_PATTERN = 'domu/*'

/** The domu facts with per-list-element lines, for this plugin's own checks; other plugins see `DomuFacts`. */
export interface DomuConfigDetail extends DomuConfig {
  /** The file name alone (`nbsd`), the `subject` of this config's findings. */
  file: string
  /** For list values (`disk`, `vif`): the line each element starts on. */
  items: Record<string, EvidenceRef[]>
}

export interface DomuFactsDetail extends DomuFacts {
  configs: DomuConfigDetail[]
  /** Files under the configuration directory that were not taken as domain configs, and why. */
  skipped: Array<{source: string; reason: string}>
  /** rc.conf's `xendomains`, the guests created at boot. */
  xendomains?: XendomainsList
  /** Names xendomains lists whose /usr/pkg/etc/xen/<name> is not there (per ls-usr-pkg-etc-xen.txt). */
  missingListed: string[]
}

export function deriveDomuFacts(ctx: Pick<CheckContext, 'evidence'>): DomuFactsDetail {
  const facts: DomuFactsDetail = {configs: [], skipped: [], missingListed: []}
  const rc = ctx.evidence.get('files/etc/rc.conf')
  if (rc.present) facts.xendomains = xendomainsOf(rc.text, 'files/etc/rc.conf')
  const listed = new Set(facts.xendomains?.names ?? [])
  const names = [...new Set([...ctx.evidence.names(DOMU_PATTERN), ...ctx.evidence.names(DOMU_FILE_PATTERN)])].sort()
  for (const source of names) {
    const e = ctx.evidence.get(source)
    if (!e.present) continue
    const file = source.slice(source.lastIndexOf('/') + 1)
    const explicit = source.startsWith('domu/')
      ? 'named with --domu'
      : listed.has(file)
        ? `xendomains starts it at boot (${facts.xendomains!.line.source} line ${facts.xendomains!.line.line})`
        : undefined
    const r = recognizeGuestConfig(e.text, explicit, file)
    if (!r.guest) {
      facts.skipped.push({source, reason: r.why})
      continue
    }

    const parsed = parseXenConfig(e.text, source)
    facts.configs.push({source, file, values: parsed.values, errors: parsed.errors, items: parsed.items})
  }

  const ls = ctx.evidence.get('ls-usr-pkg-etc-xen.txt')
  if (facts.xendomains && ls.present) {
    const there = listedFiles(ls.text)
    facts.missingListed = facts.xendomains.names.filter((n) => !there.has(n))
  }

  // The file name is each finding's subject; when a dump config and a --domu file share one, use the evidence names.
  const count = new Map<string, number>()
  for (const c of facts.configs) count.set(c.file, (count.get(c.file) ?? 0) + 1)
  for (const c of facts.configs) if (count.get(c.file)! > 1) c.file = c.source

  return facts
}

/** `ctx.facts('domu')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    domu: DomuFactsDetail
  }
}
