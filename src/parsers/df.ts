import {type EvidenceRef, type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

export interface DfEntry {
  /** `/dev/dk1`, `tmpfs`, `host:/export`. */
  filesystem: string
  mountPoint: string
  /** Bytes, from the block columns and the header's block size. */
  sizeBytes: number
  usedBytes: number
  /** May be negative on NetBSD: FFS keeps minfree for root, and df shows what root ate into it. */
  availBytes: number
  /** The `%Cap` / `Use%` / `Capacity` column as printed (NetBSD prints more than 100 when root uses the reserve). */
  capacityPercent: number
}

export interface ParsedDf {
  source: string
  /**
   * Block size of the number columns, from the header (`512-blocks`, `1K-blocks`, `1024-blocks`); undefined for `df
   * -h`.
   */
  blockSize?: number
  header?: EvidenceRef
  entries: Array<Fact<DfEntry>>
  unreadable: EvidenceRef[]
}

const UNITS: Record<string, number> = {
  B: 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
  P: 1024 ** 5,
  E: 1024 ** 6,
}

/** `512-blocks`, `1K-blocks`, `1024-blocks`, `1M-blocks` → bytes per block. */
function blockSizeOf(column: string): number | undefined {
  const m = /^(\d{1,7})([KMG]?)-blocks$/i.exec(column)
  if (!m) return undefined
  return Number(m[1]) * (m[2] ? UNITS[m[2].toUpperCase()]! : 1)
}

/** A `df -h` size (`4.8G`, `1.0K`, `0B`, `512M`) in bytes. */
function humanBytes(text: string): number | undefined {
  const m = /^(-?\d{1,12}(?:\.\d{1,3})?)([BKMGTPE])$/.exec(text)
  return m ? Math.round(Number(m[1]) * UNITS[m[2]!]!) : undefined
}

/**
 * `df` output: NetBSD bin/df (`Filesystem 512-blocks Used Avail %Cap Mounted on`, `1K-blocks` with -k,
 * sizes with -h, POSIX `1024-blocks ... Capacity` with -P) and GNU df (`1K-blocks Used Available Use%`).
 * The mount point is the rest of the line (it may contain spaces). A GNU line wrapped after a long
 * file system name (no -P) is joined back. Never throws.
 */
export function parseDf(text: string, source: string): ParsedDf {
  const out: ParsedDf = {source, entries: [], unreadable: []}
  let human = false
  let pending: {name: string; line: number; text: string} | undefined
  for (const {line, text: raw} of numberedLines(text)) {
    const t = raw.trim()
    if (!t) continue
    const h =
      /^(?:Filesystem|System)\s+(\S+)\s+Used\s+(?:Avail|Available)\s+(?:%Cap|Use%|Capacity)\s+Mounted on$/i.exec(t)
    if (h) {
      out.header = {source, line, text: raw}
      human = /^Size$/i.test(h[1]!)
      out.blockSize = human ? undefined : blockSizeOf(h[1]!)
      continue
    }

    const body = pending ? `${pending.name} ${t}` : t
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d{1,4})%\s+(\/.*)$/.exec(body)
    if (!m) {
      if (pending) out.unreadable.push({source, line: pending.line, text: pending.text})
      pending = /^\S+$/.test(t) && out.header ? {name: t, line, text: raw} : undefined
      if (!pending) out.unreadable.push({source, line, text: raw})
      continue
    }

    const size = num(m[2]!, human, out.blockSize)
    const used = num(m[3]!, human, out.blockSize)
    const avail = num(m[4]!, human, out.blockSize)
    if (size === undefined || used === undefined || avail === undefined) {
      out.unreadable.push({source, line, text: raw})
      pending = undefined
      continue
    }

    const at = pending ?? {line, text: raw}
    out.entries.push(
      fact(
        {
          filesystem: m[1]!,
          mountPoint: m[6]!,
          sizeBytes: size,
          usedBytes: used,
          availBytes: avail,
          capacityPercent: Number(m[5]),
        },
        source,
        at.line,
        pending ? `${pending.text}\n${raw}` : raw,
      ),
    )
    pending = undefined
  }

  if (pending) out.unreadable.push({source, line: pending.line, text: pending.text})
  return out
}

function num(text: string, human: boolean, blockSize: number | undefined): number | undefined {
  if (human) return humanBytes(text)
  if (!/^-?\d{1,19}$/.test(text) || blockSize === undefined) return undefined
  return Number(text) * blockSize
}

/**
 * The entry whose mount point holds `path`: the longest mount point that is a prefix of it at a `/`
 * boundary (`/home/xen/a.img` is on `/home` rather than `/`). Undefined when no entry matches.
 */
export function filesystemOf(entries: Array<Fact<DfEntry>>, path: string): Fact<DfEntry> | undefined {
  let best: Fact<DfEntry> | undefined
  for (const e of entries) {
    const mp = e.value.mountPoint
    const holds = mp === '/' ? path.startsWith('/') : path === mp || path.startsWith(`${mp}/`)
    if (holds && (!best || mp.length > best.value.mountPoint.length)) best = e
  }

  return best
}
