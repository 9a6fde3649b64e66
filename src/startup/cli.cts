/**
 * The CLI as oclif and bin/run.js see it: the bundled commands, @oclif/core and the built-in plugins'
 * register hook, all from one CommonJS bundle loaded through its V8 code cache (see code-cache.cts and
 * scripts/build.mjs). package.json points oclif here for the commands (COMMANDS) and the hooks (register,
 * commandNotFound).
 * CommonJS itself (a .cts file): then a check loads no ES module at all, which saves about 10 ms.
 */
import type * as Oclif from '@oclif/core'
import type {Hook} from '@oclif/core'
import {join} from 'node:path'
import {loadWithCodeCache} from './code-cache.cjs'

interface Bundle {
  /** oclif's run, with nearest-flag suggestions (src/cli/main.ts). */
  run: (argv: string[], root: string) => Promise<unknown>
  flush: typeof Oclif.flush
  Errors: typeof Oclif.Errors
  Config: typeof Oclif.Config
  COMMANDS: Record<string, Oclif.Command.Class>
  register: Hook<'xenready:register'>
  commandNotFound: Hook<'command_not_found'>
  Help: typeof Oclif.Help
}

const bundle = join(__dirname, '../xenready.cjs')
const loaded = loadWithCodeCache(bundle, `${bundle}.v8cache`)
// At exit, so that the cache also holds what this run compiled lazily (a no-op when the cache was used).
process.once('exit', loaded.save)

export const {run, flush, Errors, Config, COMMANDS, register, commandNotFound, Help} = loaded.exports as Bundle
/** Whether this start-up used the code cache (see code-cache.cts). */
export const codeCache = loaded.cache
