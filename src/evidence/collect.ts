import {open} from 'node:fs/promises'
import {join} from 'node:path'
import type {Evidence, EvidenceSpec} from '../engine/types.js'
import type {ManifestEntry} from './manifest.js'
import {missingReason} from './manifest.js'
import {LIBRARY_PROBES} from './library-probes.js'
import {errorText} from '../util/error-text.js'

export type HostOs = 'netbsd' | 'linux' | 'other'

export interface CollectOptions {
  os: HostOs
  timeoutMs: number
  concurrency: number
  /** Bytes kept of one output; the rest is cut (and said in the manifest). */
  maxOutputBytes?: number
  onStart?: (spec: EvidenceSpec) => void
  onDone?: (entry: ManifestEntry) => void
  /** Aborting kills every running command's process group at once; no new command starts. */
  signal?: AbortSignal
  /**
   * Prefix for the files copied (`path` specs), e.g. a fake root in tests (`XENREADY_ROOT`); the
   * manifest and the dump still name the real path. Commands are not affected.
   */
  root?: string
  /** Extra environment for the commands (PATH in tests); LC_ALL=C is always set. */
  env?: Record<string, string>
}

/** The options plus what the run tracks: the pids of the commands running now. */
interface RunContext extends CollectOptions {
  running: Set<number>
}

export interface Collected {
  evidence: Map<string, Evidence>
  entries: ManifestEntry[]
}

export function hostOs(platform: NodeJS.Platform = process.platform): HostOs {
  if (platform === 'netbsd') return 'netbsd'
  if (platform === 'linux') return 'linux'
  return 'other'
}

export function specsFor(specs: readonly EvidenceSpec[], os: HostOs): EvidenceSpec[] {
  return specs.filter((s) => !s.os || (os !== 'other' && s.os.includes(os)))
}

const OS_NAMES = {netbsd: 'NetBSD', linux: 'Linux'} as const

/**
 * Why a spec is not run on this host (its `os` list leaves this one out): the manifest says so, and
 * `bundle inspect` lists it apart from what failed. The sh collector writes the same words.
 */
export function skipReason(spec: EvidenceSpec): string {
  return `for ${(spec.os ?? []).map((o) => OS_NAMES[o]).join(' and ')} hosts only`
}

/** The manifest entries of the specs that do not apply to `os`: recorded as skipped, never run. */
export function skippedEntries(specs: readonly EvidenceSpec[], os: HostOs): ManifestEntry[] {
  const applicable = new Set(specsFor(specs, os))
  return specs
    .filter((s) => !applicable.has(s))
    .map((s) => ({
      name: s.name,
      ...(s.argv ? {argv: s.argv} : s.path ? {path: s.path} : {}),
      exitCode: null,
      signal: null,
      durationMs: 0,
      timedOut: false,
      skipped: skipReason(s),
    }))
}

/** The placeholder values a templated spec expands to, read from evidence already collected. */
export function expandInstances(spec: EvidenceSpec, evidence: ReadonlyMap<string, Evidence>): string[] {
  if (!spec.expand) return []
  const source = evidence.get(spec.expand.from)
  if (!source?.present) return []
  const found = new Set<string>()
  for (const m of source.text.matchAll(new RegExp(spec.expand.match, 'gm'))) {
    // `.` and `..` are never instances: they would name another directory.
    if (m[1] && /^[A-Za-z0-9._-]+$/.test(m[1]) && m[1] !== '.' && m[1] !== '..') found.add(m[1])
  }

  return [...found].sort()
}

export function instantiate(spec: EvidenceSpec, value: string): EvidenceSpec {
  const sub = (s: string) => s.replace(/\{[a-z]+\}/g, value)
  const out: EvidenceSpec = {...spec, name: sub(spec.name)}
  if (spec.argv) out.argv = spec.argv.map(sub)
  if (spec.path) out.path = sub(spec.path)
  delete out.expand
  return out
}

