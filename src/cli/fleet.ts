import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import type {Registry} from '../engine/registry.js'
import type {DumpOutcome} from '../reports/fleet.js'
import {checkOneDump, type CheckOptions} from './check-one.js'
import type {FromWorker, ToWorker, WorkerInit} from './fleet-worker.js'

/** Below this many dumps a worker's start-up (loading the plugins again) costs more than it saves. */
export const PARALLEL_THRESHOLD = 8
/** Dumps a worker takes at a time; it holds at most two chunks, so the last of a fleet is not kept waiting long. */
const CHUNK = 4
/**
 * A worker's young generation. Each dump's garbage is short-lived, so a small nursery only means more
 * frequent, cheap scavenges, while V8's default lets each thread's heap grow far past what it uses
 * (bench/fleet.mjs). The old generation is left unlimited on purpose: a worker reaching an old-generation
 * limit inside a regular expression aborts the whole process (Node 20), which a 38 MB dmesg.boot did.
 */
const WORKER_LIMITS = {maxYoungGenerationSizeMb: 4}

export interface FleetOptions extends CheckOptions {
  /** The oclif config root, so workers load the same plugins; without it everything runs in this thread. */
  configRoot?: string
  /** See WorkerInit.builtinPackage. */
  builtinPackage?: string
  /**
   * Worker threads beside this one, which checks too; default: one per core but this thread's when there are
   * several. 0 runs everything in this thread.
   */
  workers?: number
  /** Called with each dump's outcome in input order, as soon as its turn comes (for streamed output). */
  onOutcome?: (outcome: DumpOutcome, index: number) => void
  /** false: outcomes are dropped once handed to onOutcome, and the result is empty. Default true. */
  keep?: boolean
}

/**
 * The compiled worker: beside this module (tsc output), or dist/cli/ seen from the bundled CLI (this module
 * is then part of dist/xenready.cjs).
 */
export function workerFile(): string | undefined {
  for (const rel of ['./fleet-worker.js', './cli/fleet-worker.js']) {
    const url = new URL(rel, import.meta.url)
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return fileURLToPath(url)
  }

  return undefined
}

/**
 * Keeps a fleet's reports small. A report checked in this thread holds strings that are often slices of
 * the dump's file texts (an evidence line, a value in a message), which would keep every file of every
 * dump in memory; a report cloned from a worker has its own copy of every string, though most repeat
 * across a fleet (titles, remedies, identical evidence lines). Each distinct string is copied once, flat,
 * and shared.
 */
function interner(): (o: DumpOutcome) => DumpOutcome {
  const seen = new Map<string, string>()
  const one = (s: string): string => {
    const hit = seen.get(s)
    if (hit !== undefined) return hit
    // Concatenation then slice makes V8 build a new flat string; the slice's parent is only that copy.
    const copy = ` ${s}`.slice(1)
    seen.set(copy, copy)
    return copy
  }

  return (o) => {
    if (!('report' in o)) return o
    for (const f of o.report.findings) {
      f.id = one(f.id)
      f.plugin = one(f.plugin)
      f.title = one(f.title)
      f.message = one(f.message)
      f.remedy = one(f.remedy)
      if (f.subject !== undefined) f.subject = one(f.subject)
      for (const e of f.evidence) {
        e.source = one(e.source)
        e.text = one(e.text)
      }
    }

    return o
  }
}

/**
 * Checks many dumps, in input order. With more than PARALLEL_THRESHOLD dumps and more than one core,
 * worker threads (one per core beside this thread's) take chunks from a queue this thread also checks from.
 * Each dump is read and parsed once, by whichever thread takes it.
 */
