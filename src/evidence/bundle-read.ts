import {closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync} from 'node:fs'
import {chmod, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'
import {UsageError} from '../engine/registry.js'
import {errorText} from '../util/error-text.js'

/**
 * Reading an untrusted bundle (a gzip-compressed tar a customer sent): every entry is checked before
 * a byte of it reaches the disk, into a private temp dir that is removed afterwards.
 *
 * Refused, each with one line naming the entry: absolute paths, `..` segments, backslashes, NUL bytes,
 * every symbolic and hard link (a dump never needs one, so we do not try to tell safe links from
 * unsafe ones), device files, FIFOs and any other non-file type, duplicate entries, more than
 * `maxBundleFiles` entries, more than `maxBundleBytes` of content (checked on each header, so a gzip
 * bomb stops as soon as the cap is crossed, without inflating the rest), and a corrupt or truncated gzip
 * or tar stream.
 */

export interface BundleLimits {
  /** Total bytes of the files in the bundle (the sum of the entry sizes, uncompressed). */
  maxBundleBytes: number
  /** Entries of any kind (files and directories). */
  maxBundleFiles: number
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {maxBundleBytes: 256 * 1024 * 1024, maxBundleFiles: 10_000}

/** The option names `check` can pass through (`--max-bundle-bytes`, `--max-bundle-files`). */
export const BUNDLE_LIMIT_OPTIONS = ['maxBundleBytes', 'maxBundleFiles'] as const

export interface ExtractedBundle {
  /** The private temp dir everything was extracted into. */
  tempDir: string
  /** The dump inside it: the temp dir, or the bundle's single top-level directory. */
  dumpRoot: string
  close(): Promise<void>
}

const MAX_DEPTH = 32
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile'])

function describe(size: number): string {
  return size >= 1024 * 1024 ? `${Math.round((size / 1024 / 1024) * 10) / 10} MB` : `${size} bytes`
}

/** Why an entry path is refused, or its safe segments. */
export function entrySegments(path: string): {segments: string[]} | {refusal: string} {
  if (path.includes('\0')) return {refusal: 'has a NUL byte in its name'}
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return {refusal: 'is an absolute path'}
  if (path.includes('\\')) return {refusal: 'has a backslash in its name'}
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) return {refusal: 'has a `..` segment'}
  if (segments.length > MAX_DEPTH) return {refusal: `is more than ${MAX_DEPTH} directories deep`}
  return {segments}
}

function refusalForType(type: string, linkpath: string | undefined): string {
  switch (type) {
    case 'SymbolicLink': {
      return `is a symbolic link (to ${linkpath ?? '?'}); bundles may not contain links`
    }

    case 'Link': {
      return `is a hard link (to ${linkpath ?? '?'}); bundles may not contain links`
    }

    case 'CharacterDevice':
    case 'BlockDevice': {
      return 'is a device file'
    }

    case 'FIFO': {
      return 'is a FIFO'
    }

    default: {
      return `has an unsupported entry type (${type})`
    }
  }
}

/** Best-effort removal of bundles still extracted when the process exits (Ctrl-C during a check). */
const live = new Set<string>()
let exitHook = false
function track(dir: string): void {
  live.add(dir)
  if (exitHook) return
  exitHook = true
  process.once('exit', () => {
    for (const d of live) rmSync(d, {recursive: true, force: true})
  })
}

function gzipMessage(error: NodeJS.ErrnoException): string {
  if (error.code === 'Z_BUF_ERROR' || /unexpected end/i.test(error.message)) return 'the gzip stream is truncated'
  if (/incorrect header check|unknown compression|not in gzip format/i.test(error.message))
    return 'it is not gzip-compressed (expected a .tar.gz)'
  return `the gzip stream is corrupt (${error.message})`
}

/** Extracts a gzip-compressed tar from `input` into a private temp dir, or throws a `UsageError`. */
export async function extractBundle(
  input: Readable,
  label: string,
  limits: Partial<BundleLimits> = {},
): Promise<ExtractedBundle> {
  const {maxBundleBytes, maxBundleFiles} = {...DEFAULT_BUNDLE_LIMITS, ...limits}
  const {Parser} = await import('tar')
  const tempDir = await mkdtemp(join(tmpdir(), 'xenready-bundle-'))
  await chmod(tempDir, 0o700)
  track(tempDir)
  const close = async () => {
    live.delete(tempDir)
    await rm(tempDir, {recursive: true, force: true})
  }

  const refuse = (message: string) => new UsageError(`bundle ${label}: ${message}`)
  let failure: Error | undefined
  // Files being written; closed on failure too, when their entry never ends.
  const open = new Set<number>()
  let entries = 0
  let declared = 0
  const fail = (error: Error) => {
    failure ??= error
  }

  const parser = new Parser({
    strict: true,
    onwarn: (_code: string, message: string | Error) => fail(refuse(`not a valid tar archive: ${errorText(message)}`)),
    onReadEntry(entry) {
      entry.on('error', (e: unknown) => fail(refuse(`not a valid tar archive: ${errorText(e)}`)))
      if (failure) {
        entry.resume()
        return
      }

      const name = JSON.stringify(entry.path)
      const refuseEntry = (why: string) => {
        fail(refuse(`entry ${name} ${why}`))
        entry.resume()
      }

      if (++entries > maxBundleFiles)
        return refuseEntry(`is past the cap of ${maxBundleFiles} entries (--max-bundle-files)`)
      const checked = entrySegments(entry.path)
      if ('refusal' in checked) return refuseEntry(checked.refusal)
      if (entry.type === 'Directory') {
        try {
          if (checked.segments.length > 0) mkdirSync(join(tempDir, ...checked.segments), {recursive: true, mode: 0o700})
        } catch {
          return refuseEntry('clashes with another entry')
        }

        entry.resume()
        return
      }

      if (!FILE_TYPES.has(entry.type)) return refuseEntry(refusalForType(entry.type, entry.linkpath))
      if (checked.segments.length === 0) return refuseEntry('has no name')
      declared += entry.size ?? 0
      if (declared > maxBundleBytes)
        return refuseEntry(`takes the content past the cap of ${describe(maxBundleBytes)} (--max-bundle-bytes)`)
      let fd: number
      try {
        const dir = join(tempDir, ...checked.segments.slice(0, -1))
        mkdirSync(dir, {recursive: true, mode: 0o700})
        // `wx`: a second entry with the same name is refused instead of overwriting the first.
        fd = openSync(join(dir, checked.segments.at(-1)!), 'wx', 0o600)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        return refuseEntry(
          code === 'EEXIST'
            ? 'appears twice'
            : code === 'ENOTDIR' || code === 'EISDIR'
              ? 'clashes with another entry'
              : `cannot be written: ${code ?? String(error)}`,
        )
      }

      open.add(fd)
      entry.on('data', (chunk: Buffer) => {
        if (!failure) writeSync(fd, chunk)
      })
      entry.on('end', () => {
        open.delete(fd)
        closeSync(fd)
      })
    },
  })
  parser.on('error', (e: Error) => fail(refuse(`not a valid tar archive: ${e.message}`)))

  // Inflated bytes beyond the content cap plus generous room for headers mean a bomb of padding.
  const inflateCap = maxBundleBytes + (maxBundleFiles + 8) * 3 * 512 + 1024 * 1024
  let inflated = 0
  try {
    try {
      await pipeline(input, createGunzip(), async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          inflated += chunk.length
          if (inflated > inflateCap)
            fail(refuse(`inflates to more than ${describe(inflateCap)}; stopped (a gzip bomb?)`))
          if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve))
          if (failure) throw failure
        }
      })
    } catch (error) {
      if (failure) throw failure
      if (error instanceof UsageError) throw error
      const e = error as NodeJS.ErrnoException
      if (e.code === 'ENOENT') throw new UsageError(`cannot read ${label}: no such file or directory`)
      if (e.code === 'EISDIR' || e.code === 'EACCES') throw new UsageError(`cannot read ${label}: ${e.code}`)
      throw refuse(gzipMessage(e))
    }

    await new Promise<void>((resolve) => {
      parser.once('end', () => resolve())
      parser.once('close', () => resolve())
      parser.end()
    })
    if (failure) throw failure
    if (entries === 0) throw refuse('is empty (no tar entries)')
  } catch (error) {
    for (const fd of open) closeSync(fd)
    await close()
    throw error
  }

  return {tempDir, dumpRoot: singleTopDir(tempDir), close}
}

/** A bundle made with `tar czf b.tar.gz xenready-host-date/` holds one directory: the dump is inside it. */
function singleTopDir(dir: string): string {
  const top = readdirSync(dir, {withFileTypes: true})
  return top.length === 1 && top[0]!.isDirectory() ? join(dir, top[0]!.name) : dir
}