/**
 * Runs every evidence command and copies every evidence file of the given specs on this host,
 * in parallel (bounded), each with a timeout. Failures become missing evidence with a reason.
 */
export async function collect(specs: readonly EvidenceSpec[], collectOptions: CollectOptions): Promise<Collected> {
  const evidence = new Map<string, Evidence>()
  const entries: ManifestEntry[] = []
  const applicable = specsFor(specs, collectOptions.os)
  const running = new Set<number>()
  const killAll = () => {
    for (const pid of running) killGroup(pid)
  }

  const options: RunContext = {...collectOptions, running}
  options.signal?.addEventListener('abort', killAll, {once: true})
  const direct = applicable.filter((s) => !s.name.includes('{'))
  const templated = applicable.filter((s) => s.name.includes('{'))
  const record = (spec: EvidenceSpec, result: {entry: ManifestEntry; text?: string}) => {
    entries.push(result.entry)
    evidence.set(
      spec.name,
      result.text === undefined
        ? {name: spec.name, present: false, reason: missingReason(result.entry)}
        : {
            name: spec.name,
            present: true,
            text: result.text,
            origin: `live: ${spec.argv ? spec.argv.join(' ') : (spec.path ?? spec.library)}`,
          },
    )
    options.onDone?.(result.entry)
  }

  // Templated specs read other evidence first (disk names, mount points), so they run in a second wave.
  const first = direct.filter((s) => !templated.some((t) => t.expand?.from === s.name))
  const sources = direct.filter((s) => !first.includes(s))
  await pool([...sources, ...first], options, record)
  const second = templated.flatMap((t) => expandInstances(t, evidence).map((v) => instantiate(t, v)))
  await pool(second, options, record)
  options.signal?.removeEventListener('abort', killAll)
  entries.push(...skippedEntries(specs, collectOptions.os))
  entries.sort((a, b) => a.name.localeCompare(b.name))
  return {evidence, entries}
}

async function pool(
  specs: EvidenceSpec[],
  options: RunContext,
  record: (spec: EvidenceSpec, r: {entry: ManifestEntry; text?: string}) => void,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < specs.length) {
      if (options.signal?.aborted) return
      const spec = specs[next++]!
      options.onStart?.(spec)
      record(
        spec,
        spec.library
          ? await runLibraryProbe(spec, options)
          : spec.argv
            ? await runCommand(spec, options)
            : await copyFile(spec, options),
      )
    }
  }

  await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency, specs.length))}, worker))
}

