import type {EvidenceSpec, PluginDefinition} from './types.js'

/**
 * Plugin API version 1, adapted to version 2 so that plugins written against it keep loading:
 * an evidence spec said what it was by which key it had (`argv`, `path`, `probe`), and `ls -ld`
 * paths were a separate `lsPaths` list; every check listed its `targets`. Anything the adapter cannot
 * translate is refused with one line that names what to change.
 */

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

export function adaptV1(raw: unknown): {definition: unknown; problem?: string} {
  if (!isObject(raw) || !Array.isArray(raw.evidence)) return {definition: raw}
  const name = typeof raw.name === 'string' ? raw.name : '?'
  const evidence: unknown[] = []
  for (const e of raw.evidence as unknown[]) {
    if (!isObject(e)) return {definition: raw}
    if ('kind' in e)
      return {
        definition: raw,
        problem: `plugin ${name}: an apiVersion 1 plugin has no evidence kinds; return apiVersion 2 from its xenready:register hook`,
      }
    const {argv, path, probe, ...rest} = e
    if (Array.isArray(argv)) evidence.push({...rest, kind: 'command', argv})
    else if (typeof path === 'string') evidence.push({...rest, kind: 'file', path})
    else if (typeof probe === 'string') evidence.push({...rest, kind: 'library', library: probe})
    else {
      return {
        definition: raw,
        problem: `plugin ${name} (API v1): evidence ${JSON.stringify(e.name)} has no argv, path or probe; give it one, or move to apiVersion 2 (kind command, file, library or listing)`,
      }
    }
  }

  if (raw.lsPaths !== undefined) {
    if (!Array.isArray(raw.lsPaths))
      return {definition: raw, problem: `plugin ${name}: lsPaths must be a list of absolute paths`}
    evidence.push({kind: 'listing', paths: raw.lsPaths})
  }

  const {lsPaths: _lsPaths, ...definition} = raw
  return {definition: {...definition, evidence}}
}

/** An evidence spec as API v1 wrote it: what it is follows from which of `argv`, `path`, `probe` it has. */
export type EvidenceSpecV1 = Omit<EvidenceSpec, 'kind' | 'argv' | 'path' | 'library' | 'stderr'> & {
  argv?: string[]
  path?: string
  probe?: string
  stderr?: 'merge'
}

/** A plugin definition as API v1 wrote it: v1 evidence specs, and `ls -ld` paths in `lsPaths`. */
export type PluginDefinitionV1 = Omit<PluginDefinition, 'evidence'> & {
  evidence: readonly EvidenceSpecV1[]
  lsPaths?: readonly string[]
}
