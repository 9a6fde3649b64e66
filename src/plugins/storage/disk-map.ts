/**
 * The storage facts' disk map: every disklabel partition and dk(4) wedge with its sectors, what dom0 mounts
 * and swaps on, and the raw partition letter. Pure: built from parsed evidence by the storage facts; the
 * ownership questions asked of it are in ownership.ts. Sources: docs/sources/disks-guests.md.
 *
 * dom0's devices are: the mounted ones and those in fstab (file systems and swap); the whole disk (the
 * raw partition, or a name without a letter) of every disk that carries one of them; and any device whose
 * sectors overlap one of them. Wedges never overlap each other (dk.c refuses it), but a disklabel
 * partition, the whole disk or another guest's device can overlap a wedge: ranges are compared in sectors
 * of the parent disk, the unit both disklabel(8) and `dkctl listwedges` print.
 */
import type {EvidenceRef, Fact} from '../../engine/types.js'
import {type DiskDevice, parseDiskDevice, rawPartitionLetter} from '../../parsers/disk-device.js'
import {type ParsedWedges, rawPartitionOfHeader} from '../../parsers/dkctl.js'
import type {FstabEntry, MountEntry} from '../../parsers/mount.js'
import type {DiskRange} from '../../util/disk-range.js'
import type {LabelPartition} from './parse-disklabel.js'

export type {DiskRange} from '../../util/disk-range.js'

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

/** The name a disk map keys a device by (`wd0e`, `dk1`, `wd0`); undefined for other devices. */
export function nameOf(d: DiskDevice): string | undefined {
  return d.kind === 'partition' || d.kind === 'wedge' || d.kind === 'disk' ? d.name : undefined
}

export interface DiskMapSources {
  labels: Array<{
    disk: string
    source: string
    device?: string
    totalSectors?: bigint
    partitions: Record<string, Fact<LabelPartition>>
  }>
  wedges: Record<string, ParsedWedges>
  mounts?: Array<Fact<MountEntry>>
  fstab?: Array<Fact<FstabEntry>>
  /** `hw.machine` from sysctl.txt, or the architecture word of uname. */
  machine?: string
}

const refOf = (f: EvidenceRef): EvidenceRef => ({source: f.source, line: f.line, text: f.text})

export function diskMapOf(s: DiskMapSources): DiskMap {
  // The raw partition: the port's RAW_PART, else what a disklabel or listwedges header opened (`/dev/rwd0d`).
  const fromHeader = [...s.labels.map((l) => l.device), ...Object.values(s.wedges).map((w) => w.device?.value)]
    .map((d) => (d ? rawPartitionOfHeader(d) : undefined))
    .find((l) => l === 'c' || l === 'd') as 'c' | 'd' | undefined
  return buildDiskMap({
    labels: s.labels.map((l) => ({
      disk: l.disk,
      source: l.source,
      totalSectors: l.totalSectors,
      partitions: Object.values(l.partitions).map((p) => ({
        letter: p.value.letter,
        range: {offsetSectors: p.value.offsetSectors, sizeSectors: p.value.sizeSectors},
        fstype: p.value.fstype,
        ref: refOf(p),
      })),
    })),
    wedgeLists: Object.entries(s.wedges)
      .filter(([, w]) => w.wedges.length > 0 || w.none)
      .map(([disk, w]) => ({
        disk,
        wedges: w.wedges.map((x) => ({
          name: x.value.name,
          label: x.value.label,
          range: {offsetSectors: x.value.offsetSectors, sizeSectors: x.value.sizeSectors},
          ptype: x.value.ptype,
          ref: refOf(x),
        })),
      })),
    mounts: s.mounts?.map((m) => ({device: m.value.device, mountPoint: m.value.mountPoint, ref: refOf(m)})),
    fstab: s.fstab
      ?.filter((f) => !f.value.options.includes('noauto'))
      .map((f) => ({device: f.value.device, mountPoint: f.value.mountPoint, type: f.value.type, ref: refOf(f)})),
    rawPartition: rawPartitionLetter(s.machine) ?? fromHeader,
  })
}

export const DKCTL_PATTERN = 'dkctl-{disk}.txt'
export const DF_FILE = 'df.txt'
