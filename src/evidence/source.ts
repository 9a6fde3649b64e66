import {createReadStream, statSync} from 'node:fs'
import type {EvidenceSet} from '../engine/types.js'
import {UsageError} from '../engine/registry.js'
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
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code ?? String(error)}`)
  }

  if (st.isDirectory()) return {evidence: new DumpEvidenceSet(path), label: path, close: async () => {}}
  if (!st.isFile()) throw new UsageError(`cannot read ${path}: not a directory or a bundle file`)
  return openBundle(createReadStream(path), path, options)
}

async function openBundle(input: NodeJS.ReadableStream, label: string, options: SourceOptions): Promise<OpenedSource> {
  const {extractBundle} = await import('./bundle-read.js')
  const bundle = await extractBundle(input as import('node:stream').Readable, label, options)
  try {
    return {evidence: new DumpEvidenceSet(bundle.dumpRoot), label: label === 'on stdin' ? '-' : label, close: bundle.close}
  } catch (error) {
    await bundle.close()
    throw error
  }
}
