import type {CheckContext, EvidenceRef, Fact} from '../../engine/types.js'
import {instanceOf} from '../../engine/evidence-names.js'
import type {DiskLabel, StorageFacts} from '../facts.js'
import {type ParsedDiskLabel, parseDisklabel} from './parse-disklabel.js'
import {type DumpfsInfo, parseDumpfs} from './parse-dumpfs.js'
import {type ParsedWedges, parseListwedges} from '../../parsers/dkctl.js'
import {type ParsedDf, parseDf} from '../../parsers/df.js'
import {DF_FILE, DKCTL_PATTERN, type DiskMap, diskMapOf} from './disk-map.js'
import {diskOwnership, type DiskOwnership} from './ownership.js'

// The disk map's types are part of the `storage` fact contract (src/plugins/facts.ts).
export type {DiskMap, Dom0Use, KnownDevice} from './disk-map.js'
export type {DiskExtent, DiskOwnership, Ownership} from './ownership.js'

export const DISKLABEL_PATTERN = 'disklabel-{disk}.txt'
export const DUMPFS_PATTERN = 'dumpfs-{partition}.txt'

/** A disklabel as the `storage` contract describes it, plus what this plugin also uses. */
export interface StorageDiskLabel extends DiskLabel {
  parsed: ParsedDiskLabel
  /** True when bytes/sector was not printed (a partial table) and 512 was assumed. */
  bytesPerSectorAssumed: boolean
  /**
   * `label: fictitious`: no on-disk label, the kernel synthesized one (GPT or MBR-only disk; partitions are dk wedges).
   */
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
  /** `dkctl <disk> listwedges` by disk. */
  wedges: Record<string, ParsedWedges>
  df?: ParsedDf
  diskMap: DiskMap
  ownership: DiskOwnership
}

/** `/dev/wd0a` → `wd0a`; `/dev/rwd0a` → `wd0a`; undefined for non-device sources (`kernfs`, `NAME=...`). */
export function partitionOfDevice(device: string, wedges?: Record<string, ParsedWedges>): string | undefined {
  const byName = /^NAME=(.+)$/.exec(device)
  if (byName && wedges)
    return Object.values(wedges)
      .flatMap((w) => w.wedges)
      .find((x) => x.value.label === byName[1])?.value.name
  const m = /^\/dev\/r?([a-z]+\d+[a-p]?)$/.exec(device)
  return m ? m[1] : undefined
}

export function deriveStorageFacts(ctx: Pick<CheckContext, 'evidence' | 'facts'>): StorageFactsFull {
  const host = ctx.facts('host')
  const facts = {
    disks: {},
    filesystems: {},
    mounted: new Set(),
    inFstab: new Map(),
    haveMounts: host.mounts !== undefined,
    haveFstab: host.fstab !== undefined,
    wedges: {},
  } as unknown as StorageFactsFull
  for (const name of ctx.evidence.names(DKCTL_PATTERN)) {
    const e = ctx.evidence.get(name)
    const disk = instanceOf(DKCTL_PATTERN, name)
    if (e.present && disk) facts.wedges[disk] = parseListwedges(e.text, name)
  }

  const df = ctx.evidence.get(DF_FILE)
  if (df.present) facts.df = parseDf(df.text, DF_FILE)
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
      totalSectors:
        parsed.totalSectors && parsed.totalSectors.value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(parsed.totalSectors.value)
          : undefined,
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
    const partition = partitionOfDevice(m.value.device, facts.wedges)
    if (partition) facts.mounted.add(partition)
    if (m.value.mountPoint === '/') {
      facts.rootDevice = {...m, value: m.value.device}
      if (partition) facts.root = {...m, value: partition}
    }
  }

  for (const f of host.fstab ?? []) {
    const partition = partitionOfDevice(f.value.device, facts.wedges)
    if (partition && !facts.inFstab.has(partition))
      facts.inFstab.set(partition, {source: f.source, line: f.line, text: f.text})
    if (!facts.root && f.value.mountPoint === '/') {
      facts.rootDevice ??= {...f, value: f.value.device}
      if (partition) facts.root = {...f, value: partition}
    }
  }

  const machine = host.sysctl['hw.machine']?.value ?? host.uname?.value.split(/\s+/).at(-1)
  facts.diskMap = diskMapOf({
    labels: Object.values(facts.disks).map((d) => ({
      disk: d.disk,
      source: d.source,
      device: d.parsed.device?.value,
      totalSectors: d.parsed.totalSectors?.value,
      partitions: d.partitions,
    })),
    wedges: facts.wedges,
    mounts: host.mounts,
    fstab: host.fstab,
    machine,
  })
  facts.ownership = diskOwnership(facts.diskMap)
  return facts
}

/** `ctx.facts('storage')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    storage: StorageFactsFull
  }
}
