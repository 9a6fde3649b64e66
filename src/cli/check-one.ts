import {errorText, type Registry} from '../engine/registry.js'
import {runChecks} from '../engine/run.js'
import type {Target} from '../engine/types.js'
import type {BundleLimits} from '../evidence/bundle-read.js'
import {evidenceCatalog} from '../evidence/catalog.js'
import {openSource} from '../evidence/source.js'
import {digestOf, type DumpOutcome} from '../reports/fleet.js'
import {buildReport, type FailOn} from '../reports/report.js'

export interface CheckOptions {
  target: Target
  only?: string[]
  version: string
  /** --max-bundle-bytes / --max-bundle-files */
  limits?: Partial<BundleLimits>
  /** Return a digest (its row and, with `json`, the report's JSON) instead of the report: see DumpDigest. */
  digest?: {failOn: FailOn; json: boolean}
}

/** Checks one dump or bundle of a fleet; an unreadable one becomes an error row instead of ending the run. */
export async function checkOneDump(registry: Registry, path: string, options: CheckOptions): Promise<DumpOutcome> {
  let source
  try {
    source = await openSource(path, {...options.limits, expect: evidenceCatalog(registry).map((s) => s.name)})
  } catch (error) {
    return {source: path, error: errorText(error)}
  }

  try {
    const {findings, pluginErrors} = runChecks(registry, source.evidence, {target: options.target, only: options.only})
    const report = buildReport({version: options.version, source: source.label, target: options.target, findings, pluginErrors, only: options.only})
    return options.digest ? digestOf(path, report, options.digest.failOn, options.digest.json) : {source: path, report}
  } catch (error) {
    return {source: path, error: errorText(error)}
  } finally {
    await source.close().catch(() => {})
  }
}
