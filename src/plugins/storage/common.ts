import {type CheckContext, type EvidenceRef, refOf} from '../../engine/types.js'
import type {StorageFactsFull, StorageDiskLabel} from './facts.js'


export const storage = (ctx: CheckContext) => ctx.facts<StorageFactsFull>('storage')

export function dedupe(refs: Array<EvidenceRef | undefined>): EvidenceRef[] {
  const seen = new Set<string>()
  return refs
    .filter((r): r is EvidenceRef => r !== undefined)
    .filter((r) => !seen.has(`${r.source}:${r.line}`) && Boolean(seen.add(`${r.source}:${r.line}`)))
    .map(refOf)
}

export function bytesOf(disk: StorageDiskLabel, sectors: bigint): bigint {
  return sectors * BigInt(disk.bytesPerSector)
}
