import type {CheckContext} from '../../engine/types.js'
import type {StorageDiskLabel} from './facts.js'

export const storage = (ctx: CheckContext) => ctx.facts('storage')

export function bytesOf(disk: StorageDiskLabel, sectors: bigint): bigint {
  return sectors * BigInt(disk.bytesPerSector)
}
