import {closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {UsageError} from '../engine/registry.js'

/** A temp name beside the target; opened with O_EXCL ('wx'), so it only has to be unlikely to clash. */
function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`)
}

/**
 * Writes a report file atomically: a temp file in the same directory (so the rename stays on one
 * file system), flushed, then renamed over the target. A reader never sees half a report, and a
 * failed run leaves the previous report in place.
 */
export function writeFileAtomic(path: string, text: string | Iterable<string>): void {
  const target = resolve(path)
  const temp = tempName(target)
  let fd: number | undefined
  try {
    fd = openSync(temp, 'wx', 0o644)
    for (const chunk of typeof text === 'string' ? [text] : text) writeSync(fd, chunk)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temp, target)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    rmSync(temp, {force: true})
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
}

/** writeFileAtomic for text produced piece by piece: nothing is at `path` until commit(), and abort() leaves no trace. */
export class AtomicFile {
  private readonly target: string
  private readonly temp: string
  private fd: number | undefined

  constructor(private readonly path: string) {
    this.target = resolve(path)
    this.temp = tempName(this.target)
    try {
      this.fd = openSync(this.temp, 'wx', 0o644)
    } catch (error) {
      throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }

  write(chunk: string): void {
    if (this.fd === undefined) return
    try {
      writeSync(this.fd, chunk)
    } catch (error) {
      this.abort()
      throw new UsageError(`cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }

  commit(): void {
    if (this.fd === undefined) return
    try {
      fsyncSync(this.fd)
      closeSync(this.fd)
      this.fd = undefined
      renameSync(this.temp, this.target)
    } catch (error) {
      this.abort()
      throw new UsageError(`cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    rmSync(this.temp, {force: true})
  }
}
