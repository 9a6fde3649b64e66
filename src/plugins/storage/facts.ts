import type {CheckContext, EvidenceRef, Fact} from '../../engine/types.js'
import {instanceOf} from '../../engine/evidence-names.js'
import type {DiskLabel, HostFacts, StorageFacts} from '../facts.js'
import {type ParsedDiskLabel, parseDisklabel} from './parse-disklabel.js'
import {type DumpfsInfo, parseDumpfs} from './parse-dumpfs.js'

export const DISKLABEL_PATTERN = 'disklabel-{disk}.txt'
export const DUMPFS_PATTERN = 'dumpfs-{partition}.txt'

/** A disklabel as the `storage` contract describes it, plus what this plugin also uses. */
export interface StorageDiskLabel extends DiskLabel {
  parsed: ParsedDiskLabel
  /** True when bytes/sector was not printed (a partial table) and 512 was assumed. */
  bytesPerSectorAssumed: boolean
  /** `label: fictitious`: no on-disk label, the kernel synthesized one (GPT or MBR-only disk; partitions are dk wedges). */
  fictitious: boolean
}

export interface StorageFactsFull extends StorageFacts {
  disks: Record<string, StorageDiskLabel>
  /** `dumpfs -s` superblock summaries by partition name (`wd0a`). */
  filesystems: Record<string, DumpfsInfo>
  /** The device mounted on `/` as written (`/dev/wd0a`, `/dev/dk1`, `root_device`). */
  rootDevice?: Fact<string>
  /** Partitions named in files/etc/fstab (file systems and swap), with the line. */
  inFstab: Map<string, EvidenceRef>
  /** Whether mount.txt (resp. files/etc/fstab) was in the evidence. */
  haveMounts: boolean
  haveFstab: boolean
}

/** `/dev/wd0a` → `wd0a`; `/dev/rwd0a` → `wd0a`; undefined for non-device sources (`kernfs`, `NAME=...`). */
export function partitionOfDevice(device: string): string | undefined {
  const m = /^\/dev\/r?([a-z]+\d+[a-p]?)$/.exec(device)
  return m ? m[1] : undefined
}

export function deriveStorageFacts(ctx: Pick<CheckContext, 'evidence' | 'facts'>): StorageFactsFull {
  const host = ctx.facts<HostFacts>('host')
  const facts: StorageFactsFull = {disks: {}, filesystems: {}, mounted: new Set(), inFstab: new Map(), haveMounts: host.mounts !== undefined, haveFstab: host.fstab !== undefined}
  for (const name of ctx.evidence.names(DISKLABEL_PATTERN)) {
    const e = ctx.evidence.get(name)
    const disk = instanceOf(DISKLABEL_PATTERN, name)
    if (!e.present || !disk) continue
    const parsed = parseDisklabel(e.text, name)
    facts.disks[disk] = {
      disk,
      source: name,
      bytesPerSector: parsed.bytesPerSector?.value ?? 512,
      bytesPerSectorAssumed: parsed.bytesPerSector === undefined,
      totalSectors: parsed.totalSectors && parsed.totalSectors.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parsed.totalSectors.value) : undefined,
      partitions: parsed.partitions,
      parsed,
      fictitious: parsed.label?.value.trim() === 'fictitious',
    }
  }

  for (const name of ctx.evidence.names(DUMPFS_PATTERN)) {
    const e = ctx.evidence.get(name)
    const partition = instanceOf(DUMPFS_PATTERN, name)
    if (e.present && partition) facts.filesystems[partition] = parseDumpfs(e.text, name)
  }

  for (const m of host.mounts ?? []) {
    const partition = partitionOfDevice(m.value.device)
    if (partition) facts.mounted.add(partition)
    if (m.value.mountPoint === '/') {
      facts.rootDevice = {...m, value: m.value.device}
      if (partition) facts.root = {...m, value: partition}
    }
  }

  for (const f of host.fstab ?? []) {
    const partition = partitionOfDevice(f.value.device)
    if (partition && !facts.inFstab.has(partition)) facts.inFstab.set(partition, {source: f.source, line: f.line, text: f.text})
    if (!facts.root && f.value.mountPoint === '/') {
      facts.rootDevice ??= {...f, value: f.value.device}
      if (partition) facts.root = {...f, value: partition}
    }
  }

  return facts
}
