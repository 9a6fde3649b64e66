import {errorText, type Registry} from '../engine/registry.js'
import {runChecks} from '../engine/run.js'
import type {Target} from '../engine/types.js'
import type {BundleLimits} from '../evidence/bundle-read.js'
import {evidenceCatalog} from '../engine/catalog.js'
import {openSource} from '../evidence/source.js'
import {digestOf, type DumpOutcome} from '../reports/fleet.js'
import {buildReport, type FailOn} from '../reports/report.js'
import {applyPolicy, hostNames} from '../policy/apply.js'
import type {Policy} from '../policy/types.js'

export interface CheckOptions {
  target: Target
  /** --release */
  release?: string
  only?: string[]
  version: string
  /** --max-bundle-bytes / --max-bundle-files */
  limits?: Partial<BundleLimits>
  /** Return a digest (its row and, with `json`, the report's JSON) instead of the report: see DumpDigest. */
  digest?: {failOn: FailOn; json: boolean}
  /** --policy, loaded and checked by the main thread (plain data, so a worker gets a copy). */
  policy?: Policy
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
    const release = options.release ? {release: options.release} : {}
    const run = runChecks(registry, source.evidence, {target: options.target, only: options.only, ...release})
    const {findings, section} = options.policy
      ? applyPolicy(run.findings, options.policy, hostNames(source.label, source.evidence))
      : {findings: run.findings, section: undefined}
    const report = buildReport({
      version: options.version,
      source: source.label,
      target: options.target,
      findings,
      pluginErrors: run.pluginErrors,
      only: options.only,
      ...(section ? {policy: section} : {}),
    })
    return options.digest ? digestOf(path, report, options.digest.failOn, options.digest.json) : {source: path, report}
  } catch (error) {
    return {source: path, error: errorText(error)}
  } finally {
    await source.close().catch(() => {})
  }
}
