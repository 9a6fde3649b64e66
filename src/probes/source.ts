import type {EvidenceSet} from '../engine/types.js'
import {DumpEvidenceSet} from './dump.js'

export interface OpenedSource {
  evidence: EvidenceSet
  /** What the report names as its source: the path given, or `live`. */
  label: string
  /** Removes anything opening it created (an extracted bundle). */
  close(): Promise<void>
}

/** Opens what `--from` names: a dump directory (bundles: see the bundle reader). */
export async function openSource(path: string): Promise<OpenedSource> {
  return {evidence: new DumpEvidenceSet(path), label: path, close: async () => {}}
}
