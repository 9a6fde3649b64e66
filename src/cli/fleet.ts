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
          const worker = new Worker(file!, {workerData: init})
          let held: Array<[number, string]> = []
          const finish = () => {
            // Whatever a dead worker held goes back to this thread.
            for (const [index, path] of held) if (!results[index]) leftovers.push([index, path])
            held = []
            resolve()
          }

          worker.on('message', (msg: FromWorker) => {
            if (msg.type === 'result') {
              results[msg.index] = msg.outcome as DumpOutcome
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
    results[item[0]] = await checkOneDump(registry, item[1], options)
    mainCount++
    if (count > 0) await yieldToEvents()
  }

  await Promise.all(workers)
  for (const [index, path] of leftovers) results[index] ??= await checkOneDump(registry, path, options)
  if (process.env.DEBUG?.includes('xenready:fleet')) {
    process.stderr.write(`xenready:fleet ${paths.length} dumps, ${count} worker thread(s), this thread took ${mainCount} + ${leftovers.length} left over\n`)
  }

  return results.map((r, i) => r ?? {source: paths[i]!, error: 'not checked: its worker stopped'})
}
