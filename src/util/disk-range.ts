/** A stretch of a disk in sectors of the parent disk, the unit both disklabel(8) and `dkctl listwedges` print. */
export interface DiskRange {
  offsetSectors: bigint
  sizeSectors: bigint
}

/** Whether two stretches of one disk share a sector; an empty stretch shares none. */
export function rangesOverlap(a: DiskRange, b: DiskRange): boolean {
  if (a.sizeSectors === 0n || b.sizeSectors === 0n) return false
  return a.offsetSectors < b.offsetSectors + b.sizeSectors && b.offsetSectors < a.offsetSectors + a.sizeSectors
}
