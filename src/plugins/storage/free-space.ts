/**
 * Room for guest disks: the devices dom0 leaves free and the largest gap outside a GPT disk's wedges. Pure
 * queries of the disk map (disk-map.ts), for storage.guest-space.
 */
import {parseDiskDevice} from '../../parsers/disk-device.js'
import type {DiskRange} from '../../util/disk-range.js'
import type {DiskMap, KnownDevice} from './disk-map.js'
import {ownershipOf, wholeDiskOf} from './ownership.js'

/**
 * Devices a guest could be given: wedges and (non-fictitious) partitions that dom0 neither uses nor
 * overlaps, and whole disks that carry nothing dom0 uses. Swap-typed devices are left out: they are
 * probably meant for dom0 even when fstab does not name them.
 */
export function freeDevices(map: DiskMap, fictitious: ReadonlySet<string>): KnownDevice[] {
  const out: KnownDevice[] = []
  for (const dev of Object.values(map.devices)) {
    if (dev.kind === 'partition' && dev.disk && fictitious.has(dev.disk)) continue
    if (dev.kind === 'partition' && (!dev.range || dev.range.sizeSectors === 0n)) continue
    if (/^swap$/i.test(dev.type ?? '')) continue
    if (dev.kind === 'partition' && dev.disk && wholeDiskOf(map, parseDiskDevice(`/dev/${dev.name}`))) continue
    if (ownershipOf(map, `/dev/${dev.name}`).owner === 'free') out.push(dev)
  }

  return out
}

/** GPT keeps its table in the first 34 and the last 33 sectors (protective MBR, header, 32 sectors of entries). */
const GPT_HEAD = 34n
const GPT_TAIL = 33n

/** The largest stretch of a wedge-listed disk that no wedge covers: room for `gpt add`. */
export function largestGap(map: DiskMap, disk: string): DiskRange | undefined {
  const total = map.devices[disk]?.range?.sizeSectors
  if (total === undefined || !map.wedgeListed.has(disk)) return undefined
  const wedges = Object.values(map.devices)
    .filter((d) => d.kind === 'wedge' && d.disk === disk && d.range)
    .map((d) => d.range!)
    .sort((a, b) => (a.offsetSectors < b.offsetSectors ? -1 : 1))
  let best: DiskRange | undefined
  let at = GPT_HEAD
  for (const r of [...wedges, {offsetSectors: total - GPT_TAIL, sizeSectors: 0n}]) {
    if (r.offsetSectors > at && (!best || r.offsetSectors - at > best.sizeSectors))
      best = {offsetSectors: at, sizeSectors: r.offsetSectors - at}
    if (r.offsetSectors + r.sizeSectors > at) at = r.offsetSectors + r.sizeSectors
  }

  return best
}
