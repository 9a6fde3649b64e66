/**
 * Who owns a device a guest is given: dom0 (it uses the device or shares sectors with one it uses), nobody,
 * or unknown with the command that would tell; and the sectors a device covers, to compare two guests'
 * devices. Pure queries of the disk map (disk-map.ts). Sources: docs/sources/disks-guests.md.
 */
import type {EvidenceRef} from '../../engine/types.js'
import {type DiskDevice, parseDiskDevice} from '../../parsers/disk-device.js'
import {type DiskRange, rangesOverlap} from '../../util/disk-range.js'
import {type DiskMap, type Dom0Use, nameOf} from './disk-map.js'

export type Ownership =
  /** dom0 uses it or shares sectors with something dom0 uses. */
  | {owner: 'dom0'; device: string; says: string; refs: EvidenceRef[]}
  /** Nothing dom0 uses is on it, as far as complete evidence shows. */
  | {owner: 'free'; device: string; says: string; refs: EvidenceRef[]}
  | {owner: 'unknown'; device: string; says: string; refs: EvidenceRef[]; need: string[]}

/** The sectors a name covers, when known: its own range, or the whole disk for the raw partition. */
function rangeOf(map: DiskMap, name: string): DiskRange | undefined {
  return map.devices[name]?.range
}

/** Whether `name` is the whole disk: a disk name, or its raw partition (`c` too on x86, which spans NetBSD's part). */
export function wholeDiskOf(map: DiskMap, d: DiskDevice): string | undefined {
  if (d.kind === 'disk') return d.disk
  if (d.kind !== 'partition') return undefined
  if (d.letter === map.rawPartition) return d.disk
  // Without the port known, c and d are both taken as whole-disk partitions (the raw one is one of them).
  if (!map.rawPartition && (d.letter === 'c' || d.letter === 'd') && !map.devices[d.name]?.range) return d.disk
  return undefined
}

const collectOf = (disk: string) => [
  `disklabel ${disk} > disklabel-${disk}.txt`,
  `dkctl ${disk} listwedges > dkctl-${disk}.txt`,
]

/**
 * Whether dom0 uses the device at `path` (a guest's `phy:`/target path). Raw names (`/dev/rdk1`) are the
 * same sectors as the block names. Device-mapper and other names are `unknown`: nothing here maps them.
 */
