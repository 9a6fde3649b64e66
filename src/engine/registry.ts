import {didYouMean} from '../util/nearest.js'
import type {CheckDefinition, EvidenceSpec, PluginDefinition} from './types.js'
import {ACTORS, API_VERSION, TARGETS} from './types.js'
import {adaptV1} from './api-v1.js'
import {sameSpec} from './catalog.js'
import {errorText} from '../util/error-text.js'

export {errorText} from '../util/error-text.js'

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

const ABSOLUTE = /^\/[^\0]*$/

/** Why an evidence declaration is unusable, or undefined when it is fine. */
function specProblem(plugin: string, e: unknown): string | undefined {
  if (!isObject(e)) return `plugin ${plugin}: an evidence spec must be an object`
  if (e.kind === 'listing') {
    if (!Array.isArray(e.paths) || !e.paths.every((p) => typeof p === 'string' && ABSOLUTE.test(p)))
      return `plugin ${plugin}: a listing needs paths, a list of absolute paths`
    return undefined
  }

  const name = typeof e.name === 'string' ? e.name : undefined
  if (!name || typeof e.description !== 'string')
    return `plugin ${plugin}: each evidence spec needs a name and a description`
  const where = `plugin ${plugin}, evidence ${name}`
  switch (e.kind) {
    case 'command': {
      // An argv array, each word as the program receives it: a shell string (`uname -a`) in argv[0] is refused.
      if (
        !Array.isArray(e.argv) ||
        e.argv.length === 0 ||
        !e.argv.every((a) => typeof a === 'string' && !a.includes('\0'))
      )
        return `${where}: argv must be a non-empty list of strings`
      if (!/^[\w./+-]+$/.test(e.argv[0] as string))
        return `${where}: argv[0] ${JSON.stringify(e.argv[0])} must be a program name or path, not a shell string`
      if (e.stderr !== undefined && e.stderr !== 'merge') return `${where}: stderr must be 'merge' or absent`
      break
    }

    case 'file': {
      if (typeof e.path !== 'string' || !ABSOLUTE.test(e.path)) return `${where}: path must be an absolute path`
      break
    }

    case 'library': {
      if (typeof e.library !== 'string' || !e.library) return `${where}: library must name a library probe`
      break
    }

    default: {
      return `${where}: kind must be command, file, library or listing`
    }
  }

  if (e.os !== undefined && !(Array.isArray(e.os) && e.os.every((o) => o === 'netbsd' || o === 'linux')))
    return `${where}: os must be a list of netbsd, linux`
  if (e.expand !== undefined) {
    const x = e.expand as Record<string, unknown>
    if (!isObject(x) || typeof x.from !== 'string' || typeof x.match !== 'string')
      return `${where}: expand needs from and match`
    try {
      new RegExp(x.match, 'gm')
    } catch {
      return `${where}: expand.match is not a regular expression`
    }
  }

  return undefined
}

