/**
 * The plugin API: everything a built-in or third-party plugin needs to describe
 * its evidence, its facts and its checks. Plugins are data plus pure functions;
 * the engine does all I/O before calling them.
 */

export const STATUSES = ['pass', 'warn', 'fail', 'unknown', 'n/a', 'error'] as const
export type Status = (typeof STATUSES)[number]

/** Statuses from the worst to the best, the one order every report sorts and summarizes by. */
export const WORST_FIRST: readonly Status[] = ['error', 'fail', 'warn', 'unknown', 'pass', 'n/a']

export const TARGETS = ['dom0', 'hvm', 'pci-passthrough'] as const
export type Target = (typeof TARGETS)[number]

/** A line of evidence a finding rests on. `line` is 1-based; 0 means "the whole file" or "absent". */
export interface EvidenceRef {
  source: string
  line: number
  text: string
}

/** A value parsed from evidence, remembering where it came from. */
export interface Fact<T> extends EvidenceRef {
  value: T
}

export function fact<T>(value: T, source: string, line: number, text: string): Fact<T> {
  return {value, source, line, text}
}

export function refOf(f: EvidenceRef): EvidenceRef {
  return {source: f.source, line: f.line, text: f.text}
}

/**
 * A reference to a file as a whole (`line` 0), for what is absent from it or for a file with no better line:
 * `absentFrom('files/etc/rc.conf', '(no xend line)')`. The one way to write such a reference.
 */
export function absentFrom(source: string, text = ''): EvidenceRef {
  return {source, line: 0, text}
}

/** The evidence lines of the given facts, without the fact values, each line once, in order; undefined ones skipped. */
export function refs(...facts: Array<EvidenceRef | undefined>): EvidenceRef[] {
  const out: EvidenceRef[] = []
  // A finding cites a few lines: comparing with those already kept is cheaper than keying a set by strings.
  const seen = facts.length > 16 ? new Set<string>() : undefined
  for (const f of facts) {
    if (!f) continue
    if (seen) {
      const key = `${f.source}:${f.line}`
      if (seen.has(key)) continue
      seen.add(key)
    } else if (out.some((o) => o.line === f.line && o.source === f.source)) continue
    out.push(refOf(f))
  }

  return out
}

interface SpecBase {
  /** Dump file name, e.g. `cpuctl-identify.txt`; `{x}` marks a per-instance part (`disklabel-{disk}.txt`). */
  name: string
  description: string
  /** Which live host kinds this applies to. */
  os?: Array<'netbsd' | 'linux'>
  /** Needs root to be complete. */
  root?: boolean
  /**
   * For `{x}` names: where the instances come from on a live host. `match` is a regular
   * expression (flags `gm`) applied to the evidence `from`; each group 1 is one instance.
   */
  expand?: {from: string; match: string}
}

/** Run a command on the live host (an argv array, never a shell string). */
export interface CommandSpec extends SpecBase {
  kind: 'command'
  argv: string[]
  /** `merge`: error lines are part of the evidence (`ls -ld` of paths that may not exist). */
  stderr?: 'merge'
  path?: undefined
  library?: undefined
}

/** Copy a file verbatim from the live host (absolute path); stored under `files/`. */
export interface FileSpec extends SpecBase {
  kind: 'file'
  path: string
  argv?: undefined
  stderr?: undefined
  library?: undefined
}

/**
 * A live-only probe written in JavaScript (src/evidence/library-probes.ts), for what no portable
 * command prints; the dump holds its text output like any other evidence.
 */
export interface LibrarySpec extends SpecBase {
  kind: 'library'
  library: string
  argv?: undefined
  path?: undefined
  stderr?: undefined
}

/**
 * Paths whose `ls -ld` line (or error line) goes into `ls-paths.txt`. Every plugin's listings are
 * merged into that one command spec by the evidence catalog; a listing has no name of its own.
 */
export interface ListingSpec {
  kind: 'listing'
  paths: readonly string[]
}

/** How to get one named piece of evidence: the same declaration drives live collection, the sh collector and dumps. */
export type EvidenceSpec = CommandSpec | FileSpec | LibrarySpec
/** What a plugin declares: evidence specs and `ls -ld` listings. */
export type DeclaredEvidence = EvidenceSpec | ListingSpec

export interface PresentEvidence {
  name: string
  present: true
  text: string
  /** Where it came from: a dump file path, or `live: cpuctl identify 0`. */
  origin: string
}

export interface MissingEvidence {
  name: string
  present: false
  /** Why it is missing: not in the dump, command not found, permission denied, timed out... */
  reason: string
}

export type Evidence = PresentEvidence | MissingEvidence

/** Evidence already gathered for one run; plugins read it synchronously. */
export interface EvidenceSet {
  get(name: string): Evidence
  /** Names present that match a `{x}` or `*` pattern, e.g. `disklabel-{disk}.txt` or `files/usr/pkg/etc/xen/*`. */
  names(pattern: string): string[]
}

