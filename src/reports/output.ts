import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {UsageError} from '../engine/registry.js'

/** What a command writes: a report in one of check's formats, or a gzip-compressed bundle. */
export type OutputKind = 'json' | 'junit' | 'sarif' | 'markdown' | 'html' | 'text' | 'bundle'

const SNIFF_BYTES = 64 * 1024

function head(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(SNIFF_BYTES)
    const n = readSync(fd, buf, 0, buf.length, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/**
 * Whether the start of an existing file is an earlier output of this kind, which a new run may replace.
 * Anything else (a bundle where a report goes, a dump file, a config, a stranger's JSON) is not.
 * Reports are recognised by what xenready writes at their start: the JSON report's schemaVersion and tool
 * name, the XML declaration or <testsuites> of JUnit, SARIF's $schema and version 2.1.0, and the first line
 * of the text and Markdown reports, which names xenready.
 */
export function isOutputOfKind(start: Buffer, kind: OutputKind): boolean {
  if (kind === 'bundle') return start.length >= 2 && start[0] === 0x1f && start[1] === 0x8b
  // A gzip or tar file is never a report, whatever it holds.
  if (start.length >= 2 && start[0] === 0x1f && start[1] === 0x8b) return false
  if (start.length >= 262 && start.subarray(257, 262).toString('latin1') === 'ustar') return false
  const text = start.toString('utf8').replace(/^\uFEFF/, '')
  const body = text.trimStart()
  switch (kind) {
    case 'json': {
      return (
        body.startsWith('{') &&
        /"schemaVersion"\s*:/.test(text) &&
        /"name"\s*:\s*"xenready"/.test(text) &&
        !/"\$schema"\s*:\s*"[^"]*sarif/i.test(text)
      )
    }

    case 'junit': {
      return /^(<\?xml[^>]*>\s*)?<testsuites[\s>]/.test(body)
    }

    case 'html': {
      // The HTML report: the doctype, then a comment naming xenready (src/reports/html.ts).
      return /^<!DOCTYPE html>\s*<!-- xenready /i.test(body)
    }

    case 'sarif': {
      return (
        body.startsWith('{') &&
        /"\$schema"\s*:\s*"[^"]*sarif[^"]*"/i.test(text) &&
        /"version"\s*:\s*"2\.1\.0"/.test(text)
      )
    }

    default: {
      // Text and Markdown: the first line names xenready (`xenready 1.2.0: dump/, target dom0`, `### xenready: ...`).
      const first = body.split('\n', 1)[0]!
      return /\bxenready\b/.test(first.replace(/\u001B\[[0-9;]*m/g, ''))
    }
  }
}

const KIND_NAMES: Record<OutputKind, string> = {
  json: 'JSON report',
  junit: 'JUnit report',
  sarif: 'SARIF report',
  markdown: 'Markdown report',
  html: 'HTML report',
  text: 'text report',
  bundle: 'bundle',
}

/** A short description of what an existing file seems to be, for the refusal line. */
function whatItIs(start: Buffer): string {
  if (start.length >= 2 && start[0] === 0x1f && start[1] === 0x8b) return 'a gzip file (a bundle?)'
  if (start.length >= 262 && start.subarray(257, 262).toString('latin1') === 'ustar') return 'a tar file'
  for (const kind of ['json', 'junit', 'sarif', 'html', 'markdown'] as const)
    if (isOutputOfKind(start, kind)) return `a ${KIND_NAMES[kind]}`
  return 'not a file xenready wrote'
}

export interface Destination {
  /** The path as the user gave it (error lines name it, never a temp file). */
  path: string
  kind: OutputKind
  /** The option that named it, for the refusal line: `--json-file`, `--output`... */
  flag: string
}

/**
 * Refuses (a UsageError: exit 2) before anything runs when a destination exists and is not an output of
 * the same kind, e.g. `--json-file bundle.tar.gz` or `--junit /etc/fstab`. An empty file holds nothing
 * to lose and may be replaced.
 */
export function refuseToClobber(dest: Destination): void {
  let st
  try {
    st = statSync(dest.path)
  } catch {
    return
  }

  if (st.isDirectory()) throw new UsageError(`${dest.flag} ${dest.path}: is a directory; give a file name`)
  if (!st.isFile()) throw new UsageError(`${dest.flag} ${dest.path}: not a regular file; refusing to write there`)
  if (st.size === 0) return
  let start
  try {
    start = head(dest.path)
  } catch (error) {
    throw new UsageError(
      `${dest.flag} ${dest.path}: exists and cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); refusing to overwrite it`,
    )
  }

  if (!isOutputOfKind(start, dest.kind)) {
    throw new UsageError(
      `${dest.flag} ${dest.path}: exists and is ${whatItIs(start)}, not a ${KIND_NAMES[dest.kind]}; refusing to overwrite it (remove it or choose another name)`,
    )
  }
}

/**
 * Refuses a destination that cannot be written (missing directory, read-only, not permitted) before any
 * command runs, by creating and removing a temp file beside it: the same operation the real write does.
 */
export function assertWritable(dest: Pick<Destination, 'path' | 'flag'>): void {
  const temp = tempName(resolve(dest.path))
  try {
    closeSync(openSync(temp, 'wx', 0o600))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // ENOENT also comes from a directory that exists but takes no new files (procfs).
    const why =
      code === 'ENOENT'
        ? existsSync(dirname(resolve(dest.path)))
          ? 'cannot create a file there (ENOENT)'
          : `directory ${dirname(dest.path)} does not exist`
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EROFS'
            ? 'read-only file system'
            : (code ?? String(error))
    throw new UsageError(`${dest.flag} ${dest.path}: cannot write there: ${why}`)
  }

  rmSync(temp, {force: true})
}

/** The real path of a file, or its resolved path when it does not exist yet. */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}

/**
 * Every check on the destinations of one run, before it reads or runs anything: no two outputs on one
 * file, none on an input (the dump, bundle or config being read), none over a file of another kind, and
 * each writable.
 */
export function checkDestinations(dests: readonly Destination[], inputs: readonly string[] = []): void {
  const seen = new Map<string, Destination>()
  const ins = new Set(inputs.filter((i) => i !== '-').map((i) => realOrResolved(i)))
  for (const dest of dests) {
    const real = realOrResolved(dest.path)
    const twice = seen.get(real)
    if (twice)
      throw new UsageError(
        `${twice.flag} and ${dest.flag} name the same file ${dest.path}; give each report its own file`,
      )
    seen.set(real, dest)
    if (ins.has(real))
      throw new UsageError(`${dest.flag} ${dest.path}: is also an input of this run; refusing to overwrite it`)
    refuseToClobber(dest)
    assertWritable(dest)
  }
}

/** A temp name beside the target; opened with O_EXCL ('wx'), so it only has to be unlikely to clash. */
function tempName(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  )
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

/**
 * writeFileAtomic for text produced piece by piece: nothing is at `path` until commit(), and abort() leaves no trace.
 */
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

/**
 * Checks a bundle or dump directory destination before anything is collected or read: a bundle name ends
 * in .tar.gz/.tgz; an existing file is replaced only with --force and only when it is a gzip file (never a
 * report, a config or a dump file) and never when it is the input itself (also through a symbolic link);
 * a directory must not exist or be empty; and the place must be writable.
 */
export function checkBundleDestination(
  dest: {path: string; flag: string; dir?: boolean; force?: boolean},
  inputs: readonly string[] = [],
): void {
  const real = realOrResolved(dest.path)
  for (const input of inputs) {
    if (input !== '-' && realOrResolved(input) === real)
      throw new UsageError(`${dest.flag} ${dest.path}: is the input of this run; write the copy to another name`)
  }

  let st
  try {
    st = statSync(dest.path)
  } catch {}

  if (dest.dir) {
    if (st && (!st.isDirectory() || readdirSync(dest.path).length > 0))
      throw new UsageError(`${dest.flag} ${dest.path}: already exists and is not an empty directory`)
  } else {
    if (!/\.(tar\.gz|tgz)$/i.test(dest.path))
      throw new UsageError(`${dest.flag} ${dest.path}: a bundle name ends in .tar.gz or .tgz`)
    if (st) {
      if (!dest.force) throw new UsageError(`${dest.flag} ${dest.path}: already exists; add --force to replace it`)
      refuseToClobber({path: dest.path, kind: 'bundle', flag: dest.flag})
    }
  }

  // A directory's temp sibling is created by the same operation: a file beside it.
  assertWritable({path: dest.path.replace(/\/+$/, '') || dest.path, flag: dest.flag})
}
