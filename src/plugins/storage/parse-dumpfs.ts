import {type Fact, fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'

/** The superblock summary of `dumpfs -s` (usr.sbin/dumpfs/dumpfs.c print_superblock). */
export interface DumpfsInfo {
  source: string
  /** `file system: /dev/rwd0a` (recent dumpfs). */
  fileSystem?: Fact<string>
  /** 1 or 2, from `format\tFFSv1`, `magic\t11954 (UFS1)`, or the magic number alone (old dumpfs). */
  ffsVersion?: Fact<1 | 2>
  /** The superblock magic as printed (hex without 0x). */
  magic?: Fact<string>
  bsize?: Fact<number>
  fsize?: Fact<number>
}

/** FS_UFS1_MAGIC 0x011954 and FS_UFS2_MAGIC 0x19540119, printed with `%x`. */
const MAGIC_VERSION: Record<string, 1 | 2> = {'11954': 1, '19540119': 2}

/**
 * Reads only the first superblock: later `magic` lines belong to cylinder groups (`cg 0:` ... `magic 90255`)
 * or to alternate superblocks. Handles the known layouts (usr.sbin/dumpfs/dumpfs.c; every revision since 2003
 * prints `file system: <device>` first, in dumpfs(), before print_superblock()):
 * - rev 1.64 (2018/03/06, before the netbsd-9 branch; later revisions not read): `file system: /dev/rwd0a`,
 *   `format\tFFSv2`, `endian`, `location 65536\t(-b 128)` (whenever the superblock is not at 8192, so every FFSv2),
 *   `magic\t19540119\ttime ...` (`%-8x`: `magic\t11954   \ttime ...` for FFSv1);
 * - rev 1.44 (2004): `file system: /dev/rwd0a`, `endian`, `magic\t11954 (UFS1)\ttime ...`;
 * - 4.4BSD-derived (before 2003, no -s, no format line): `magic\t11954\ttime ...` or
 *   `magic\t11954\tformat\tdynamic\ttime ...`.
 * The release that added the `format` line (between rev 1.44 and 1.64) is not verified.
 * Never throws.
 */
export function parseDumpfs(text: string, source: string): DumpfsInfo {
  const out: DumpfsInfo = {source}
  for (const {line, text: raw} of numberedLines(text)) {
    const t = raw.trim()
    if (/^cg \d+:/.test(t) || /^alternate \d+/.test(t)) break
    const fsName = /^file system:\s*(\S+)/.exec(t)
    if (fsName) {
      out.fileSystem ??= fact(fsName[1]!, source, line, raw)
      continue
    }

    const format = /^format\s+FFSv([12])\b/.exec(t)
    if (format) {
      out.ffsVersion = fact(Number(format[1]) as 1 | 2, source, line, raw)
      continue
    }

    const magic = /^magic\s+([0-9a-fA-F]{1,8})\b(?:\s*\(UFS([12])\))?/.exec(t)
    if (magic) {
      if (out.magic) break
      out.magic = fact(magic[1]!.toLowerCase(), source, line, raw)
      const version = magic[2] ? (Number(magic[2]) as 1 | 2) : MAGIC_VERSION[out.magic.value]
      if (version && !out.ffsVersion) out.ffsVersion = fact(version, source, line, raw)
      continue
    }

    const size = /^(bsize|fsize)\s+(\d{1,9})\b/.exec(t)
    if (size) {
      const key = size[1] as 'bsize' | 'fsize'
      out[key] ??= fact(Number(size[2]), source, line, raw)
    }
  }

  return out
}
