/**
 * The plugin API: everything a built-in or third-party plugin needs to describe
 * its evidence, its facts and its checks. Plugins are data plus pure functions;
 * the engine does all I/O before calling them.
 */

export const STATUSES = ['pass', 'warn', 'fail', 'unknown', 'n/a', 'error'] as const
export type Status = (typeof STATUSES)[number]

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

/** The evidence lines of the given facts, without the fact values, each line once, in order; undefined ones skipped. */
export function refs(...facts: Array<EvidenceRef | undefined>): EvidenceRef[] {
  const seen = new Set<string>()
  const out: EvidenceRef[] = []
  for (const f of facts) {
    if (!f || seen.has(`${f.source}:${f.line}`)) continue
    seen.add(`${f.source}:${f.line}`)
    out.push(refOf(f))
  }

  return out
}

/** How to get one named piece of evidence: the same declaration drives live collection, the sh collector and dumps. */
export interface EvidenceSpec {
  /** Dump file name, e.g. `cpuctl-identify.txt`; `{x}` marks a per-instance part (`disklabel-{disk}.txt`). */
  name: string
  description: string
  /** Command to run on the live host (argv, never a shell string). */
  argv?: string[]
  /**
   * A live-only probe written in JavaScript (src/evidence/library-probes.ts), for what no portable
   * command prints; the dump holds its text output like any other evidence.
   */
  probe?: string
  /** File copied verbatim from the live host (absolute path); stored under `files/`. */
  path?: string
  /** Which live host kinds this applies to. */
  os?: Array<'netbsd' | 'linux'>
  /** Needs root to be complete. */
  root?: boolean
  /** `merge`: error lines are part of the evidence (`ls -ld` of paths that may not exist). */
  stderr?: 'merge'
  /**
   * For `{x}` names: where the instances come from on a live host. `match` is a regular
   * expression (flags `gm`) applied to the evidence `from`; each group 1 is one instance.
   */
  expand?: {from: string; match: string}
}

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

export interface CheckContext {
  target: Target
  evidence: EvidenceSet
  /** Facts provided by any registered plugin (computed once, on demand). */
  facts<T>(name: string): T
}

/** What a check returns; the engine adds id, title and plugin. */
export interface Outcome {
  status: Exclude<Status, 'error'>
  message: string
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
  /** Targets this check matters for; the engine reports `n/a` for the others. */
  targets: readonly Target[]
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
  /** Fact set name, e.g. `cpu`; other plugins read it with `ctx.facts('cpu')`. */
  name: string
  derive(ctx: CheckContext): unknown
}

export interface PluginDefinition {
  /** Short name, the prefix of its check ids: `cpu`. */
  name: string
  title: string
  evidence: readonly EvidenceSpec[]
  /** Paths whose `ls -ld` line (or error line) the collector writes into `ls-paths.txt`. */
  lsPaths?: readonly string[]
  facts?: readonly FactProvider[]
  checks: readonly CheckDefinition[]
}

/** What a `xenready:register` hook returns. */
export interface RegisterResult {
  apiVersion: 1
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
}
