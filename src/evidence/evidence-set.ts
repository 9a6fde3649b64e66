import type {Evidence, EvidenceSet} from '../engine/types.js'
import {isPattern, matchesPattern} from '../engine/evidence-names.js'

/** Evidence held in memory (live collection, tests). Names absent from the map are missing for `absentReason`. */
export class MemoryEvidenceSet implements EvidenceSet {
  constructor(
    private readonly items: ReadonlyMap<string, Evidence>,
    private readonly absentReason = 'not collected',
  ) {}

  static fromTexts(texts: Record<string, string>, origin = 'test'): MemoryEvidenceSet {
    const map = new Map<string, Evidence>()
    for (const [name, text] of Object.entries(texts))
      map.set(name, {name, present: true, text, origin: `${origin}/${name}`})
    return new MemoryEvidenceSet(map, 'not in the evidence')
  }

  get(name: string): Evidence {
    return this.items.get(name) ?? {name, present: false, reason: this.absentReason}
  }

  names(pattern: string): string[] {
    const out: string[] = []
    for (const [name, e] of this.items) {
      if (e.present && (isPattern(pattern) ? matchesPattern(pattern, name) : name === pattern)) out.push(name)
    }

    return out.sort()
  }

  entries(): Evidence[] {
    return [...this.items.values()]
  }
}
