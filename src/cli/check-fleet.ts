import {selectChecks, UsageError, type Registry} from '../engine/registry.js'
import type {Target} from '../engine/types.js'
import type {BundleLimits} from '../evidence/bundle-read.js'
import type {Policy} from '../policy/types.js'
import {FleetBuilder, FleetJsonStream, fleetJsonChunks, renderFleetText, type FleetReport} from '../reports/fleet.js'
import {AtomicFile, writeFileAtomic} from '../reports/output.js'
import {FLEET_RENDERERS, type RenderOptions} from '../reports/render.js'
import type {FailOn} from '../reports/report.js'
import {emitReports, type ReportFlags} from './emit.js'

export interface FleetCheck {
  registry: Registry
  froms: readonly string[]
  recursive: boolean
  target: Target
  release?: string
  failOn: FailOn
  only?: string[]
  policy?: Policy
  limits: Partial<BundleLimits>
  version: string
  configRoot: string
  workers?: number
  /** The CLI's package when it alone provided every plugin: workers then load only the built-in ones. */
  builtinPackage?: string
  /** --json: oclif's JSON on stdout. */
  json: boolean
  flags: ReportFlags & {verbose: boolean}
  render: Omit<RenderOptions, 'failOn'>
}

/**
 * `check` over several dumps or bundles (several sources, or --recursive): each checked in worker threads, the fleet
 * report built as outcomes come. JSON and the text table stream (reports are not kept, so a fleet of any size stays
 * small); JUnit, SARIF, Markdown, HTML and --verbose need every report at the end, so then they are kept. Returns the
 * fleet for oclif's --json, or undefined when the JSON already went out.
 */
export async function checkFleet(c: FleetCheck): Promise<FleetReport | undefined> {
  const {flags} = c
  // A bad --only is a usage error once, not one per dump.
  selectChecks(c.registry, c.only)
  const {findDumps} = await import('./discover.js')
  const {evidenceCatalog} = await import('../engine/catalog.js')
  const names = evidenceCatalog(c.registry).map((s) => s.name)
  const paths = [...new Set(c.recursive ? c.froms.flatMap((f) => findDumps(f, names)) : c.froms)]
  if (paths.length === 0) throw new UsageError(`no dumps or bundles found under ${c.froms.join(', ')}`)
  const {checkDumps} = await import('./fleet.js')
  const streaming =
    !flags.junit &&
    !flags.sarif &&
    !flags.markdown &&
    !flags.html &&
    !flags.verbose &&
    (c.json || flags.format === 'json' || flags.format === 'text')
  const builder = new FleetBuilder({version: c.version, target: c.target, failOn: c.failOn}, !streaming)
  const sinks: Array<{write(chunk: string): void; commit(): void; abort(): void}> = []
  if (streaming) {
    if (flags['json-file']) sinks.push(new AtomicFile(flags['json-file']))
    if (c.json || flags.format === 'json')
      sinks.push(
        flags.output && !c.json
          ? new AtomicFile(flags.output)
          : {write: (chunk) => process.stdout.write(chunk), commit() {}, abort() {}},
      )
  }

  let fleet: FleetReport
  try {
    const streams = sinks.map((sink) => new FleetJsonStream(builder, (chunk) => sink.write(chunk)))
    await checkDumps(c.registry, paths, {
      target: c.target,
      ...(c.release ? {release: c.release} : {}),
      only: c.only,
      version: c.version,
      limits: c.limits,
      configRoot: c.configRoot,
      workers: c.workers,
      builtinPackage: c.builtinPackage,
      keep: false,
      ...(c.policy ? {policy: c.policy} : {}),
      // Streamed: only each dump's row and JSON text are needed, so that is all a worker sends.
      ...(streaming ? {digest: {failOn: c.failOn, json: streams.length > 0}} : {}),
      onOutcome(outcome) {
        builder.add(outcome)
        for (const s of streams) s.add(outcome)
      },
    })
    fleet = builder.finish()
    for (const s of streams) s.end(fleet)
    for (const sink of sinks) sink.commit()
  } catch (error) {
    for (const sink of sinks) sink.abort()
    throw error
  }

  process.exitCode = fleet.exitCode
  if (streaming) {
    if (!c.json && flags.format === 'text') {
      const text = renderFleetText(fleet)
      if (flags.output) writeFileAtomic(flags.output, text)
      else process.stdout.write(text)
    }

    return c.json ? undefined : fleet
  }

  const options: RenderOptions = {...c.render, failOn: c.failOn}
  emitReports((format) => FLEET_RENDERERS[format](fleet, options), flags, c.json)
  if (!c.json) return fleet
  // --json: the fleet JSON goes out a report at a time; handing oclif the whole object would build it in memory first.
  for (const chunk of fleetJsonChunks(fleet)) process.stdout.write(chunk)
  return undefined
}
