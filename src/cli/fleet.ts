import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import type {Registry} from '../engine/registry.js'
import type {DumpOutcome} from '../reports/fleet.js'
import {checkOneDump, type CheckOptions} from './check-one.js'
import type {FromWorker, ToWorker, WorkerInit} from './fleet-worker.js'

/** Below this many dumps a worker's start-up (loading the plugins again) costs more than it saves. */
export const PARALLEL_THRESHOLD = 8
const CHUNK = 8
/**
 * A worker's young generation: small, since each dump's garbage is short-lived and a large nursery only
 * raises the peak memory (bench/fleet.mjs: 4 MB keeps 1000 dumps under 150 MB RSS at no measurable cost).
 */
const WORKER_YOUNG_GENERATION_MB = 4

export interface FleetOptions extends CheckOptions {
  /** The oclif config root, so workers load the same plugins; without it everything runs in this thread. */
  configRoot?: string
  /** Worker threads besides this one; default: one per extra core. 0 runs everything here. */
  workers?: number
}

/** The compiled worker: beside this module (tsc output), or under cli/ when this module is inside the bundled CLI. */
export function workerFile(): string | undefined {
  for (const rel of ['./fleet-worker.js', './cli/fleet-worker.js']) {
    const url = new URL(rel, import.meta.url)
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return fileURLToPath(url)
  }

  return undefined
}

/**
 * Reports cloned from a worker carry their own copy of every string; across a fleet most of them (titles,
 * remedies, evidence lines of identical files) repeat. Sharing one copy keeps a thousand reports small.
 */
function interner(): (o: DumpOutcome) => DumpOutcome {
  const seen = new Map<string, string>()
  const one = (s: string): string => {
    const hit = seen.get(s)
    if (hit !== undefined) return hit
    seen.set(s, s)
    return s
  }

  return (o) => {
    if (!('report' in o)) return o
    for (const f of o.report.findings) {
      f.id = one(f.id)
      f.plugin = one(f.plugin)
      f.title = one(f.title)
      f.message = one(f.message)
      f.remedy = one(f.remedy)
      for (const e of f.evidence) {
        e.source = one(e.source)
        e.text = one(e.text)
      }
    }

    return o
  }
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Checks many dumps, in input order. With more than PARALLEL_THRESHOLD dumps and more than one core,
 * worker threads take chunks from a shared queue while this thread checks dumps one at a time between
 * their messages. Each dump is read and parsed once, by whichever thread takes it.
 */
export async function checkDumps(registry: Registry, paths: readonly string[], options: FleetOptions): Promise<DumpOutcome[]> {
  const results: Array<DumpOutcome | undefined> = Array.from({length: paths.length})
  let next = 0
  const take = (n: number): Array<[number, string]> => {
    const items: Array<[number, string]> = []
    while (items.length < n && next < paths.length) items.push([next, paths[next++]!])
    return items
  }

  const intern = interner()
  const file = workerFile()
  const wanted = options.workers ?? Math.max(0, availableParallelism() - 1)
  const count = paths.length > PARALLEL_THRESHOLD && options.configRoot && file ? Math.min(wanted, Math.ceil(paths.length / PARALLEL_THRESHOLD)) : 0
  const workers: Array<Promise<void>> = []
  const leftovers: Array<[number, string]> = []
  if (count > 0) {
    const {Worker} = await import('node:worker_threads')
    const init: WorkerInit = {configRoot: options.configRoot!, target: options.target, only: options.only, version: options.version}
    for (let i = 0; i < count; i++) {
      workers.push(
        new Promise<void>((resolve) => {
          const worker = new Worker(file!, {workerData: init, resourceLimits: {maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB}})
          let held: Array<[number, string]> = []
          const finish = () => {
            // Whatever a dead worker held goes back to this thread.
            for (const [index, path] of held) if (!results[index]) leftovers.push([index, path])
            held = []
            resolve()
          }

          worker.on('message', (msg: FromWorker) => {
            if (msg.type === 'result') {
              results[msg.index] = intern(msg.outcome as DumpOutcome)
            } else if (msg.type === 'more') {
              held = take(CHUNK)
              worker.postMessage((held.length > 0 ? {type: 'chunk', items: held} : {type: 'done'}) satisfies ToWorker)
            } else {
              void worker.terminate()
            }
          })
          worker.on('error', finish)
          worker.on('exit', finish)
        }),
      )
    }
  }

  let mainCount = 0
  // This thread works too, one dump at a time, yielding so worker messages are served promptly.
  for (;;) {
    const [item] = take(1)
    if (!item) break
    const outcome = await checkOneDump(registry, item[1], options)
    // A fresh copy: the report's strings are often slices of the dump's file texts, which would stay in memory with it.
    results[item[0]] = intern(structuredClone(outcome))
    mainCount++
    if (count > 0) await yieldToEvents()
  }

  await Promise.all(workers)
  for (const [index, path] of leftovers) results[index] ??= intern(structuredClone(await checkOneDump(registry, path, options)))
  if (process.env.DEBUG?.includes('xenready:fleet')) {
    const m = process.memoryUsage()
    const mb = (n: number) => `${Math.round(n / 1e6)}`
    process.stderr.write(`xenready:fleet ${paths.length} dumps, ${count} worker thread(s), this thread took ${mainCount} + ${leftovers.length} left over; MB rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`)
  }

  return results.map((r, i) => r ?? {source: paths[i]!, error: 'not checked: its worker stopped'})
}
