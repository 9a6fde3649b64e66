/**
 * Third-party plugins as `xenready plugins` and `xenready plugins link` see them. @oclif/plugin-plugins
 * keeps installing, updating and removing them; xenready's own `plugins` and `plugins link` replace two of
 * its commands (a CLI's own command wins over a core plugin's with the same id: @oclif/core's
 * determinePriority) so that linking checks what it links and listing says what xenready cares about.
 */
import {Config} from '@oclif/core'
import {mkdirSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {buildRegistry, UsageError} from '../engine/registry.js'
import '../engine/hook-types.js'
import {writeFileAtomic} from '../reports/output.js'

/** The hook a package must declare to add checks (docs/architecture.md, "Writing a plugin"). */
export const REGISTER_HOOK = 'xenready:register'

export interface LinkTarget {
  name: string
  version: string
  /** Absolute, symlinks resolved. */
  root: string
}

function readPackageJson(file: string, shown: string): Record<string, unknown> | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw new UsageError(`cannot read ${shown}: ${code ?? String(error)}`)
  }

  try {
    const json: unknown = JSON.parse(text)
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>
  } catch {}

  throw new UsageError(`${shown} is not a JSON object`)
}

/**
 * What `plugins link DIR` links, or a UsageError saying why DIR is not a xenready plugin: it must exist, hold a
 * package.json with a name, declare `oclif.hooks["xenready:register"]`, and not be xenready itself.
 */
export function linkTarget(dir: string, self: {root: string; name: string}): LinkTarget {
  let root: string
  try {
    if (!statSync(dir).isDirectory())
      throw new UsageError(`${dir} is not a directory: a plugin is a directory with a package.json`)
    root = realpathSync(dir)
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`cannot link ${dir}: ${code === 'ENOENT' ? 'no such directory' : (code ?? String(error))}`)
  }

  let selfRoot: string
  try {
    selfRoot = realpathSync(self.root)
  } catch {
    selfRoot = resolve(self.root)
  }

  if (root === selfRoot)
    throw new UsageError(`${dir} is ${self.name} itself: its checks are built in (see \`${self.name} checks\`)`)
  const shown = join(dir, 'package.json')
  const pjson = readPackageJson(join(root, 'package.json'), shown)
  if (!pjson) throw new UsageError(`${dir} is not a plugin: it has no package.json`)
  const {name, version} = pjson
  if (typeof name !== 'string' || name === '')
    throw new UsageError(`${shown} has no "name": a plugin is an npm package`)
  if (name === self.name) throw new UsageError(`${dir} is a copy of ${self.name} itself: its checks are built in`)
  const oclif = pjson.oclif as {hooks?: Record<string, unknown>} | undefined
  if (!oclif?.hooks?.[REGISTER_HOOK]) {
    throw new UsageError(
      `${dir} (${name}) is not a ${self.name} plugin: its package.json declares no oclif.hooks["${REGISTER_HOOK}"] (see examples/xenready-plugin-uname)`,
    )
  }

  return {name, version: typeof version === 'string' ? version : '', root}
}

/** oclif's list of user-installed and linked plugins (read by @oclif/core, written by @oclif/plugin-plugins too). */
export function userPluginsFile(config: Config): string {
  return join(config.dataDir, 'package.json')
}

interface UserPluginEntry {
  name: string
  type: string
  root?: string
  [key: string]: unknown
}

/**
 * Adds the link to the user plugin list, atomically, in @oclif/plugin-plugins' format. An earlier link or
 * install under the same name, or a link of the same directory, is replaced: the last link wins.
 */
export function addLink(config: Config, target: LinkTarget): void {
  const file = userPluginsFile(config)
  const pjson = readPackageJson(file, file) ?? {}
  const oclif = (typeof pjson.oclif === 'object' && pjson.oclif !== null ? pjson.oclif : {}) as Record<string, unknown>
  const plugins = (Array.isArray(oclif.plugins) ? oclif.plugins : [])
    .map((p: unknown): UserPluginEntry =>
      typeof p === 'string' ? {name: p, tag: 'latest', type: 'user'} : (p as UserPluginEntry),
    )
    .filter((p) => p.name !== target.name && !(p.type === 'link' && p.root === target.root))
  plugins.push({name: target.name, root: target.root, type: 'link'})
  const next = {name: config.name, private: true, dependencies: {}, ...pjson, oclif: {schema: 1, ...oclif, plugins}}
  mkdirSync(config.dataDir, {recursive: true})
  writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`)
}

/**
 * The checks a plugin directory registers, by loading it alone (not linked, no user plugins) and running its
 * hook, as `check` will. A hook that throws or returns nonsense gives errors, as it does in a report.
 */
export async function checksOf(root: string): Promise<{checks: string[]; errors: string[]}> {
  const config = await Config.load({root, userPlugins: false, devPlugins: false})
  const {successes, failures} = await config.runHook(REGISTER_HOOK, {apiVersion: 2}, 10_000, true)
  const own = (p: {root: string}) => p.root === config.root
  const registry = buildRegistry(
    successes.filter((s) => own(s.plugin)).map((s) => ({package: s.plugin.name, result: s.result})),
    failures.filter((f) => own(f.plugin)).map((f) => ({package: f.plugin.name, error: f.error})),
  )
  return {
    checks: registry.checks.map((c) => c.check.id),
    errors: registry.errors.map((e) => `${e.plugin ? `plugin ${e.plugin}: ` : ''}${e.message}`),
  }
}
