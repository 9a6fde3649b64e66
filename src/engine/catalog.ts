import type {CommandSpec, EvidenceSpec} from './types.js'
import type {Registry} from './registry.js'

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
  // The registry refused a plugin that declares a name already declared differently, so the first is the one.
  const byName = new Map<string, EvidenceSpec>()
  const paths = new Set<string>()
  for (const {definition} of registry.plugins) {
    for (const spec of definition.evidence) {
      if (spec.kind === 'listing') for (const p of spec.paths) paths.add(p)
      else if (!byName.has(spec.name)) byName.set(spec.name, spec)
    }
  }

  if (paths.size > 0) byName.set(LS_PATHS_NAME, lsPathsSpec([...paths]))
  return [...byName.values()]
}

export function lsPathsSpec(paths: readonly string[]): CommandSpec {
  return {
    kind: 'command',
    name: LS_PATHS_NAME,
    description: '`ls -ld` of the files and devices the checks look for, error lines included',
    argv: ['ls', '-ld', ...[...paths].sort()],
    stderr: 'merge',
  }
}

/** Whether two declarations of one evidence name say the same thing (the description aside). */
export function sameSpec(a: EvidenceSpec, b: EvidenceSpec): boolean {
  const key = (s: EvidenceSpec) => {
    const x = s as unknown as Record<string, unknown>
    return JSON.stringify(
      Object.keys(x)
        .filter((k) => k !== 'description' && x[k] !== undefined)
        .sort()
        .map((k) => [k, x[k]]),
    )
  }

  return key(a) === key(b)
}