export async function checkDumps(
  registry: Registry,
  paths: readonly string[],
  options: FleetOptions,
): Promise<DumpOutcome[]> {
  const results: Array<DumpOutcome | undefined> = Array.from({length: paths.length})
  const delivered: DumpOutcome = {source: '', error: 'delivered'}
  let emitted = 0
  // Outcomes arrive out of order from several threads; they leave in order, each as soon as it can.
  const deliver = (index: number, outcome: DumpOutcome) => {
    results[index] = outcome
    while (emitted < paths.length && results[emitted] !== undefined) {
      options.onOutcome?.(results[emitted]!, emitted)
      if (options.keep === false) results[emitted] = delivered
      emitted++
    }
  }

  let next = 0
  const take = (n: number): Array<[number, string]> => {
    const items: Array<[number, string]> = []
    while (items.length < n && next < paths.length) items.push([next, paths[next++]!])
    return items
  }

  const intern = interner()
  const file = workerFile()
  const cores = availableParallelism()
  const wanted = options.workers ?? cores - 1
  const count =
    paths.length > PARALLEL_THRESHOLD && options.configRoot && file
      ? Math.min(wanted, Math.ceil(paths.length / PARALLEL_THRESHOLD))
      : 0
  const workers: Array<Promise<void>> = []
  const leftovers: Array<[number, string]> = []
  if (count > 0) {
    const {Worker} = await import('node:worker_threads')
    const init: WorkerInit = {
      configRoot: options.configRoot!,
      target: options.target,
      ...(options.release ? {release: options.release} : {}),
      only: options.only,
      version: options.version,
      ...(options.limits ? {limits: options.limits} : {}),
      ...(options.digest ? {digest: options.digest} : {}),
      ...(options.policy ? {policy: options.policy} : {}),
      checkIds: registry.checks.map((c) => c.check.id),
      ...(options.builtinPackage ? {builtinPackage: options.builtinPackage} : {}),
    }
    for (let i = 0; i < count; i++) {
      workers.push(
        new Promise<void>((resolve) => {
          const worker = new Worker(file!, {workerData: init, resourceLimits: WORKER_LIMITS})
          let held: Array<[number, string]> = []
          const finish = () => {
            // Whatever a dead worker held goes back to this thread.
            for (const [index, path] of held) if (!results[index]) leftovers.push([index, path])
            held = []
            resolve()
          }

          worker.on('message', (msg: FromWorker) => {
            if (msg.type === 'result') {
              deliver(msg.index, intern(msg.outcome as DumpOutcome))
            } else if (msg.type === 'more') {
              const chunk = take(CHUNK)
              // It asks for the next chunk as it starts one: what it has not reported yet is still its own.
              held = [...held.filter(([index]) => results[index] === undefined), ...chunk]
              worker.postMessage((chunk.length > 0 ? {type: 'chunk', items: chunk} : {type: 'done'}) satisfies ToWorker)
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

  // This thread checks too, from the same queue: it is ready long before a worker has loaded the plugins, and a
  // worker of its own would only compete with it for a core. Between dumps it yields, so that the workers'
  // requests and reports are answered; a dump a worker died holding is checked here at the end.
  let mainCount = 0
  const checkHere = async (index: number, path: string) => {
    const outcome = await checkOneDump(registry, path, options)
    // A fresh copy of a report: its strings are often slices of the dump's file texts, which would stay in
    // memory with it. A digest's JSON is a new string already.
    deliver(index, 'report' in outcome ? intern(structuredClone(outcome)) : outcome)
    mainCount++
  }

  const here = (async () => {
    for (let item = take(1)[0]; item; item = take(1)[0]) {
      await checkHere(...item)
      if (workers.length > 0) await new Promise<void>((resolve) => setImmediate(resolve))
    }
  })()
  await Promise.all([here, ...workers])
  for (const [index, path] of leftovers) if (results[index] === undefined) await checkHere(index, path)

  if (process.env.DEBUG?.includes('xenready:fleet')) {
    const m = process.memoryUsage()
    const mb = (n: number) => `${Math.round(n / 1e6)}`
    process.stderr.write(
      `xenready:fleet ${paths.length} dumps, ${count} worker thread(s), this thread took ${mainCount} (${leftovers.length} left by a worker); MB rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
    )
  }

  for (let i = 0; i < paths.length; i++)
    if (results[i] === undefined) deliver(i, {source: paths[i]!, error: 'not checked: its worker stopped'})
  return options.keep === false ? [] : (results as DumpOutcome[])
}