/**
 * The fact sets plugins provide, by name: each provider declares its own entry, as oclif's hook types are
 * declared (`declare module '../../engine/types.js' { interface FactMap { cpu: CpuFacts } }`), so
 * `ctx.facts('cpu')` is typed by its name and no plugin imports another plugin's code to read its facts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FactMap {}
export type FactName = keyof FactMap & string

/** A fact set, or why it is unavailable (no plugin provides it, or its provider failed). */
export type OptionalFacts<T> = {value: T; reason?: undefined} | {value?: undefined; reason: string}

/** What the engine needs of the `host` fact set to decide a check's `hostOs`. */
export interface HostOsFacts {
  /** The operating system the evidence comes from (`NetBSD`, `Linux`), with its evidence line. */
  os?: Fact<string>
}

export interface CheckContext {
  target: Target
  /** `--release`: the NetBSD release being planned (`10`, `10.1`), when it is not the one the evidence shows. */
  release?: string
  evidence: EvidenceSet
  /**
   * Facts provided by any registered plugin (computed once, on demand). When they are unavailable the
   * check stops there and the engine reports it `unknown`, naming the facts and why (the one degrade
   * policy); use `optionalFacts` to go on without them.
   */
  facts<K extends FactName>(name: K): FactMap[K]
  /** The facts, or the reason they are unavailable, for a check that can say something without them. */
  optionalFacts<K extends FactName>(name: K): OptionalFacts<FactMap[K]>
}

/** Who must act on a finding, as fwupd's host-security attributes say it. */
export const ACTORS = ['firmware', 'hardware', 'os-config', 'packages'] as const
export type Actor = (typeof ACTORS)[number]

/** What a check returns; the engine adds id, title and plugin. */
export interface Outcome {
  status: Exclude<Status, 'error'>
  message: string
  /** Overrides the check's `actor` for this outcome. */
  actor?: Actor
  /** The value the check wanted (`>= 512 MB`, `FFSv1`) and the one it found (`256 MB`), as short text. */
  expected?: string
  observed?: string
  evidence?: EvidenceRef[]
  /** Overrides the check's generic remedy with a specific one. */
  remedy?: string
  /** What the finding is about when a check yields several (a domU config, a device). */
  subject?: string
  /**
   * For `n/a` only: the step after which the check applies (`install NetBSD`). Such a check was not
   * judged yet, rather than found irrelevant, so the verdict says how far it got (src/reports/verdict.ts).
   */
  pending?: string
}

export interface CheckDefinition {
  /** Stable, lowercase, dotted: `cpu.hvm`. An interface users put in CI configs. */
  id: string
  title: string
  /** The xenready version that introduced the check (`0.1.0`). */
  since?: string
  /** Who must act when it does not pass (firmware setup, hardware, the OS configuration, packages). */
  actor?: Actor
  /** Targets this check matters for (default: all); the engine reports `n/a` for the others. */
  targets?: readonly Target[]
  /** Host systems it means something on (`NetBSD`): on a host known to run another, the engine reports `n/a`. */
  hostOs?: readonly string[]
  /**
   * Whether it applies to this evidence: undefined when it does, else the `n/a` reason (with the
   * lines that show it). Runs after `targets` and `hostOs`; the engine writes the n/a finding.
   */
  applies?(ctx: CheckContext): undefined | string | {reason: string; evidence?: EvidenceRef[]; pending?: string}
  /** Evidence names (or patterns) it reads, for `checks` and `explain`. */
  evidence: readonly string[]
  /** What it looks at. */
  description: string
  /** Why it matters, from the Howto. */
  why: string
  /** How to fix a failure, quoting the real command or config line. */
  remedy: string
  references?: readonly string[]
  run(ctx: CheckContext): Outcome | Outcome[]
}

export interface FactProvider {
  /** Fact set name, e.g. `cpu`; other plugins read it with `ctx.facts('cpu')` (declare it in `FactMap`). */
  name: string
  derive(ctx: CheckContext): unknown
}

/** A fact provider typed by its `FactMap` entry. */
export function factProvider<K extends FactName>(name: K, derive: (ctx: CheckContext) => FactMap[K]): FactProvider {
  return {name, derive}
}

export interface PluginDefinition {
  /** Short name, the prefix of its check ids: `cpu`. */
  name: string
  title: string
  evidence: readonly DeclaredEvidence[]
  facts?: readonly FactProvider[]
  checks: readonly CheckDefinition[]
}

/** The plugin API version this xenready speaks; a hook returning version 1 is adapted (src/engine/api-v1.ts). */
export const API_VERSION = 2

/** What a `xenready:register` hook returns. */
export interface RegisterResult {
  apiVersion: typeof API_VERSION
  plugins: PluginDefinition[]
}

export interface Finding {
  id: string
  plugin: string
  status: Status
  title: string
  message: string
  evidence: EvidenceRef[]
  remedy: string
  subject?: string
  /** See Outcome.pending. */
  pending?: string
  actor?: Actor
  expected?: string
  observed?: string
}
