import {createReadStream, statSync} from 'node:fs'
import type {EvidenceSet} from '../engine/types.js'
import {UsageError} from '../engine/registry.js'
import {isPattern, matchesPattern} from '../engine/evidence-names.js'
import {DumpEvidenceSet} from './dump.js'
import type {BundleLimits} from './bundle-read.js'

export interface OpenedSource {
  evidence: EvidenceSet
  /** What the report names as its source: the path given, or `live`. */
  label: string
  /** Removes anything opening it created (an extracted bundle). */
  close(): Promise<void>
}

/** Caps for reading a bundle (see bundle-read.ts); `check` maps `--max-bundle-bytes`/`--max-bundle-files` onto them. */
export interface SourceOptions extends Partial<BundleLimits> {
  /** Where `-` reads from (tests); process.stdin by default. */
  stdin?: NodeJS.ReadableStream
  /**
   * Evidence names (patterns allowed) of which a dump must hold at least one, or a manifest.json: the
   * registry's evidence catalog. A source with none of them (an empty directory, /etc, a bundle that
   * extracted nothing) is a usage error, not a report of unknowns.
   */
  expect?: readonly string[]
}

/** A few names the refusal line quotes, so the user knows what a dump looks like. */
const EXAMPLE_NAMES = ['uname.txt', 'dmesg.boot', 'cpuctl-identify.txt', 'manifest.json']

/** Throws when the dump holds no file of `expect` and no manifest: see SourceOptions.expect. */
export function assertHoldsEvidence(dump: DumpEvidenceSet, label: string, expect: readonly string[]): void {
  if (dump.manifest && dump.manifest.entries.length > 0) return
  const exact = new Set(expect.filter((n) => !isPattern(n)))
  const patterns = expect.filter((n) => isPattern(n))
  for (const name of dump.allNames()) if (exact.has(name) || patterns.some((p) => matchesPattern(p, name))) return
  const what = dump.allNames().length === 0 ? 'holds no files' : 'holds none of the evidence files xenready reads'
  throw new UsageError(
    `${label} is not a dump: it ${what} (expected files such as ${EXAMPLE_NAMES.join(', ')}; see docs/dump-format.md)`,
  )
}

/**
 * Opens what `--from` names: a dump directory, a bundle (a gzip-compressed tar: `.tar.gz`, `.tgz`, or
 * any other file name) or `-` for a bundle on stdin. A bundle is extracted, with every entry checked,
 * into a private temp dir that `close()` removes.
 */
export async function openSource(path: string, options: SourceOptions = {}): Promise<OpenedSource> {
  if (path === '-') return openBundle((options.stdin ?? process.stdin) as NodeJS.ReadableStream, 'on stdin', options)
  let st
  try {
    st = statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? String(error))}`,
    )
  }

  if (st.isDirectory()) {
    const evidence = new DumpEvidenceSet(path)
    if (options.expect) assertHoldsEvidence(evidence, path, options.expect)
    return {evidence, label: path, close: async () => {}}
  }

  if (!st.isFile()) throw new UsageError(`cannot read ${path}: not a directory or a bundle file`)
  return openBundle(createReadStream(path), path, options)
}

async function openBundle(input: NodeJS.ReadableStream, label: string, options: SourceOptions): Promise<OpenedSource> {
  const {extractBundle} = await import('./bundle-read.js')
  const bundle = await extractBundle(input as import('node:stream').Readable, label, options)
  try {
    const evidence = new DumpEvidenceSet(bundle.dumpRoot)
    if (options.expect)
      assertHoldsEvidence(evidence, label === 'on stdin' ? 'the bundle on stdin' : label, options.expect)
    return {evidence, label: label === 'on stdin' ? '-' : label, close: bundle.close}
  } catch (error) {
    await bundle.close()
    throw error
  }
}
