import type {Registry} from '../engine/registry.js'
import {evidenceCatalog} from '../engine/catalog.js'
import {liveEvidence} from '../evidence/live.js'
import type {OpenedSource} from '../evidence/source.js'
import {Progress, wantsProgress} from './progress.js'

/** This host as an evidence source: every declared command and file, gathered in memory. */
export async function liveSource(
  registry: Registry,
  options: {quiet?: boolean; timeoutMs?: number} = {},
): Promise<OpenedSource> {
  // The report follows on stdout: a spinner while the commands run, no line per command.
  const progress = wantsProgress(options.quiet) ? new Progress(process.stderr, false) : undefined
  try {
    const {evidence} = await liveEvidence(evidenceCatalog(registry), {
      ...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {}),
      ...(progress ? {onStart: (s) => progress.start(s), onDone: (e) => progress.done(e)} : {}),
    })
    return {evidence, label: 'live', close: async () => {}}
  } finally {
    progress?.stop()
  }
}
