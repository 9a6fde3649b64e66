import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** One kernel configuration as scripts/gen-driver-tables.mjs writes it. */
export interface KernelTable {
  /** Every configuration file read, with its revision (`$NetBSD$` id) and the repository commit when known. */
  files: Array<{path: string; revision?: string; rcsid?: string; commit?: string}>
  /** Included files that were not available when the table was made (they add options, or USB devices). */
  unread?: string[]
  /** Driver → what it attaches at (a parent driver or an interface attribute such as `scsi`, `mii`). */
  drivers: Record<string, string[]>
  pseudo: string[]
}

export interface BranchTable {
  schema: 1
  branch: string
  kernels: Record<string, KernelTable>
  missing?: string[]
}

/** Branches with a committed table (src/plugins/hardware/tables/<branch>.json); see scripts/gen-driver-tables.mjs. */
export const TABLE_BRANCHES = ['netbsd-10'] as const

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
  /** The branch the release belongs to (`netbsd-9`, `HEAD`). */
  wanted: string
  /** Set when the table is another branch's (the nearest one), and why that is only an approximation. */
  note?: string
}

/**
 * `10.0`, `10.1_STABLE` → netbsd-10; `10.99.12` → HEAD, nearest table netbsd-10 (with a note); 9.x → netbsd-9, no
 * table.
 */
export function branchForRelease(release: string): ReleaseChoice {
  const m = /^(\d+)\.(\d+)/.exec(release)
  if (!m) return {wanted: 'unknown'}
  const major = Number(m[1])
  const minor = Number(m[2])
  const wanted = minor >= 99 ? 'HEAD' : `netbsd-${major}`
  if ((TABLE_BRANCHES as readonly string[]).includes(wanted)) return {branch: wanted, wanted}
  if (major >= 10) {
    return {
      branch: 'netbsd-10',
      wanted,
      note: `no ${wanted} table is in this xenready; the netbsd-10 one is used, and a driver ${wanted}'s dom0 kernel gained since would be reported missing`,
    }
  }

  return {wanted}
}

/** Kernel configuration of the PV dom0 for an architecture. */
export function dom0Config(arch: string | undefined): string {
  return arch === 'i386' ? 'i386/XEN3PAE_DOM0' : 'amd64/XEN3_DOM0'
}
