import {cpus} from 'node:os'
import type {EvidenceSpec} from '../engine/types.js'
import {MemoryEvidenceSet} from './evidence-set.js'
import {collect, hostOs, type CollectOptions, type Collected} from './collect.js'

export type LiveOptions = Partial<Omit<CollectOptions, 'os'>>

/** Gathers the evidence on this host, in memory, with the same collection `xenready collect` uses. */
export async function liveEvidence(
  specs: readonly EvidenceSpec[],
  options: LiveOptions = {},
): Promise<{evidence: MemoryEvidenceSet; collected: Collected}> {
  const os = hostOs()
  // The commands run in their own process groups (so a timeout can kill a whole pipeline), which also
  // keeps the terminal's Ctrl-C from reaching them: pass it on, or a hung command would outlive us.
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    controller.abort()
    process.stderr.write(`xenready: interrupted (${signal})\n`)
    process.exit(130)
  }

  options.signal?.addEventListener('abort', () => controller.abort(), {once: true})
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const collected = await collect(specs, {
      os,
      timeoutMs: 10_000,
      concurrency: Math.max(4, cpus().length * 2),
      ...options,
      signal: controller.signal,
    })
    return {
      evidence: new MemoryEvidenceSet(
        collected.evidence,
        `not collected on a ${os === 'other' ? process.platform : os} host`,
      ),
      collected,
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
