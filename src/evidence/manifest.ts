/** `manifest.json` of a dump or bundle: how each evidence file was (or was not) obtained. */
export interface ManifestEntry {
  /** Evidence name (dump-relative path). */
  name: string
  argv?: string[]
  path?: string
  /** Exit status of the command; null when it did not run or was killed. */
  exitCode: number | null
  signal: string | null
  durationMs: number
  timedOut: boolean
  /** Why the evidence is missing or incomplete, e.g. `command not found: cpuctl`, `permission denied (run as root)`. */
  error?: string
  stderrHead?: string
  /** sha256 of the saved file, when one was saved. */
  sha256?: string
  bytes?: number
  /**
   * Not run because it does not apply here, and why (`for NetBSD hosts only`; the sh collector: a
   * JavaScript probe). Not a failure: `bundle inspect` lists it apart.
   */
  skipped?: string
}

export interface Manifest {
  schemaVersion: 1
  tool: string
  toolVersion: string
  created: string
  os?: string
  /** The support case the bundle was collected for (`collect --case-id`, the sh collector's `-c`). */
  caseId?: string
  /**
   * `rules`: the kinds of identifier replaced (src/evidence/redact.ts REDACTION_KINDS); absent in bundles older than
   * it.
   */
  redaction?: {enabled: boolean; rules?: string[]; counts: Record<string, number>}
  entries: ManifestEntry[]
}

export const MANIFEST_NAME = 'manifest.json'

/** Reads a manifest leniently: a broken manifest must not hide the evidence beside it. */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const data = JSON.parse(text) as Partial<Manifest>
    if (!data || typeof data !== 'object' || !Array.isArray(data.entries)) return undefined
    const entries = data.entries.filter(
      (e): e is ManifestEntry => Boolean(e) && typeof e === 'object' && typeof (e as ManifestEntry).name === 'string',
    )
    return {...(data as Manifest), entries}
  } catch {
    return undefined
  }
}

/** The reason to give for evidence that a manifest says could not be collected. */
export function missingReason(entry: ManifestEntry): string {
  const what = entry.argv ? `\`${entry.argv.join(' ')}\`` : (entry.path ?? entry.name)
  if (entry.skipped) return `${what}: skipped (${entry.skipped})`
  if (entry.timedOut) return `${what} timed out after ${Math.round(entry.durationMs / 1000)} s`
  // Without a command or a path, the readers already name the evidence: say only why it is missing.
  if (entry.error) return entry.argv || entry.path ? `${what}: ${entry.error}` : entry.error
  if (entry.exitCode !== null && entry.exitCode !== 0)
    return `${what} exited with status ${entry.exitCode}${entry.stderrHead ? `: ${entry.stderrHead.split('\n')[0]}` : ''}`
  if (entry.signal) return `${what} was killed by ${entry.signal}`
  return `${what} produced no output`
}

/** A support case id: safe in a file name, a tar member path and a shell word. */
export const CASE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Why `id` is not a usable case id, or undefined when it is. */
export function caseIdProblem(id: string): string | undefined {
  if (CASE_ID_PATTERN.test(id)) return undefined
  return `--case-id ${JSON.stringify(id)}: a case id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`
}
