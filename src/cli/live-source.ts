import type {Registry} from '../engine/registry.js'
import {evidenceCatalog} from '../probes/catalog.js'
import {liveEvidence} from '../probes/live.js'
import type {OpenedSource} from '../probes/source.js'

export async function liveSource(registry: Registry): Promise<OpenedSource> {
  const {evidence} = await liveEvidence(evidenceCatalog(registry))
  return {evidence, label: 'live', close: async () => {}}
}