/** Why a value a hook returned is not a usable plugin definition (API version 2), or undefined when it is. */
export function pluginProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'a plugin definition must be an object'
  if (typeof x.name !== 'string' || !PLUGIN_NAME.test(x.name))
    return `plugin name ${JSON.stringify(x.name)} is not a lowercase word`
  if (typeof x.title !== 'string') return `plugin ${x.name}: title must be a string`
  if (!Array.isArray(x.evidence)) return `plugin ${x.name}: evidence must be an array`
  for (const e of x.evidence) {
    const problem = specProblem(x.name, e)
    if (problem) return problem
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
    if (typeof c.id !== 'string' || !CHECK_ID.test(c.id))
      return `plugin ${x.name}: check id ${JSON.stringify(c.id)} is not lowercase and dotted`
    for (const key of ['title', 'description', 'why', 'remedy'] as const) {
      if (typeof c[key] !== 'string') return `check ${c.id}: ${key} must be a string`
    }

    if (
      c.targets !== undefined &&
      (!Array.isArray(c.targets) ||
        c.targets.length === 0 ||
        !c.targets.every((t) => (TARGETS as readonly unknown[]).includes(t)))
    ) {
      return `check ${c.id}: targets must be a list of ${TARGETS.join(', ')} (or absent: all)`
    }

    if (c.hostOs !== undefined && (!Array.isArray(c.hostOs) || !c.hostOs.every((o) => typeof o === 'string')))
      return `check ${c.id}: hostOs must be a list of system names (NetBSD)`
    if (c.applies !== undefined && typeof c.applies !== 'function') return `check ${c.id}: applies must be a function`
    if (c.since !== undefined && typeof c.since !== 'string') return `check ${c.id}: since must be a version string`
    if (c.actor !== undefined && !(ACTORS as readonly unknown[]).includes(c.actor))
      return `check ${c.id}: actor must be one of ${ACTORS.join(', ')}`
    if (!Array.isArray(c.evidence) || !c.evidence.every((e) => typeof e === 'string'))
      return `check ${c.id}: evidence must be a list of names`
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
  const specs = new Map<string, {spec: EvidenceSpec; plugin: string}>()
  for (const {package: pkg, result} of successes) {
    if (
      !isObject(result) ||
      (result.apiVersion !== 1 && result.apiVersion !== API_VERSION) ||
      !Array.isArray(result.plugins)
    ) {
      const version =
        isObject(result) && typeof result.apiVersion === 'number'
          ? ` (it returned apiVersion ${result.apiVersion})`
          : ''
      registry.errors.push({
        package: pkg,
        message: `its xenready:register hook must return {apiVersion: ${API_VERSION}, plugins: [...]} (or the older apiVersion 1)${version}`,
      })
      continue
    }

    for (const raw of result.plugins as unknown[]) {
      const adapted = result.apiVersion === 1 ? adaptV1(raw) : {definition: raw}
      const candidate = adapted.definition
      const problem = adapted.problem ?? pluginProblem(candidate)
      if (problem) {
        registry.errors.push({
          package: pkg,
          plugin: isObject(candidate) && typeof candidate.name === 'string' ? candidate.name : undefined,
          message: problem,
        })
        continue
      }

      const definition = candidate as PluginDefinition
      if (seenPlugins.has(definition.name)) {
        registry.errors.push({
          package: pkg,
          plugin: definition.name,
          message: `plugin name ${definition.name} is already registered`,
        })
        continue
      }

      const clash = definition.checks.find((c) => seenChecks.has(c.id))
      if (clash) {
        registry.errors.push({
          package: pkg,
          plugin: definition.name,
          message: `check id ${clash.id} is already registered by ${seenChecks.get(clash.id)}`,
        })
        continue
      }

      const conflict = specConflict(definition, specs)
      if (conflict) {
        registry.errors.push({package: pkg, plugin: definition.name, message: conflict})
        continue
      }

      seenPlugins.add(definition.name)
      for (const spec of definition.evidence)
        if (spec.kind !== 'listing' && !specs.has(spec.name)) specs.set(spec.name, {spec, plugin: definition.name})
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

/** One name, one definition: a second plugin declaring the same evidence name differently is refused. */
function specConflict(
  definition: PluginDefinition,
  seen: Map<string, {spec: EvidenceSpec; plugin: string}>,
): string | undefined {
  const own = new Map<string, EvidenceSpec>()
  for (const spec of definition.evidence) {
    if (spec.kind === 'listing') continue
    const before =
      seen.get(spec.name) ?? (own.has(spec.name) ? {spec: own.get(spec.name)!, plugin: definition.name} : undefined)
    if (before && !sameSpec(before.spec, spec))
      return `evidence ${spec.name} is already declared differently by plugin ${before.plugin} (share one spec: src/plugins/evidence.ts)`
    own.set(spec.name, spec)
  }

  return undefined
}

/** Resolves `--only` selectors (exact ids or plugin names) to checks; throws on a selector matching nothing. */
export function selectChecks(registry: Registry, only: string[] | undefined): RegisteredCheck[] {
  if (!only || only.length === 0) return registry.checks
  const wanted = new Set<RegisteredCheck>()
  for (const selector of only) {
    const matches = registry.checks.filter(
      (c) =>
        c.check.id === selector ||
        c.plugin.definition.name === selector ||
        (selector.endsWith('.*') && c.check.id.startsWith(selector.slice(0, -1))),
    )
    if (matches.length === 0) {
      const hint = didYouMean(selector, [
        ...registry.checks.map((c) => c.check.id),
        ...registry.plugins.map((p) => p.definition.name),
      ])
      throw new UsageError(
        `--only: no check or plugin is named ${JSON.stringify(selector)} (${hint ? `${hint} ` : ''}see \`xenready checks\`)`,
      )
    }

    for (const m of matches) wanted.add(m)
  }

  return registry.checks.filter((c) => wanted.has(c))
}

/** An error that the CLI turns into one line on stderr and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
