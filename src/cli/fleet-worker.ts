/**
 * A fleet worker thread (see fleet.ts): loads the registry the same way the CLI does (every installed
 * oclif plugin's `xenready:register` hook), then checks the dumps the main thread hands it, a chunk at a time.
 */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {parentPort, workerData} from 'node:worker_threads'
import {loadRegistry} from '../engine/load.js'
import {buildRegistry, type Registry} from '../engine/registry.js'
import {checkOneDump, type CheckOptions} from './check-one.js'
import {errorText} from '../util/error-text.js'

export interface WorkerInit extends CheckOptions {
  configRoot: string
  /**
   * When every registered plugin is built in: the CLI's package name. The worker then imports the
   * built-in plugins' own bundle (dist/xenready-register.mjs) instead of loading oclif (about 12 MB less per worker).
   */
  builtinPackage?: string
  /** The check ids the main thread runs: a worker whose registry differs refuses to work. */
  checkIds: string[]
}

async function registryFor(init: WorkerInit): Promise<Registry> {
  const builtin = new URL('../xenready-register.mjs', import.meta.url)
  if (init.builtinPackage && existsSync(fileURLToPath(builtin))) {
    const hook = (await import(builtin.href)) as {default: (opts: {apiVersion: 2}) => unknown}
    return buildRegistry([{package: init.builtinPackage, result: await hook.default({apiVersion: 2})}], [])
  }

  // oclif's Config from the bundled CLI when there is one: one file loads faster and takes ~10 MB less than
  // @oclif/core's modules.
  const bundled = existsSync(fileURLToPath(new URL('../xenready.cjs', import.meta.url)))
  const {Config} = (
    bundled ? createRequire(import.meta.url)('../startup/cli.cjs') : await import('@oclif/core')
  ) as typeof import('@oclif/core')
  return loadRegistry(await Config.load(init.configRoot))
}

export type ToWorker = {type: 'chunk'; items: Array<[number, string]>} | {type: 'done'}
export type FromWorker =
  {type: 'more'} | {type: 'result'; index: number; outcome: unknown} | {type: 'failed'; message: string}

const port = parentPort
if (port) {
  const init = workerData as WorkerInit
  try {
    const registry = await registryFor(init)
    const ids = registry.checks.map((c) => c.check.id)
    if (ids.join('\n') !== init.checkIds.join('\n'))
      throw new Error('the worker found other checks than the main thread')
    const chunks: Array<Array<[number, string]>> = []
    let done = false
    let busy = false
    const work = async () => {
      if (busy) return
      busy = true
      for (let items = chunks.shift(); items; items = chunks.shift()) {
        // The next chunk is asked for before this one is checked, so that it is here when this one is done,
        // even while the main thread is busy with a long dump of its own.
        if (!done) port.postMessage({type: 'more'} satisfies FromWorker)
        for (const [index, path] of items) {
          const outcome = await checkOneDump(registry, path, init)
          port.postMessage({type: 'result', index, outcome} satisfies FromWorker)
        }
      }

      busy = false
      if (done) port.close()
    }

    port.on('message', (msg: ToWorker) => {
      if (msg.type === 'done') {
        done = true
        if (!busy) port.close()
        return
      }

      chunks.push(msg.items)
      void work()
    })
    port.postMessage({type: 'more'} satisfies FromWorker)
  } catch (error) {
    port.postMessage({type: 'failed', message: errorText(error)} satisfies FromWorker)
  }
}
