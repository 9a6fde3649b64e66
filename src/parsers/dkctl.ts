import {type EvidenceRef, type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

/** One dk(4) wedge as `dkctl <disk> listwedges` prints it. */
export interface Wedge {
  /** `dk1` */
  name: string
  /** The wedge name: the GPT label, else the partition's UUID (dk(4)); may contain commas and spaces. */
  label: string
  /** Start and length in sectors of the parent disk (`dkw_offset`, `dkw_size`). */
  offsetSectors: bigint
  sizeSectors: bigint
  /** `dkw_ptype` as printed: `ffs`, `swap`, `msdos`, `ext2fs`, `unknown`, ... */
  ptype: string
}

export interface ParsedWedges {
  source: string
  /** The header's device, as opendisk(3) opened it: `/dev/rwd0` or `/dev/rwd0d`. */
  device?: Fact<string>
  /** The parent disk named by the header (`wd0`), when it could be read. */
  disk?: string
  /** `N wedges:` as declared by the header; compare with `wedges.length` to spot a cut-off file. */
  declared?: Fact<number>
  /** `<device>: no wedges configured`. */
  none?: EvidenceRef
  wedges: Array<Fact<Wedge>>
  /** `dkctl: ...` error lines (device missing, permission denied, an ioctl failing). */
  errors: EvidenceRef[]
  /** Non-empty lines that match no known form. */
  unreadable: EvidenceRef[]
}

/**
 * `dkctl <disk> listwedges`, as sbin/dkctl/dkctl.c disk_listwedges() prints it (same printf formats in
 * rev 1.11 (2005), 1.16.16.1 (netbsd-5), 1.20.20.1 (netbsd-7) and 1.26 (2018, netbsd-9 and later), which
 * also sorts by offset):
 *   printf("%s: %u wedge%s:\n", dvname, nwedges, nwedges == 1 ? "" : "s");
 *   printf("%s: %s, %"PRIu64" blocks at %"PRId64", type: %s\n", devname, wname, size, offset, ptype);
 * or `%s: no wedges configured`. The wedge name is free text (GPT labels), so a line is read from its end.
 * Never throws.
 */
export function parseListwedges(text: string, source: string): ParsedWedges {
  const out: ParsedWedges = {source, wedges: [], errors: [], unreadable: []}
  for (const {line, text: raw} of numberedLines(text)) {
    const t = raw.trimEnd()
    if (!t.trim()) continue
    const header = /^(\S+): (\d{1,6}) wedges?:$/.exec(t)
    if (header) {
      out.device = fact(header[1]!, source, line, raw)
      out.disk = diskOfDevice(header[1]!)
      out.declared = fact(Number(header[2]), source, line, raw)
      continue
    }

    const none = /^(\S+): no wedges configured$/.exec(t)
    if (none) {
      out.device = fact(none[1]!, source, line, raw)
      out.disk = diskOfDevice(none[1]!)
      out.none = {source, line, text: raw}
      continue
    }

    const w = /^(dk\d{1,6}): (.*), (\d{1,20}) blocks at (-?\d{1,20}), type: (.*)$/.exec(t)
    if (w) {
      const offset = BigInt(w[4]!)
      if (offset < 0n) {
        out.unreadable.push({source, line, text: raw})
        continue
      }

      out.wedges.push(
        fact(
          {name: w[1]!, label: w[2]!, sizeSectors: BigInt(w[3]!), offsetSectors: offset, ptype: w[5]!.trim()},
          source,
          line,
          raw,
        ),
      )
      continue
    }

    if (/^dkctl: /.test(t)) out.errors.push({source, line, text: raw})
    else out.unreadable.push({source, line, text: raw})
  }

  return out
}

/** `/dev/rwd0d`, `/dev/rwd0`, `wd0` → `wd0`; undefined for anything else. */
function diskOfDevice(device: string): string | undefined {
  return /^(?:\/dev\/r?)?([a-z]+\d+)[a-p]?$/.exec(device)?.[1]
}

/** The raw partition letter in the header (`/dev/rwd0d` → `d`), which is kern.rawpartition of that host. */
export function rawPartitionOfHeader(device: string): string | undefined {
  return /^\/dev\/r[a-z]+\d+([a-p])$/.exec(device)?.[1]
}
