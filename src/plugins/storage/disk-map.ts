/**
 * The storage facts' disk map: every disklabel partition and dk(4) wedge with its sectors, what dom0
 * mounts and swaps on, and the raw partition letter. Pure; the ownership rules are src/util/disk-ownership.ts.
 */
import type {EvidenceRef, Fact} from '../../engine/types.js'
import {rawPartitionLetter} from '../../parsers/disk-device.js'
import {type ParsedWedges, rawPartitionOfHeader} from '../../parsers/dkctl.js'
import type {FstabEntry, MountEntry} from '../../parsers/mount.js'
import {buildDiskMap, type DiskMap} from '../../util/disk-ownership.js'
import type {LabelPartition} from './parse-disklabel.js'

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
