import {didYouMean} from '../util/nearest.js'
import type {CheckDefinition, PluginDefinition, Target} from './types.js'
import {TARGETS} from './types.js'

export interface RegisteredPlugin {
  definition: PluginDefinition
  /** The npm package whose `xenready:register` hook returned it. */
  package: string
}

export interface RegisteredCheck {
  check: CheckDefinition
  plugin: RegisteredPlugin
}

export interface PluginError {
  package: string
  plugin?: string
  message: string
}

export interface Registry {
  plugins: RegisteredPlugin[]
  errors: PluginError[]
  checks: RegisteredCheck[]
}

const CHECK_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/
const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** Why a value a hook returned is not a usable plugin definition, or undefined when it is. */
export function pluginProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'a plugin definition must be an object'
  if (typeof x.name !== 'string' || !PLUGIN_NAME.test(x.name)) return `plugin name ${JSON.stringify(x.name)} is not a lowercase word`
  if (typeof x.title !== 'string') return `plugin ${x.name}: title must be a string`
  if (!Array.isArray(x.evidence)) return `plugin ${x.name}: evidence must be an array`
  for (const e of x.evidence) {
    if (!isObject(e) || typeof e.name !== 'string' || typeof e.description !== 'string') {
      return `plugin ${x.name}: each evidence spec needs a name and a description`
    }
  }

  if (x.facts !== undefined) {
    if (!Array.isArray(x.facts)) return `plugin ${x.name}: facts must be an array`
    for (const f of x.facts) {
      if (!isObject(f) || typeof f.name !== 'string' || typeof f.derive !== 'function') {
        return `plugin ${x.name}: each fact provider needs a name and a derive function`
      }
    }
  }

  if (!Array.isArray(x.checks)) return `plugin ${x.name}: checks must be an array`
  for (const c of x.checks) {
    if (!isObject(c)) return `plugin ${x.name}: a check must be an object`
    if (typeof c.id !== 'string' || !CHECK_ID.test(c.id)) return `plugin ${x.name}: check id ${JSON.stringify(c.id)} is not lowercase and dotted`
    for (const key of ['title', 'description', 'why', 'remedy'] as const) {
      if (typeof c[key] !== 'string') return `check ${c.id}: ${key} must be a string`
    }

    if (!Array.isArray(c.targets) || !c.targets.every((t) => (TARGETS as readonly unknown[]).includes(t))) {
      return `check ${c.id}: targets must be a list of ${TARGETS.join(', ')}`
    }

    if (!Array.isArray(c.evidence) || !c.evidence.every((e) => typeof e === 'string')) return `check ${c.id}: evidence must be a list of names`
    if (typeof c.run !== 'function') return `check ${c.id}: run must be a function`
  }

  return undefined
}

export interface HookResult {
  package: string
  result: unknown
}

/** Builds the registry from what each package's hook returned, keeping the good and reporting the bad. */
export function buildRegistry(successes: HookResult[], failures: Array<{package: string; error: unknown}>): Registry {
  const registry: Registry = {plugins: [], errors: [], checks: []}
  for (const f of failures) {
    registry.errors.push({package: f.package, message: `its xenready:register hook failed: ${errorText(f.error)}`})
  }

  const seenChecks = new Map<string, string>()
  const seenPlugins = new Set<string>()
  for (const {package: pkg, result} of successes) {
    if (!isObject(result) || result.apiVersion !== 1 || !Array.isArray(result.plugins)) {
      registry.errors.push({package: pkg, message: 'its xenready:register hook must return {apiVersion: 1, plugins: [...]}'})
      continue
    }

    for (const candidate of result.plugins as unknown[]) {
      const problem = pluginProblem(candidate)
      if (problem) {
        registry.errors.push({package: pkg, plugin: isObject(candidate) && typeof candidate.name === 'string' ? candidate.name : undefined, message: problem})
        continue
      }

      const definition = candidate as PluginDefinition
      if (seenPlugins.has(definition.name)) {
        registry.errors.push({package: pkg, plugin: definition.name, message: `plugin name ${definition.name} is already registered`})
        continue
      }

      const clash = definition.checks.find((c) => seenChecks.has(c.id))
      if (clash) {
        registry.errors.push({package: pkg, plugin: definition.name, message: `check id ${clash.id} is already registered by ${seenChecks.get(clash.id)}`})
        continue
      }

      seenPlugins.add(definition.name)
      const plugin = {definition, package: pkg}
      registry.plugins.push(plugin)
      for (const check of definition.checks) {
        seenChecks.set(check.id, pkg)
        registry.checks.push({check, plugin})
      }
    }
  }

  return registry
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

/** Resolves `--only` selectors (exact ids or plugin names) to checks; throws on a selector matching nothing. */
export function selectChecks(registry: Registry, only: string[] | undefined): RegisteredCheck[] {
  if (!only || only.length === 0) return registry.checks
  const wanted = new Set<RegisteredCheck>()
  for (const selector of only) {
    const matches = registry.checks.filter(
      (c) => c.check.id === selector || c.plugin.definition.name === selector || (selector.endsWith('.*') && c.check.id.startsWith(selector.slice(0, -1))),
    )
    if (matches.length === 0) {
      const hint = didYouMean(selector, [...registry.checks.map((c) => c.check.id), ...registry.plugins.map((p) => p.definition.name)])
      throw new UsageError(`--only: no check or plugin is named ${JSON.stringify(selector)} (${hint ? `${hint} ` : ''}see \`xenready checks\`)`)
    }

    for (const m of matches) wanted.add(m)
  }

  return registry.checks.filter((c) => wanted.has(c))
}

export function appliesTo(check: CheckDefinition, target: Target): boolean {
  return check.targets.includes(target)
}

/** An error that the CLI turns into one line on stderr and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
