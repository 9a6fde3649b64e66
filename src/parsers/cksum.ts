import {type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

export type Cksum = {exists: true; crc: string; size: number} | {exists: false; error: string}

/**
 * POSIX `cksum FILE...` output, error lines merged: `3083291021 2275311 /xen.gz` per file, or
 * `cksum: /xen.gz: No such file or directory`. Keyed by path; lines that are neither are ignored.
 */
export function parseCksum(text: string, source: string): Map<string, Fact<Cksum>> {
  const out = new Map<string, Fact<Cksum>>()
  for (const {line, text: raw} of numberedLines(text)) {
    const ok = /^(\d+)\s+(\d+)\s+(\/\S.*)$/.exec(raw.trim())
    if (ok) {
      out.set(ok[3]!, fact({exists: true, crc: ok[1]!, size: Number(ok[2])}, source, line, raw))
      continue
    }

    const err = /^cksum:\s+(\/[^:]+):\s+(.+)$/.exec(raw.trim())
    if (err) out.set(err[1]!, fact({exists: false, error: err[2]!}, source, line, raw))
  }

  return out
}

/** Same file content by POSIX CRC and size (the only comparison cksum output allows). */
export function sameCksum(a: Cksum, b: Cksum): boolean | undefined {
  if (!a.exists || !b.exists) return undefined
  return a.crc === b.crc && a.size === b.size
}
