import {cpus} from 'node:os'
import type {EvidenceSpec} from '../engine/types.js'
import {MemoryEvidenceSet} from './evidence-set.js'
import {collect, hostOs, type CollectOptions, type Collected} from './collect.js'

export interface LiveOptions extends Partial<Omit<CollectOptions, 'os'>> {}

/** Gathers the evidence on this host, in memory, with the same collection `xenready collect` uses. */
export async function liveEvidence(specs: readonly EvidenceSpec[], options: LiveOptions = {}): Promise<{evidence: MemoryEvidenceSet; collected: Collected}> {
  const os = hostOs()
  const collected = await collect(specs, {os, timeoutMs: 10_000, concurrency: Math.max(4, cpus().length * 2), ...options})
  return {evidence: new MemoryEvidenceSet(collected.evidence, `not collected on a ${os === 'other' ? process.platform : os} host`), collected}
}