export function ownershipOf(map: DiskMap, path: string): Ownership {
  const d = parseDiskDevice(path)
  if (d.kind === 'mapper')
    return {
      owner: 'unknown',
      device: path,
      says: `${path} is a device-mapper (LVM) volume: which disk sectors it uses is not in the evidence`,
      refs: [],
      need: ['lvm lvdisplay -m'],
    }
  if (d.kind === 'other')
    return {
      owner: 'unknown',
      device: path,
      says: `${path} is not a disk, partition or wedge name this tool understands`,
      refs: [],
      need: [`ls -ld ${path}`],
    }
  const name = d.name
  const direct = map.used[name]
  if (direct) return {owner: 'dom0', device: name, says: `${name} is ${direct.why}`, refs: [direct.ref]}
  if (!map.haveMounts && !map.haveFstab)
    return {
      owner: 'unknown',
      device: name,
      says: `whether dom0 uses ${name} is unknown (no mount.txt and no fstab)`,
      refs: [],
      need: ['mount > mount.txt'],
    }
  const used = Object.values(map.used)
  const dev = map.devices[name]
  // Every running dom0 mounts its root from a disk: finding none means the evidence does not show it.
  if (!used.some((u) => /(mounted on|fstab for) \/$|root/.test(u.why)))
    return {
      owner: 'unknown',
      device: name,
      says: `whether dom0 uses ${name} is unknown: no disk device is mounted on / in the evidence (root on NFS, a RAM disk, or mount.txt incomplete)`,
      refs: [],
      need: ['mount > mount.txt'],
    }

  // The whole disk holds everything on it.
  const whole = wholeDiskOf(map, d)
  if (whole) {
    const onIt = used.filter((u) => map.devices[u.name]?.disk === whole)
    if (onIt.length > 0)
      return {
        owner: 'dom0',
        device: name,
        says: `${name} is the whole disk ${whole}, which holds ${onIt.map((u) => `${u.name} (${u.why})`).join(', ')}`,
        refs: [...onIt.map((u) => u.ref), ...(dev?.ref ? [dev.ref] : [])],
      }
    const lost = used.filter((u) => map.devices[u.name]?.disk === undefined)
    if (lost.length > 0)
      return {
        owner: 'unknown',
        device: name,
        says: `${name} is the whole disk ${whole}; whether ${lost.map((u) => u.name).join(', ')} (used by dom0) lie on it is unknown`,
        refs: lost.map((u) => u.ref),
        need: lost.map((u) => `dkctl <disk> listwedges (the disk holding ${u.name})`),
      }
    return {
      owner: 'free',
      device: name,
      says: `${name} is the whole disk ${whole}; dom0 mounts nothing on it`,
      refs: dev?.ref ? [dev.ref] : [],
    }
  }

  // A wedge or a partition: compare its sectors with each device dom0 uses on the same disk.
  const disk = dev?.disk ?? (d.kind === 'partition' ? d.disk : undefined)
  const range = rangeOf(map, name)
  const unknowns: string[] = []
  const need = new Set<string>()
  const hits: Dom0Use[] = []
  for (const u of used) {
    const other = map.devices[u.name]
    // Two wedges never overlap (dk.c); a wedge and a partition, or two partitions of one disk, can.
    if (d.kind === 'wedge' && other?.kind === 'wedge') continue
    const otherDisk = other?.disk
    if (disk === undefined) {
      // An unlisted wedge: any partition dom0 uses might be on the same disk.
      unknowns.push(`which disk ${name} is on (${u.name} is ${u.why})`)
      if (otherDisk) need.add(`dkctl ${otherDisk} listwedges > dkctl-${otherDisk}.txt`)
      continue
    }

    if (otherDisk === undefined) {
      // A wedge dom0 uses that no listing places: on this disk unless this disk's wedge list says otherwise.
      if (map.wedgeListed.has(disk)) continue
      unknowns.push(`which disk ${u.name} (${u.why}) is on`)
      need.add(`dkctl ${disk} listwedges > dkctl-${disk}.txt`)
      continue
    }

    if (otherDisk !== disk) continue
    if (other?.kind === 'disk') {
      hits.push(u)
      continue
    }

    if (!range || !other?.range) {
      unknowns.push(`whether ${name} overlaps ${u.name} (${u.why})`)
      for (const c of collectOf(disk)) need.add(c)
      continue
    }

    if (rangesOverlap(range, other.range)) hits.push(u)
  }

  if (hits.length > 0) {
    return {
      owner: 'dom0',
      device: name,
      says: `${name} overlaps ${hits.map((h) => `${h.name} (${h.why})`).join(', ')}${range ? `: sectors ${range.offsetSectors}-${range.offsetSectors + range.sizeSectors - 1n} of ${disk}` : ''}`,
      refs: [...(dev?.ref ? [dev.ref] : []), ...hits.map((h) => h.ref)],
    }
  }

  if (unknowns.length > 0)
    return {
      owner: 'unknown',
      device: name,
      says: `${name} is not mounted nor in fstab, but ${[...new Set(unknowns)].join('; ')} is unknown`,
      refs: dev?.ref ? [dev.ref] : [],
      need: [...need],
    }
  if (!dev && d.kind === 'wedge')
    return {
      owner: 'unknown',
      device: name,
      says: `${name} is not mounted nor in fstab, and no dkctl listwedges output lists it`,
      refs: [],
      need: ['dkctl <disk> listwedges > dkctl-<disk>.txt (every disk)'],
    }
  if (!dev)
    return {
      owner: 'free',
      device: name,
      says: `${name} is not mounted nor in fstab, and dom0 uses nothing on ${disk}`,
      refs: [],
    }
  return {
    owner: 'free',
    device: name,
    says: `${name} is not mounted nor in fstab and overlaps nothing dom0 uses${range && disk ? ` (sectors ${range.offsetSectors}-${range.offsetSectors + range.sizeSectors - 1n} of ${disk})` : ''}`,
    refs: dev.ref ? [dev.ref] : [],
  }
}

/** The disk and sectors of a guest device, to compare two guests' devices; undefined when unknown. */
export function extentOf(map: DiskMap, path: string): DiskExtent | undefined {
  const d = parseDiskDevice(path)
  const name = nameOf(d)
  if (!name) return undefined
  const dev = map.devices[name]
  if (!dev?.disk) return undefined
  const whole = wholeDiskOf(map, d)
  if (whole) {
    const r = map.devices[whole]?.range ?? dev.range
    return r
      ? {name, disk: whole, range: r}
      : {name, disk: whole, range: {offsetSectors: 0n, sizeSectors: (1n << 63n) - 1n}}
  }

  return dev.range ? {name, disk: dev.disk, range: dev.range} : undefined
}

/** Where a guest device lies: its name, its disk and the sectors it covers there. */
export interface DiskExtent {
  name: string
  disk: string
  range: DiskRange
}

/** The ownership questions the storage facts answer for other plugins (domu.disk), bound to one disk map. */
export interface DiskOwnership {
  of(path: string): Ownership
  extentOf(path: string): DiskExtent | undefined
}

export function diskOwnership(map: DiskMap): DiskOwnership {
  return {of: (path) => ownershipOf(map, path), extentOf: (path) => extentOf(map, path)}
}
