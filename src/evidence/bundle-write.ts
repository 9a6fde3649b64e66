import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, dirname, join, resolve} from 'node:path'
import {UsageError} from '../engine/registry.js'
import type {Collected} from './collect.js'
import {sha256OfFile} from './bundle-checksum.js'
import {MANIFEST_NAME, type Manifest, type ManifestEntry} from './manifest.js'
import {REDACTION_KINDS, redactFiles, type Redactor} from './redact.js'

/** What goes into a dump: the evidence files (dump-relative name → text) and the manifest. */
export interface DumpContents {
  files: Map<string, string>
  manifest: Manifest
  /** The redactor that made the files, when redacted: its tokens decode them (`collect --redaction-map`). */
  redactor?: Redactor
}

export interface DumpInfo {
  tool: string
  toolVersion: string
  os: string
  redact: boolean
  /** Support case id (validated by the caller: `caseIdProblem`). */
  caseId?: string
  /** Clock for `created` (tests). */
  now?: Date
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/**
 * The files and the manifest of a collection, redacted unless told not to. The manifest's checksums and
 * sizes are those of the saved (redacted) files, and its stderr heads are redacted with the same tokens.
 */
export function dumpContents(collected: Collected, info: DumpInfo): DumpContents {
  let files = new Map<string, string>()
  for (const [name, e] of collected.evidence) if (e.present) files.set(name, e.text)
  let entries: ManifestEntry[] = collected.entries.map((e) => ({...e}))
  let counts: Record<string, number> = {}
  let redactor: Redactor | undefined
  if (info.redact) {
    const r = redactFiles(files)
    redactor = r.redactor
    files = r.files
    entries = entries.map((e) => {
      const out = {...e}
      if (out.stderrHead) out.stderrHead = r.redactor.redact(out.stderrHead)
      if (out.error) out.error = r.redactor.redact(out.error)
      const text = files.get(e.name)
      if (text !== undefined) {
        out.sha256 = sha256(text)
        out.bytes = Buffer.byteLength(text)
      }

      return out
    })
    counts = r.redactor.counts()
  }

  const manifest: Manifest = {
    schemaVersion: 1,
    tool: info.tool,
    toolVersion: info.toolVersion,
    created: (info.now ?? new Date()).toISOString(),
    os: info.os,
    ...(info.caseId ? {caseId: info.caseId} : {}),
    redaction: {enabled: info.redact, rules: info.redact ? [...REDACTION_KINDS] : [], counts},
    entries,
  }
  return {files, manifest, ...(redactor ? {redactor} : {})}
}

/** Paths a run created and has not finished with: removed on Ctrl-C (synchronously, from the signal handler). */
export class TempPaths {
  private readonly paths = new Set<string>()
  add(path: string): string {
    this.paths.add(path)
    return path
  }

  done(path: string): void {
    this.paths.delete(path)
  }

  removeAll(): void {
    for (const p of this.paths) rmSync(p, {recursive: true, force: true})
    this.paths.clear()
  }
}

function writeTree(dir: string, contents: DumpContents): void {
  mkdirSync(dir, {recursive: true, mode: 0o755})
  for (const [name, text] of [
    ...contents.files,
    [MANIFEST_NAME, `${JSON.stringify(contents.manifest, null, 2)}\n`] as const,
  ]) {
    const path = join(dir, ...name.split('/'))
    mkdirSync(dirname(path), {recursive: true, mode: 0o755})
    writeFileSync(path, text, {mode: 0o644})
  }
}

/** The short host name as it may stand in a file name: `[A-Za-z0-9-]` only. */
export function shortHostName(host: string): string {
  return host.split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '')
}

/**
 * `xenready-[<case>-]<host>-<date>`: the default bundle name, and the directory inside it. `host` is
 * used as given: a redacted bundle passes its token (`bundleHostPart`), never the real name.
 */
