/**
 * `xenready check --domu FILE...`: domain configurations given on the command line, turned into
 * evidence the domu plugin reads (`domu/<file name>`), laid over the run's evidence.
 */
import {open, stat} from 'node:fs/promises'
import {basename} from 'node:path'
import {isPattern, matchesPattern} from '../engine/evidence-names.js'
import type {Evidence, EvidenceSet} from '../engine/types.js'

/** Domain configs are a few kilobytes; anything this large is not one. */
export const MAX_DOMU_FILE_BYTES = 1024 * 1024

/**
 * Reads each file (at most 1 MiB, read errors become missing evidence with the reason) into evidence
 * named `domu/<basename>` (`domu/nbsd`; a repeated base name gets `~2`, `~3`), which the `domu` fact
 * provider reads alongside `files/usr/pkg/etc/xen/*`. Findings then carry the base name as `subject`.
 */
export async function domuEvidenceFromFiles(paths: string[]): Promise<Map<string, Evidence>> {
  const out = new Map<string, Evidence>()
  for (const path of paths) {
    let name = `domu/${basename(path) || 'config'}`
    for (let n = 2; out.has(name); n++) name = `domu/${basename(path)}~${n}`
    try {
      // A FIFO or a device would block the open or never end: only regular files are configurations.
      const st = await stat(path)
      if (!st.isFile()) {
        out.set(name, {
          name,
          present: false,
          reason: st.isDirectory() ? `${path} is a directory` : `${path} is not a regular file`,
        })
        continue
      }

      const fh = await open(path, 'r')
      try {
        const buf = Buffer.alloc(MAX_DOMU_FILE_BYTES + 1)
        const {bytesRead} = await fh.read(buf, 0, buf.length, 0)
        if (bytesRead > MAX_DOMU_FILE_BYTES)
          out.set(name, {
            name,
            present: false,
            reason: `${path} is larger than ${MAX_DOMU_FILE_BYTES} bytes: not a domain configuration`,
          })
        else
          out.set(name, {
            name,
            present: true,
            text: buf.subarray(0, bytesRead).toString('utf8'),
            origin: `--domu ${path}`,
          })
      } finally {
        await fh.close()
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      out.set(name, {
        name,
        present: false,
        reason:
          code === 'ENOENT'
            ? `no such file ${path}`
            : code === 'EISDIR'
              ? `${path} is a directory`
              : code === 'EACCES'
                ? `permission denied: ${path}`
                : `cannot read ${path}: ${code ?? String(error)}`,
      })
    }
  }

  return out
}

/**
 * The run's evidence with the `--domu` files laid over it: `get` and `names` see both, the extra
 * evidence winning on a name clash. For check.ts: `evidence = withDomuFiles(evidence, await
 * domuEvidenceFromFiles(flags.domu))`.
 */
export function withDomuFiles(base: EvidenceSet, extra: ReadonlyMap<string, Evidence>): EvidenceSet {
  if (extra.size === 0) return base
  return {
    get: (name) => extra.get(name) ?? base.get(name),
    names(pattern) {
      const mine = [...extra.values()]
        .filter((e) => e.present && (isPattern(pattern) ? matchesPattern(pattern, e.name) : e.name === pattern))
        .map((e) => e.name)
      return [...new Set([...base.names(pattern), ...mine])].sort()
    },
  }
}
