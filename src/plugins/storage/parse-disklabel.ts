import {type EvidenceRef, type Fact, fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'

export interface LabelPartition {
  letter: string
  sizeSectors: bigint
  offsetSectors: bigint
  /** As printed (`4.2BSD`, `swap`, `unused`, `MSDOS`, `Linux Ext2`, or a number for unknown types). */
  fstype: string
  fsize?: number
  bsize?: number
  cpg?: number
}

/** `disklabel <disk>` output, as NetBSD's sbin/disklabel/printlabel.c prints it (showinfo + showpartitions). */
export interface ParsedDiskLabel {
  source: string
  /** `# /dev/rwd0d:` */
  device?: Fact<string>
  /** `disk:` (the drive type name) and `label:` (the pack name; `fictitious` when synthesized from GPT or MBR). */
  diskType?: Fact<string>
  label?: Fact<string>
  bytesPerSector?: Fact<number>
  sectorsPerTrack?: number
  sectorsPerCylinder?: number
  totalSectors?: Fact<bigint>
  /** `N partitions:` */
  declaredPartitions?: Fact<number>
  partitions: Record<string, Fact<LabelPartition>>
  /** `disklabel: ...` error lines (device missing, permission denied). */
  errors: EvidenceRef[]
  /** Partition lines that could not be read (cylinder/track/sector sizes without a header). */
  unreadable: EvidenceRef[]
}

const TWO_32 = 1n << 32n
const HUMAN_UNITS: Record<string, bigint> = {K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n, T: 1024n ** 4n}

/**
 * A size or offset column: sectors (`%9u`; older disklabels printed `%8d`, so values past 2^31
 * appear negative and are wrapped back), `cyl/trk/sec` (`disklabel -c`), or a human size (`2.0G`).
 */
function sectorsOf(
  text: string,
  secPerCyl: number | undefined,
  secPerTrack: number | undefined,
  bytesPerSector: number,
): bigint | undefined {
  if (/^-?\d{1,20}$/.test(text)) {
    const n = BigInt(text)
    return n < 0n ? n + TWO_32 : n
  }

  const cts = /^(\d{1,12})\/(\d{1,12})\/(\d{1,12})$/.exec(text)
  if (cts) {
    if (!secPerCyl || !secPerTrack) return undefined
    return BigInt(cts[1]!) * BigInt(secPerCyl) + BigInt(cts[2]!) * BigInt(secPerTrack) + BigInt(cts[3]!)
  }

  const human = /^(\d{1,12})(?:\.(\d{1,6}))?([KMGT])i?B?$/i.exec(text)
  if (human) {
    const unit = HUMAN_UNITS[human[3]!.toUpperCase()]!
    const frac = human[2] ?? ''
    const scaled = (BigInt(human[1]! + frac) * unit) / 10n ** BigInt(frac.length)
    return scaled / BigInt(bytesPerSector)
  }

  return undefined
}

/** fstypes printed with fsize/bsize columns (FS_UNUSED, FS_BSDFFS, FS_ADOS, FS_APPLEUFS, FS_BSDLFS, FS_EX2FS). */
const WITH_SIZES = new Set(['unused', '4.2BSD', 'ADOS', 'Apple UFS', '4.4LFS', 'Linux Ext2'])

/** Never throws: unknown lines are skipped, so a partial table (no header) still yields its partitions. */
export function parseDisklabel(text: string, source: string): ParsedDiskLabel {
  const out: ParsedDiskLabel = {source, partitions: {}, errors: [], unreadable: []}
  const header = (key: string, line: number, raw: string, value: string) => {
    const n = /^\d{1,20}$/.test(value) ? value : undefined
    switch (key) {
      case 'disk': {
        out.diskType = fact(value, source, line, raw)
        break
      }

      case 'label': {
        out.label = fact(value, source, line, raw)
        break
      }

      case 'bytes/sector': {
        if (n && Number(n) > 0 && Number(n) <= 1 << 20) out.bytesPerSector = fact(Number(n), source, line, raw)
        break
      }

      case 'sectors/track': {
        if (n) out.sectorsPerTrack = Number(n)
        break
      }

      case 'sectors/cylinder': {
        if (n) out.sectorsPerCylinder = Number(n)
        break
      }

      case 'total sectors': {
        if (n) out.totalSectors = fact(BigInt(n), source, line, raw)
        break
      }
    }
  }

  for (const {line, text: raw} of numberedLines(text)) {
    const dev = /^# (\/dev\/\S+):\s*$/.exec(raw)
    if (dev) {
      out.device = fact(dev[1]!, source, line, raw)
      continue
    }

    if (/^disklabel: /.test(raw)) {
      // `boot block size 0` / `super block size 0` are notes printed with every label, not errors.
      if (!/block size \d+$/.test(raw)) out.errors.push({source, line, text: raw})
      continue
    }

    const count = /^(\d{1,3}) partitions:\s*$/.exec(raw)
    if (count) {
      out.declaredPartitions = fact(Number(count[1]), source, line, raw)
      continue
    }

    const p = /^\s*([a-p]):\s+(\S+)\s+(\S+)\s+(.*)$/.exec(raw)
    if (!p) {
      const kv = /^([a-z][a-z/ -]*?):\s?(.*)$/.exec(raw)
      if (kv) header(kv[1]!, line, raw, kv[2]!.replace(/\s*#.*$/, '').trim())
      continue
    }

    const bps = out.bytesPerSector?.value ?? 512
    const size = sectorsOf(p[2]!, out.sectorsPerCylinder, out.sectorsPerTrack, bps)
    const offset = sectorsOf(p[3]!, out.sectorsPerCylinder, out.sectorsPerTrack, bps)
    if (size === undefined || offset === undefined) {
      out.unreadable.push({source, line, text: raw})
      continue
    }

    const rest = p[4]!.replace(/#.*$/, '').trim()
    const tokens = rest.split(/\s+/).filter(Boolean)
    if (tokens.length === 0) {
      out.unreadable.push({source, line, text: raw})
      continue
    }

    // fstype is `%10.10s` and may contain a space (`Linux Ext2`, `Apple UFS`); the numbers follow it.
    let numbers: number[] = []
    while (tokens.length > 1 && /^\d{1,9}$/.test(tokens.at(-1)!) && numbers.length < 3)
      numbers.unshift(Number(tokens.pop()))
    const fstype = tokens.join(' ')
    const partition: LabelPartition = {letter: p[1]!, sizeSectors: size, offsetSectors: offset, fstype}
    if (!WITH_SIZES.has(fstype)) numbers = []
    if (numbers.length >= 2) {
      partition.fsize = numbers[0]!
      partition.bsize = numbers[1]!
      if (numbers[2] !== undefined) partition.cpg = numbers[2]
    }

    out.partitions[p[1]!] = fact(partition, source, line, raw)
  }

  return out
}

/** `wd0a` → `{disk: 'wd0', letter: 'a'}`; undefined for names without a partition letter (`dk1`, `raid0`). */
export function splitPartitionName(name: string): {disk: string; letter: string} | undefined {
  const m = /^([a-z]+\d+)([a-p])$/.exec(name)
  return m ? {disk: m[1]!, letter: m[2]!} : undefined
}
