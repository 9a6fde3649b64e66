/**
 * Which disk devices dom0 itself uses, for disklabel partitions and dk(4) wedges alike, and whether a
 * device given to a guest shares sectors with one of them. Pure: built from parsed evidence by the
 * storage facts, queried by domu.disk and storage.guest-space. Sources: docs/sources/disks-guests.md.
 *
 * dom0's devices are: the mounted ones and those in fstab (file systems and swap); the whole disk (the
 * raw partition, or a name without a letter) of every disk that carries one of them; and any device whose
 * sectors overlap one of them. Wedges never overlap each other (dk.c refuses it), but a disklabel
 * partition, the whole disk or another guest's device can overlap a wedge: ranges are compared in sectors
 * of the parent disk, the unit both disklabel(8) and `dkctl listwedges` print.
 */
import type {EvidenceRef} from '../engine/types.js'
import {type DiskDevice, parseDiskDevice} from '../parsers/disk-device.js'

export interface DiskRange {
  offsetSectors: bigint
  sizeSectors: bigint
}

export interface KnownDevice {
  /** `wd0e`, `dk1`, or `wd0` for the whole disk. */
  name: string
  kind: 'partition' | 'wedge' | 'disk'
  /** Parent disk; undefined for a wedge no `dkctl listwedges` output lists. */
  disk?: string
  range?: DiskRange
  /** The disklabel or listwedges line that shows it. */
  ref?: EvidenceRef
  /** `ffs`, `swap`, `4.2BSD`, ... as the label or the wedge list says. */
  type?: string
  /** The wedge's name (GPT label or UUID), for fstab `NAME=` lines. */
  label?: string
}

/** A device dom0 uses directly, and why. */
export interface Dom0Use {
  name: string
  why: string
  ref: EvidenceRef
}

export interface DiskMap {
  devices: Record<string, KnownDevice>
  /** Devices mounted or in fstab, by name (`wd0a`, `dk1`). */
  used: Record<string, Dom0Use>
  /** Disks whose disklabel is in the evidence; disks whose wedge list is. */
  labelled: Set<string>
  wedgeListed: Set<string>
  /** The raw partition letter, when known (hw.machine, a disklabel or listwedges header). */
  rawPartition?: 'c' | 'd'
  /** Whether mount.txt was in the evidence (fstab alone misses what was mounted by hand), and fstab. */
  haveMounts: boolean
  haveFstab: boolean
}

export interface DiskMapInput {
  labels: Array<{
    disk: string
    source: string
    totalSectors?: bigint
    partitions: Array<{letter: string; range: DiskRange; fstype: string; ref: EvidenceRef}>
  }>
  wedgeLists: Array<{
    disk: string
    wedges: Array<{name: string; label: string; range: DiskRange; ptype: string; ref: EvidenceRef}>
  }>
  mounts?: Array<{device: string; mountPoint: string; ref: EvidenceRef}>
  fstab?: Array<{device: string; mountPoint: string; type: string; ref: EvidenceRef}>
  rawPartition?: 'c' | 'd'
}

export function buildDiskMap(input: DiskMapInput): DiskMap {
  const map: DiskMap = {
    devices: {},
    used: {},
    labelled: new Set(),
    wedgeListed: new Set(),
    rawPartition: input.rawPartition,
    haveMounts: input.mounts !== undefined,
    haveFstab: input.fstab !== undefined,
  }
  for (const l of input.labels) {
    map.labelled.add(l.disk)
    map.devices[l.disk] ??= {name: l.disk, kind: 'disk', disk: l.disk}
    if (l.totalSectors !== undefined) map.devices[l.disk]!.range = {offsetSectors: 0n, sizeSectors: l.totalSectors}
    for (const p of l.partitions)
      map.devices[`${l.disk}${p.letter}`] = {
        name: `${l.disk}${p.letter}`,
        kind: 'partition',
        disk: l.disk,
        range: p.range,
        ref: p.ref,
        type: p.fstype,
      }
  }

  for (const w of input.wedgeLists) {
    map.wedgeListed.add(w.disk)
    map.devices[w.disk] ??= {name: w.disk, kind: 'disk', disk: w.disk}
    for (const x of w.wedges)
      map.devices[x.name] = {
        name: x.name,
        kind: 'wedge',
        disk: w.disk,
        range: x.range,
        ref: x.ref,
        type: x.ptype,
        label: x.label,
      }
  }

  const byLabel = new Map(
    Object.values(map.devices)
      .filter((d) => d.label !== undefined)
      .map((d) => [d.label!, d.name]),
  )
  const use = (device: string, why: string, ref: EvidenceRef) => {
    // fstab may name a wedge by its GPT label: `NAME=netbsd-root / ffs rw 1 1`.
    const byName = /^NAME=(.+)$/.exec(device)
    const name = byName ? byLabel.get(byName[1]!) : nameOf(parseDiskDevice(device))
    if (!name || map.used[name]) return
    map.used[name] = {name, why, ref}
    if (!map.devices[name]) {
      const d = parseDiskDevice(`/dev/${name}`)
      map.devices[name] = {
        name,
        kind: d.kind === 'wedge' ? 'wedge' : d.kind === 'disk' ? 'disk' : 'partition',
        disk: d.kind === 'partition' || d.kind === 'disk' ? d.disk : undefined,
      }
    }
  }

  // The EFI system partition holds the boot loader the firmware runs (efiboot): dom0's even when not mounted.
  for (const w of input.wedgeLists) {
    for (const x of w.wedges)
      if (/^msdos$/i.test(x.ptype) && /\b(EFI|ESP)\b/i.test(x.label))
        use(`/dev/${x.name}`, 'the EFI system partition dom0 boots from', x.ref)
  }

  for (const m of input.mounts ?? [])
    use(
      m.device,
      m.mountPoint === '/' ? "dom0's root file system, mounted on /" : `mounted on ${m.mountPoint} in dom0`,
      m.ref,
    )
  for (const f of input.fstab ?? [])
    use(f.device, f.type === 'swap' ? "dom0's swap, in fstab" : `in dom0's fstab for ${f.mountPoint}`, f.ref)
  return map
}

function nameOf(d: DiskDevice): string | undefined {
  return d.kind === 'partition' || d.kind === 'wedge' || d.kind === 'disk' ? d.name : undefined
}

export function rangesOverlap(a: DiskRange, b: DiskRange): boolean {
  if (a.sizeSectors === 0n || b.sizeSectors === 0n) return false
  return a.offsetSectors < b.offsetSectors + b.sizeSectors && b.offsetSectors < a.offsetSectors + a.sizeSectors
}

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
function wholeDiskOf(map: DiskMap, d: DiskDevice): string | undefined {
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
export function extentOf(map: DiskMap, path: string): {name: string; disk: string; range: DiskRange} | undefined {
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
