import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** One kernel configuration as scripts/gen-driver-tables.mjs writes it. */
export interface KernelTable {
  /** Every configuration file read, with its revision (`$NetBSD$` id) and the repository commit when known. */
  files: Array<{
    path: string
    revision?: string
    rcsid?: string
    commit?: string
    /** The mirror or fork of NetBSD/src the file was read in (absent: NetBSD/src itself). */
    repo?: string
    /** How the copy's branch was identified, or why it stands in for the branch's own. */
    note?: string
  }>
  /** Included files that were not available when the table was made (they add options, or USB devices). */
  unread?: string[]
  /** Driver → what it attaches at (a parent driver or an interface attribute such as `scsi`, `mii`). */
  drivers: Record<string, string[]>
  pseudo: string[]
}

export interface BranchTable {
  schema: 1
  branch: string
  /** What the table as a whole stands for (HEAD: the date it was read at). */
  note?: string
  kernels: Record<string, KernelTable>
  missing?: string[]
}

/** Branches with a committed table (src/plugins/hardware/tables/<branch>.json); see scripts/gen-driver-tables.mjs. */
export const TABLE_BRANCHES = ['netbsd-10', 'HEAD'] as const

/**
 * The date of the HEAD table (GENERIC rev 1.617 of 2025/08/04, XEN3_DOM0 rev 1.205 of 2025/05/22): HEAD moves,
 * so every verdict against it says of when it is. Kept here (not read from the JSON) so that choosing a table
 * does not load one.
 */
export const HEAD_AS_OF = '2025-08-04'

/**
 * Where the JSON tables are at run time. They are data, not code, so they stay out of the bundle and out of
 * start-up: the first check that needs one reads it. Candidates, relative to the running module:
 * src/plugins/hardware/ (tests run the sources), dist/xenready.cjs and dist/xenready-register.mjs (the build
 * copies the tables to dist/driver-tables/), and dist/plugins/hardware/ (tsc output).
 */
const CANDIDATES = ['./tables/', './driver-tables/', '../driver-tables/', '../../driver-tables/']
let tablesDir: string | null | undefined
const cache = new Map<string, BranchTable | null>()

function findTablesDir(): string | null {
  if (tablesDir !== undefined) return tablesDir
  tablesDir = null
  for (const rel of CANDIDATES) {
    const dir = fileURLToPath(new URL(rel, import.meta.url))
    if (existsSync(`${dir}${TABLE_BRANCHES[0]}.json`)) {
      tablesDir = dir
      break
    }
  }

  return tablesDir
}

/** The table of a branch, parsed once per process (fleet workers check thousands of dumps with one copy). */
export function loadBranchTable(branch: string): BranchTable | undefined {
  if (cache.has(branch)) return cache.get(branch) ?? undefined
  let table: BranchTable | null = null
  const dir = (TABLE_BRANCHES as readonly string[]).includes(branch) ? findTablesDir() : null
  if (dir) {
    try {
      const parsed = JSON.parse(readFileSync(`${dir}${branch}.json`, 'utf8')) as BranchTable
      if (parsed && parsed.schema === 1 && typeof parsed.kernels === 'object') table = parsed
    } catch {
      table = null
    }
  }

  cache.set(branch, table)
  return table ?? undefined
}

export interface ReleaseChoice {
  /** The branch whose table applies, when one is committed. */
  branch?: string
  /** The branch the release belongs to (`netbsd-9`, `HEAD`, `netbsd-11`). */
  wanted: string
  /** What the reader must know about the table used (HEAD's date, or that it is another branch's). */
  note?: string
  /**
   * The table is another branch's or older than the release: a driver the release's kernel gained since would
   * look missing, so a missing root-disk or network driver is a warn, not a fail.
   */
  approximate?: boolean
}

/**
 * Which table answers for a release:
 * - `10.0`, `10.1_STABLE` → netbsd-10;
 * - `10.99.x` (HEAD before netbsd-11) and `11.x` (netbsd-11, branched from HEAD; no table of its own) → the HEAD
 *   table, with its date: XEN3_DOM0 of netbsd-10 (2023) and of HEAD (2025) differ by one sensor driver
 *   (`corepower`), so its verdicts stand;
 * - `11.99.x` and later → the HEAD table as an approximation (the release is newer than the table);
 * - 9.x, 8.x and older: no table (none of those branches' XEN3_DOM0 could be read).
 */
export function branchForRelease(release: string): ReleaseChoice {
  const m = /^(\d+)\.(\d+)/.exec(release)
  if (!m) return {wanted: 'unknown'}
  const major = Number(m[1])
  const minor = Number(m[2])
  const wanted = minor >= 99 ? 'HEAD' : `netbsd-${major}`
  if (wanted === 'netbsd-10') return {branch: wanted, wanted}
  const asOf = `the HEAD table is NetBSD-current as of ${HEAD_AS_OF} (GENERIC rev 1.617, XEN3_DOM0 rev 1.205)`
  if ((major === 10 && minor >= 99) || (major === 11 && minor < 99)) {
    return {branch: 'HEAD', wanted, note: `${asOf}; NetBSD ${release} is compared with it`}
  }

  if (major >= 11) {
    return {
      branch: 'HEAD',
      wanted,
      note: `${asOf}, older than NetBSD ${release}: a driver added to the kernel since would be reported missing`,
      approximate: true,
    }
  }

  return {wanted}
}

/** Kernel configuration of the PV dom0 for an architecture. */
export function dom0Config(arch: string | undefined): string {
  return arch === 'i386' ? 'i386/XEN3PAE_DOM0' : 'amd64/XEN3_DOM0'
}

/** Kernel configuration of a PVH dom0 (`dom0=pvh`): the native GENERIC kernel. */
export function pvhConfig(arch: string | undefined): string {
  return arch === 'i386' ? 'i386/GENERIC' : 'amd64/GENERIC'
}