async function runLibraryProbe(
  spec: EvidenceSpec,
  options: RunContext,
): Promise<{entry: ManifestEntry; text?: string}> {
  const started = performance.now()
  const entry: ManifestEntry = {name: spec.name, exitCode: null, signal: null, durationMs: 0, timedOut: false}
  const probe = LIBRARY_PROBES[spec.library!]
  let timer: NodeJS.Timeout | undefined
  try {
    if (!probe) throw new Error(`no such probe ${spec.library}`)
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`timed out after ${options.timeoutMs} ms`), {timedOut: true})),
        options.timeoutMs,
      )
    })
    const text = await Promise.race([probe(), timeout])
    entry.durationMs = Math.round(performance.now() - started)
    entry.exitCode = 0
    entry.sha256 = await sha256(text)
    entry.bytes = Buffer.byteLength(text)
    return {entry, text}
  } catch (error) {
    entry.durationMs = Math.round(performance.now() - started)
    entry.timedOut = Boolean((error as {timedOut?: boolean}).timedOut)
    entry.error = errorText(error)
    return {entry}
  } finally {
    clearTimeout(timer)
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

// node:crypto costs ~6 ms to load: only a live collection pays it, not every `check --from`.
async function sha256(text: string): Promise<string> {
  const {createHash} = await import('node:crypto')
  return createHash('sha256').update(text).digest('hex')
}

function errnoReason(code: string | undefined, what: string): string {
  if (code === 'ENOENT') return `not found: ${what}`
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied (run as root)'
  return code ?? 'failed'
}

async function runCommand(spec: EvidenceSpec, options: RunContext): Promise<{entry: ManifestEntry; text?: string}> {
  const argv = spec.argv!
  const started = performance.now()
  const base = {name: spec.name, argv}
  // execa costs ~75 ms to import: only the live path pays it.
  const {execa} = await import('execa')
  const max = options.maxOutputBytes ?? 16 * 1024 * 1024
  const child = execa(argv[0]!, argv.slice(1), {
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    all: spec.stderr === 'merge',
    detached: true,
    maxBuffer: max,
    env: {...options.env, LC_ALL: 'C', LANG: 'C'},
    extendEnv: true,
    cancelSignal: options.signal,
  })
  if (child.pid) options.running.add(child.pid)
  let timedOut = false
  // Kill the whole process group, not just the child: a hung pipeline must not outlive us.
  const timer = setTimeout(() => {
    timedOut = true
    if (child.pid) killGroup(child.pid)
    else child.kill('SIGKILL')
  }, options.timeoutMs)
  const result = await child
  clearTimeout(timer)
  if (child.pid) options.running.delete(child.pid)
  const durationMs = Math.round(performance.now() - started)
  const stdout = typeof result.stdout === 'string' ? result.stdout : ''
  const stderr = typeof result.stderr === 'string' ? result.stderr : ''
  const output =
    spec.stderr === 'merge' ? `${stdout}${stderr && !stdout.endsWith('\n') && stdout ? '\n' : ''}${stderr}` : stdout
  const entry: ManifestEntry = {
    ...base,
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    signal: result.signal ?? null,
    durationMs,
    timedOut,
  }
  if (stderr) entry.stderrHead = stderr.slice(0, 512)
  const code = (result as {code?: string}).code
  if (result.failed && (code === 'ENOENT' || code === 'EACCES')) entry.error = errnoReason(code, argv[0]!)
  else if (timedOut) entry.error = `timed out after ${options.timeoutMs} ms`
  else if (/permission denied|not permitted/i.test(stderr) && !stdout) entry.error = 'permission denied (run as root)'
  // Keep partial output of a command that failed but printed something (sysctl with an unknown key);
  // the manifest says it failed.
  if (entry.error && !(spec.stderr === 'merge' && output && !timedOut && code !== 'ENOENT')) return {entry}
  if (!output && entry.exitCode !== 0) return {entry}
  entry.sha256 = await sha256(output)
  entry.bytes = Buffer.byteLength(output)
  return {entry, text: output}
}

async function copyFile(spec: EvidenceSpec, options: RunContext): Promise<{entry: ManifestEntry; text?: string}> {
  const started = performance.now()
  const base: ManifestEntry = {
    name: spec.name,
    path: spec.path!,
    exitCode: null,
    signal: null,
    durationMs: 0,
    timedOut: false,
  }
  try {
    const fh = await open(options.root ? join(options.root, spec.path!) : spec.path!, 'r')
    try {
      const max = options.maxOutputBytes ?? 16 * 1024 * 1024
      // /proc files report size 0 and /proc/cpuinfo of a big host passes 64 kB: read until EOF (or the cap).
      const chunks: Buffer[] = []
      let off = 0
      while (off < max) {
        const buf = Buffer.alloc(Math.min(64 * 1024, max - off))
        const {bytesRead} = await fh.read(buf, 0, buf.length, null)
        if (bytesRead === 0) break
        chunks.push(buf.subarray(0, bytesRead))
        off += bytesRead
      }

      const text = Buffer.concat(chunks).toString('utf8')
      return {
        entry: {...base, durationMs: Math.round(performance.now() - started), sha256: await sha256(text), bytes: off},
        text,
      }
    } finally {
      await fh.close()
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      entry: {
        ...base,
        durationMs: Math.round(performance.now() - started),
        error: code === 'ENOENT' ? `no such file ${spec.path}` : errnoReason(code, spec.path!),
      },
    }
  }
}
