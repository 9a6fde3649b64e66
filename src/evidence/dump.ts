import {closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync} from 'node:fs'
import {join, resolve} from 'node:path'
import type {Evidence, EvidenceSet} from '../engine/types.js'
import {isPattern, matchesPattern} from '../engine/evidence-names.js'
import {UsageError} from '../engine/registry.js'
import {MANIFEST_NAME, missingReason, parseManifest, type Manifest} from './manifest.js'

export interface DumpLimits {
  maxFiles: number
  maxFileBytes: number
  maxDepth: number
}

export const DEFAULT_DUMP_LIMITS: DumpLimits = {maxFiles: 10_000, maxFileBytes: 32 * 1024 * 1024, maxDepth: 16}

/** Reused by every read of this thread (reads are synchronous): see readText. */
const scratch = Buffer.allocUnsafe(256 * 1024)

/** Reads from `offset` until `length` bytes are in `buf` or the file ends; the bytes read. */
function readInto(fd: number, buf: Buffer, length: number, offset = 0): number {
  let off = offset
  while (off < length) {
    const n = readSync(fd, buf, off, length - off, off)
    if (n === 0) break
    off += n
  }

  return off - offset
}

/**
 * A dump directory: a tree of verbatim outputs. Files are indexed once and read on first use.
 * Symbolic links and special files are never followed: a dump is untrusted input.
 */
export class DumpEvidenceSet implements EvidenceSet {
  readonly root: string
  readonly manifest: Manifest | undefined
  private readonly files = new Map<string, string>()
  private readonly refused = new Map<string, string>()
  /**
   * Directories of the dump (`files`, `files/etc`...): evidence named like one is a directory where a file should be.
   */
  private readonly dirs = new Set<string>()
  /** Subdirectories that could not be listed, and why: their evidence is unknown with that reason, the rest is read. */
  private readonly unlisted = new Map<string, string>()
  private readonly cache = new Map<string, Evidence>()

  constructor(
    dir: string,
    private readonly limits: DumpLimits = DEFAULT_DUMP_LIMITS,
  ) {
    this.root = resolve(dir)
    let st
    try {
      st = lstatSync(this.root)
    } catch {
      throw new UsageError(`cannot read dump ${dir}: no such file or directory`)
    }

    if (!st.isDirectory()) throw new UsageError(`cannot read dump ${dir}: not a directory`)
    this.walk(this.root, '', 0)
    const manifestText = this.files.has(MANIFEST_NAME) ? this.readText(MANIFEST_NAME) : undefined
    this.manifest = manifestText === undefined ? undefined : parseManifest(manifestText)
  }

  private walk(abs: string, rel: string, depth: number): void {
    if (depth > this.limits.maxDepth) return
    let entries
    try {
      entries = readdirSync(abs, {withFileTypes: true})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      // The dump itself unreadable is an input error; one unreadable subdirectory only makes its evidence unknown.
      if (!rel) throw new UsageError(`cannot read dump directory ${abs}: ${code}`)
      this.unlisted.set(rel, code === 'EACCES' ? 'permission denied' : code)
      return
    }

    for (const entry of entries) {
      const name = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        this.dirs.add(name)
        this.walk(join(abs, entry.name), name, depth + 1)
      } else if (entry.isFile()) {
        if (this.files.size >= this.limits.maxFiles)
          throw new UsageError(`dump ${this.root} has more than ${this.limits.maxFiles} files`)
        this.files.set(name, join(abs, entry.name))
      } else {
        this.refused.set(
          name,
          entry.isSymbolicLink() ? 'is a symbolic link, which a dump may not contain' : 'is not a regular file',
        )
      }
    }
  }

  private readText(name: string): string | undefined {
    const path = this.files.get(name)
    if (!path) return undefined
    const fd = openSync(path, 'r')
    try {
      const max = this.limits.maxFileBytes
      // Most evidence files fit the scratch buffer: read them without an fstat or a buffer of their own.
      let length = readInto(fd, scratch, Math.min(scratch.length, max))
      if (length < scratch.length || length === max) return scratch.toString('utf8', 0, length)
      const buf = Buffer.allocUnsafe(Math.min(Math.max(fstatSync(fd).size, length), max))
      scratch.copy(buf, 0, 0, length)
      length += readInto(fd, buf, buf.length, length)
      return buf.toString('utf8', 0, length)
    } finally {
      closeSync(fd)
    }
  }

  get(name: string): Evidence {
    const hit = this.cache.get(name)
    if (hit) return hit
    let evidence: Evidence
    const refusal = this.refused.get(name)
    if (refusal) {
      evidence = {name, present: false, reason: `${name} ${refusal}`}
    } else if (this.files.has(name)) {
      try {
        evidence = {name, present: true, text: this.readText(name) ?? '', origin: name}
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        evidence = {
          name,
          present: false,
          reason: `${name} cannot be read: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error))}`,
        }
      }
    } else if (this.dirs.has(name)) {
      evidence = {name, present: false, reason: `${name} is a directory in the dump, where a file was expected`}
    } else {
      const dir = [...this.unlisted.keys()].find((d) => name.startsWith(`${d}/`))
      const entry = this.manifest?.entries.find((e) => e.name === name)
      evidence = {
        name,
        present: false,
        reason: dir
          ? `${name} cannot be read: directory ${dir} of the dump is unreadable (${this.unlisted.get(dir)})`
          : entry
            ? missingReason(entry)
            : 'not in the dump',
      }
    }

    this.cache.set(name, evidence)
    return evidence
  }

  names(pattern: string): string[] {
    const out: string[] = []
    for (const name of this.files.keys()) {
      if (isPattern(pattern) ? matchesPattern(pattern, name) : name === pattern) out.push(name)
    }

    return out.sort()
  }

  /** Every file name in the dump, for `bundle inspect` and the fleet summary. */
  allNames(): string[] {
    return [...this.files.keys()].sort()
  }
}
