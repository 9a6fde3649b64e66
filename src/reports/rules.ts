import type {Registry} from '../engine/registry.js'
import type {Target} from '../engine/types.js'

/** What a report renderer needs to know about a check besides its findings: the text `explain` prints. */
export interface CheckInfo {
  id: string
  plugin: string
  title: string
  targets: Target[]
  evidence: string[]
  description: string
  why: string
  remedy: string
  references: string[]
}

export function checkInfos(registry: Registry): CheckInfo[] {
  return registry.checks.map(({check, plugin}) => ({
    id: check.id,
    plugin: plugin.definition.name,
    title: check.title,
    targets: [...check.targets],
    evidence: [...check.evidence],
    description: check.description,
    why: check.why,
    remedy: check.remedy,
    references: [...(check.references ?? [])],
  }))
}
