import type {Registry} from '../engine/registry.js'
import type {Actor, Target} from '../engine/types.js'
import {TARGETS} from '../engine/types.js'

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
  /** The xenready version that introduced the check. */
  since?: string
  /** Who must act when it does not pass. */
  actor?: Actor
}

export function checkInfos(registry: Registry): CheckInfo[] {
  return registry.checks.map(({check, plugin}) => ({
    id: check.id,
    plugin: plugin.definition.name,
    title: check.title,
    targets: [...(check.targets ?? TARGETS)],
    evidence: [...check.evidence],
    description: check.description,
    why: check.why,
    remedy: check.remedy,
    references: [...(check.references ?? [])],
    ...(check.since ? {since: check.since} : {}),
    ...(check.actor ? {actor: check.actor} : {}),
  }))
}
