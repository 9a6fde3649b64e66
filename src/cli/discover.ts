import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {isPattern, matchesPattern} from '../engine/evidence-names.js'
import {UsageError} from '../engine/registry.js'

/** The dump file names of the foundation issue: a directory holding any of them (or a manifest) is a dump. */
export const DUMP_FILE_NAMES = [
  'manifest.json',
  'uname.txt',
  'cpuctl-identify.txt',
  'dmesg.boot',
  'mount.txt',
  'disklabel-{disk}.txt',
  'dumpfs-{partition}.txt',
  'pcictl-{bus}.txt',
  'ls-paths.txt',
  'pkg_info.txt',
  'sysctl.txt',
  'xm-info.txt',
  'xl-info.txt',
  'xl-dmesg.txt',
  'proc-cpuinfo.txt',
  'lspci.txt',
]

export function isBundlePath(path: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(path)
}

function looksLikeDump(fileNames: readonly string[], known: readonly string[]): boolean {
  return fileNames.some((name) => known.some((k) => (isPattern(k) ? matchesPattern(k, name) : k === name)))
}

/**
 * The dumps and bundles under `root` for `check --recursive`: a directory is a dump when it holds a
 * known evidence file, a manifest or a `files/` directory (its subdirectories are part of it); `.tar.gz` and
 * `.tgz` files are bundles. Symbolic links are not followed. Sorted, so runs are reproducible.
 */
export function findDumps(root: string, evidenceNames: readonly string[] = [], maxDepth = 8): string[] {
  const known = [...new Set([...DUMP_FILE_NAMES, ...evidenceNames.filter((n) => !n.includes('/'))])]
  let st
  try {
    st = statSync(root)
  } catch {
    throw new UsageError(`cannot read ${root}: no such file or directory`)
  }

  if (st.isFile()) return [root]
  const found: string[] = []
  const walk = (dir: string, depth: number) => {
    let entries
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch (error) {
      throw new UsageError(`cannot read directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }

    const files = entries.filter((e) => e.isFile()).map((e) => e.name)
    // `files/` holds the files a dump copied verbatim (files/etc/fstab...): a dump even without a command output.
    if (looksLikeDump(files, known) || entries.some((e) => e.isDirectory() && e.name === 'files')) {
      found.push(dir)
      return
    }

    for (const name of files.filter(isBundlePath).sort()) found.push(join(dir, name))
    if (depth >= maxDepth) return
    // No sort here: the list is sorted once at the end (a locale-aware sort would also wake ICU's collator).
    for (const e of entries) if (e.isDirectory()) walk(join(dir, e.name), depth + 1)
  }

  walk(root, 0)
  return found.sort()
}
