import type {CheckContext, EvidenceRef} from '../../engine/types.js'
import {parseXenConfig} from '../../parsers/xen-config.js'
import type {DomuConfig, DomuFacts} from '../facts.js'

/** Where domain configurations live in a dump (and, live, under /usr/pkg/etc/xen/). */
export const DOMU_PATTERN = 'files/usr/pkg/etc/xen/*'
/** Configs given with `--domu FILE`: evidence names `domu/<file name>` (see `domuEvidenceFromFiles` in src/evidence/domu-files.ts). */
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
}

/**
 * Files that share /usr/pkg/etc/xen/ with the domain configs but are not configs: the xend and xl
 * daemon settings, S-expression files, the hotplug scripts (vif-bridge, block...), examples.
 */
export function whyNotAConfig(file: string, text: string): string | undefined {
  if (/\.sxp$/i.test(file)) return 'an S-expression (.sxp) file, not a domain config'
  if (/^(xend-config|xl\.conf|xm-config|xend-pci-(permissive|quirks)|cpupool)/.test(file)) return 'a Xen daemon/tool setting file, not a domain config'
  if (/^(vif-|block|network-|qemu-|hotplugpath|xen-hotplug|xen-network|xen-script|locking|logging)/.test(file)) return 'a Xen hotplug script'
  if (/^(README.*|.*\.(sh|pyc|orig|bak|rej|example|dist|sample|txt|md)|.*~)$/i.test(file)) return 'not a domain config (by its name)'
  if (text.startsWith('#!')) return 'a script (starts with #!)'
  if (text.includes('\u0000')) return 'a binary file'
  return undefined
}

export function deriveDomuFacts(ctx: Pick<CheckContext, 'evidence'>): DomuFactsDetail {
  const facts: DomuFactsDetail = {configs: [], skipped: []}
  const names = [...new Set([...ctx.evidence.names(DOMU_PATTERN), ...ctx.evidence.names(DOMU_FILE_PATTERN)])].sort()
  for (const source of names) {
    const e = ctx.evidence.get(source)
    if (!e.present) continue
    const file = source.slice(source.lastIndexOf('/') + 1)
    // A file named with --domu (domu/<name>) is a config because the user said so, whatever its name (web.txt,
    // nbsd.bak): the filter is only for telling configs from other files when reading the whole directory.
    const why = source.startsWith('domu/') ? undefined : whyNotAConfig(file, e.text)
    if (why) {
      facts.skipped.push({source, reason: why})
      continue
    }

    const parsed = parseXenConfig(e.text, source)
    facts.configs.push({source, file, values: parsed.values, errors: parsed.errors, items: parsed.items})
  }

  // The file name is each finding's subject; when a dump config and a --domu file share one, use the evidence names.
  const count = new Map<string, number>()
  for (const c of facts.configs) count.set(c.file, (count.get(c.file) ?? 0) + 1)
  for (const c of facts.configs) if (count.get(c.file)! > 1) c.file = c.source

  return facts
}
