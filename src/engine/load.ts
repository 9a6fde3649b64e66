import type {Config} from '@oclif/core'
import './hook-types.js'
import {buildRegistry, type Registry} from './registry.js'

/** Asks every installed oclif plugin (built-in ones included) for its checks through the `xenready:register` hook. */
export async function loadRegistry(config: Config): Promise<Registry> {
  // captureErrors: a plugin whose hook throws must not take the run down with it.
  const {successes, failures} = await config.runHook('xenready:register', {apiVersion: 2}, 10_000, true)
  return buildRegistry(
    successes.map((s) => ({package: s.plugin.name, result: s.result})),
    failures.map((f) => ({package: f.plugin.name, error: f.error})),
  )
}
