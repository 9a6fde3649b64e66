import type {Command} from '@oclif/core'
import {loadRegistry} from '../engine/load.js'
import type {Registry} from '../engine/registry.js'

/** The registry for a command, loaded once per process. */
let cached: Promise<Registry> | undefined
export function registryFor(command: Command): Promise<Registry> {
  cached ??= loadRegistry(command.config)
  return cached
}