export function defaultBaseName(host: string, now = new Date(), caseId?: string): string {
  const p = (n: number) => String(n).padStart(2, '0')
  const date = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`
  const safeHost = shortHostName(host) || 'host'
  return `xenready-${caseId ? `${caseId}-` : ''}${safeHost}-${date}`
}

/**
 * What names this host in a bundle's file name and top directory: the real short name when not
 * redacted; else its redaction token (`host1`), or `host` when the evidence never named it (so there
 * is no token, and the real name must not appear either).
 */
export function bundleHostPart(host: string, contents: DumpContents): string {
  const short = shortHostName(host)
  if (!contents.manifest.redaction?.enabled) return short || 'host'
  // This host's name, else the name its evidence gives (uname -a's node name, as the redactor learnt it).
  const node = shortHostName(contents.redactor?.unameNode ?? '')
  for (const name of [short, node]) {
    const token = name ? contents.redactor?.tokenOf('hostname', name) : undefined
    if (token) return token
  }

  return 'host'
}

/**
 * The directory the files of a bundle written to `output` sit in: the bundle's own name, unless the
 * bundle is redacted and that name holds the real host name (an `--output` chosen by hand), when it is
 * `fallback` (the redacted default name) so that no member path names the host.
 */
export function memberTopDir(output: string, contents: DumpContents, host: string, fallback: string): string {
  const top = bundleTopDir(output)
  if (!contents.manifest.redaction?.enabled) return top
  for (const name of [host, contents.redactor?.unameNode ?? '']) {
    const short = shortHostName(name).toLowerCase()
    if (short.length >= 2 && top.toLowerCase().includes(short)) return fallback
  }

  return top
}

/** `<hex>  <name>\n`: the line `sha256sum` writes and `sha256sum -c` reads. */
export function sha256Line(hex: string, name: string): string {
  return `${hex}  ${name}\n`
}

/** Writes `text` to `path` atomically (temp file beside it, then renamed), with `mode`. */
export function writeFileAtomic(path: string, text: string, mode: number, temps = new TempPaths()): void {
  const target = resolve(path)
  const temp = temps.add(
    join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`),
  )
  try {
    try {
      writeFileSync(temp, text, {mode, flag: 'wx'})
    } catch (error) {
      throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }

    renameSync(temp, target)
  } finally {
    rmSync(temp, {force: true})
    temps.done(temp)
  }
}

/** The redaction map of `collect --redaction-map`: token → the value it replaced, and its kind. */
export function redactionMapText(contents: DumpContents, bundle: string): string {
  const tokens: Record<string, {kind: string; value: string}> = {}
  for (const t of contents.redactor?.tokens() ?? []) tokens[t.token] = {kind: t.kind, value: t.value}
  const map = {
    bundle,
    created: contents.manifest.created,
    ...(contents.manifest.caseId ? {caseId: contents.manifest.caseId} : {}),
    rules: contents.manifest.redaction?.rules ?? [],
    tokens,
  }
  return `${JSON.stringify(map, null, 2)}\n`
}

/** The directory a bundle's files sit in: the bundle's own name without `.tar.gz`/`.tgz`. */
export function bundleTopDir(output: string): string {
  return basename(output).replace(/\.(tar\.gz|tgz)$/i, '') || 'xenready'
}

/**
 * Writes a dump directory atomically: into a temp dir beside it, then renamed. An existing empty
 * directory is replaced; a non-empty one is a usage error (never merged into).
 */
export function writeDumpDir(dir: string, contents: DumpContents, temps = new TempPaths()): void {
  const target = resolve(dir)
  let existing
  try {
    existing = statSync(target)
  } catch {}

  if (existing && (!existing.isDirectory() || readdirSync(target).length > 0))
    throw new UsageError(`${dir} already exists and is not an empty directory`)
  const temp = temps.add(
    join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`),
  )
  try {
    // A plain mkdir first: it fails cleanly where the parent is missing or read-only, while Node 20's
    // recursive mkdir spins forever on some file systems (procfs).
    try {
      mkdirSync(temp, {mode: 0o755})
    } catch (error) {
      throw new UsageError(`cannot write ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }

    writeTree(temp, contents)
    if (existing) rmdirSync(target)
    renameSync(temp, target)
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(
      `cannot write ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error)}`,
    )
  } finally {
    rmSync(temp, {recursive: true, force: true})
    temps.done(temp)
  }
}

/**
 * Writes a gzip-compressed tar bundle atomically: the files are staged in a private temp dir, packed
 * into a temp file in the output's directory, then renamed over the output; then `<output>.sha256`
 * (sha256sum's format), atomically too. On failure (or Ctrl-C, through `temps`) nothing is left behind.
 */
export async function writeBundle(
  output: string,
  contents: DumpContents,
  temps = new TempPaths(),
  options: {top?: string} = {},
): Promise<{path: string; bytes: number; sha256: string}> {
  const target = resolve(output)
  const top = options.top ?? bundleTopDir(target)
  const tar = await import('tar')
  const stage = temps.add(await mkdtemp(join(tmpdir(), 'xenready-collect-')))
  const tempFile = temps.add(
    join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`),
  )
  try {
    writeTree(join(stage, top), contents)
    await tar.c({gzip: true, cwd: stage, file: tempFile, portable: true}, [top])
    const hex = await sha256OfFile(tempFile)
    renameSync(tempFile, target)
    writeFileAtomic(`${target}.sha256`, sha256Line(hex, basename(target)), 0o644, temps)
    return {path: target, bytes: statSync(target).size, sha256: hex}
  } catch (error) {
    // Name the user's path, not the hidden temp file the error is about.
    if (error instanceof UsageError) throw error
    throw new UsageError(
      `cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error)}`,
    )
  } finally {
    rmSync(stage, {recursive: true, force: true})
    rmSync(tempFile, {force: true})
    temps.done(stage)
    temps.done(tempFile)
  }
}
