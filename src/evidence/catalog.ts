import type {EvidenceSpec} from '../engine/types.js'
import type {Registry} from '../engine/registry.js'

export const LS_PATHS_NAME = 'ls-paths.txt'

// One catalog per registry: a fleet asks for it once per dump.
const catalogs = new WeakMap<Registry, readonly EvidenceSpec[]>()

/** Every evidence spec the registered plugins declare, once each, plus the `ls -ld` of all paths they want listed. */
export function evidenceCatalog(registry: Registry): readonly EvidenceSpec[] {
  let catalog = catalogs.get(registry)
  if (!catalog) {
    catalog = Object.freeze(buildCatalog(registry))
    catalogs.set(registry, catalog)
  }

  return catalog
}

function buildCatalog(registry: Registry): EvidenceSpec[] {
  const byName = new Map<string, EvidenceSpec>()
  const paths = new Set<string>()
  for (const {definition} of registry.plugins) {
    for (const spec of definition.evidence) if (!byName.has(spec.name)) byName.set(spec.name, spec)
    for (const p of definition.lsPaths ?? []) paths.add(p)
  }

  if (paths.size > 0) {
    byName.set(LS_PATHS_NAME, {
      name: LS_PATHS_NAME,
      description: '`ls -ld` of the files and devices the checks look for, error lines included',
      argv: ['ls', '-ld', ...[...paths].sort()],
      stderr: 'merge',
    })
  }

  return [...byName.values()]
}
