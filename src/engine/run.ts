import type {
  CheckContext,
  CheckDefinition,
  EvidenceRef,
  EvidenceSet,
  EvidenceSpec,
  FactProvider,
  Finding,
  HostOsFacts,
  Outcome,
  Target,
} from './types.js'
import {ACTORS, refOf, STATUSES, TARGETS} from './types.js'
import {errorText, selectChecks, type PluginError, type RegisteredCheck, type Registry} from './registry.js'
import {howToCollect, matchesPattern} from './evidence-names.js'
import {evidenceCatalog} from './catalog.js'
import {withRunMemo} from '../util/run-memo.js'

export interface RunOptions {
  target: Target
  /** See CheckContext.release. */
  release?: string
  only?: string[]
}

export interface RunResult {
  findings: Finding[]
  pluginErrors: PluginError[]
}

/** Thrown by `ctx.facts` when a fact set is unavailable; a check that lets it through is `unknown`, not crashed. */
export class FactsUnavailable extends Error {
  override name = 'FactsUnavailable'

  constructor(message: string) {
    // Thrown to end a check, often many times per dump in a fleet, and never shown with a stack: capturing one
    // costs more than the check.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
  }
}

/**
 * Runs the selected checks over gathered evidence. Pure apart from calling plugin code; never throws for plugin faults.
 */
export function runChecks(registry: Registry, evidence: EvidenceSet, options: RunOptions): RunResult {
  const selected = selectChecks(registry, options.only)
  // The catalog, not just the plugins' own specs: it adds the ls-paths.txt spec built from every plugin's lsPaths.
  const specs = evidenceCatalog(registry)
  const release = options.release ? {release: options.release} : {}
  const facts = factResolver(registry, evidence, options.target)
  const ctx: CheckContext = {target: options.target, ...release, evidence, ...facts}
  const findings: Finding[] = []
  withRunMemo(() => {
    for (const entry of selected) findings.push(...runOne(entry, ctx, specs))
  })
  return {findings, pluginErrors: registry.errors}
}

const providerMaps = new WeakMap<Registry, ReadonlyMap<string, FactProvider>>()

/** The registry's fact providers by name, built once per registry (a fleet asks for them once per dump). */
function factProviders(registry: Registry): ReadonlyMap<string, FactProvider> {
  let providers = providerMaps.get(registry)
  if (!providers) {
    providers = new Map(registry.plugins.flatMap((p) => (p.definition.facts ?? []).map((f) => [f.name, f] as const)))
    providerMaps.set(registry, providers)
  }

  return providers
}

/**
 * Facts from the registered providers, each derived once, on first use; for checks and for commands that show facts.
 */
export function factResolver(
  registry: Registry,
  evidence: EvidenceSet,
  target: Target,
): Pick<CheckContext, 'facts' | 'optionalFacts'> {
  const providers = factProviders(registry)
  const cache = new Map<string, {value?: unknown; error?: string}>()
  const inProgress = new Set<string>()
  const resolve = (name: string): {value?: unknown; error?: string} => {
    const cached = cache.get(name)
    if (cached) return cached
    const provider = providers.get(name)
    if (!provider) return {error: `no plugin provides the facts ${JSON.stringify(name)}`}
    if (inProgress.has(name)) return {error: `facts ${JSON.stringify(name)} depend on themselves`}
    inProgress.add(name)
    let result: {value?: unknown; error?: string}
    try {
      result = {value: provider.derive(ctx)}
    } catch (error) {
      result = {
        error: error instanceof FactsUnavailable ? error.message : `the ${name} facts failed: ${errorText(error)}`,
      }
    } finally {
      inProgress.delete(name)
    }

    cache.set(name, result)
    return result
  }

  const ctx: CheckContext = {
    target,
    evidence,
    facts(name: string) {
      const r = resolve(name)
      if (r.error !== undefined) throw new FactsUnavailable(r.error)
      return r.value as never
    },
    optionalFacts(name) {
      const r = resolve(name)
      return r.error === undefined
        ? {value: r.value as never}
        : {reason: `the ${name} facts are unavailable (${r.error})`}
    },
  }
  return {facts: ctx.facts, optionalFacts: ctx.optionalFacts}
}

/** Why a check does not apply here (its declared targets, host systems and predicate), or undefined. */
function notApplicable(
  check: CheckDefinition,
  ctx: CheckContext,
): {reason: string; evidence: EvidenceRef[]; pending?: string} | undefined {
  const targets = check.targets ?? TARGETS
  if (!targets.includes(ctx.target))
    return {reason: `applies to --target ${targets.join(' or ')}, not ${ctx.target}`, evidence: []}
  if (check.hostOs) {
    const os = (ctx.optionalFacts('host' as never).value as HostOsFacts | undefined)?.os
    if (os && !check.hostOs.includes(os.value)) {
      const wanted = check.hostOs.join(' or ')
      return {
        reason: `this host runs ${os.value}, not ${wanted} yet: this applies once ${wanted} is installed as the dom0`,
        evidence: [refOf(os)],
        pending: `install ${wanted}`,
      }
    }
  }

  const why = check.applies?.(ctx)
  if (why === undefined) return undefined
  if (typeof why === 'string') return {reason: why, evidence: []}
  return {
    reason: why.reason,
    evidence: (why.evidence ?? []).map(refOf),
    ...(why.pending === undefined ? {} : {pending: why.pending}),
  }
}

function runOne(entry: RegisteredCheck, ctx: CheckContext, specs: readonly EvidenceSpec[]): Finding[] {
  const {check, plugin} = entry
  const base = {id: check.id, plugin: plugin.definition.name, title: check.title}
  let raw: unknown
  try {
    const na = notApplicable(check, ctx)
    if (na) {
      const finding = makeFinding(base, 'n/a', na.reason, na.evidence, '')
      if (na.pending !== undefined) finding.pending = na.pending
      return [finding]
    }

    raw = check.run(ctx)
  } catch (error) {
    // The one degrade policy: facts a check needs and cannot get make it unknown, with the command that collects its
    // evidence.
    if (error instanceof FactsUnavailable) raw = {status: 'unknown', message: `cannot tell: ${error.message}`}
    else
      return [
        makeFinding(
          base,
          'error',
          `the check crashed: ${errorText(error)}`,
          [],
          `report this to the maintainers of ${plugin.package}`,
        ),
      ]
  }

  const outcomes = Array.isArray(raw) ? raw : [raw]
  if (outcomes.length === 0) {
    return [makeFinding(base, 'n/a', 'nothing to check in this evidence', [], '')]
  }

  // Only unknown outcomes use it, and it scans the evidence catalog: computed at most once, and only when needed
  // (fleets).
  let collect: {remedy: string | undefined} | undefined
  const collectRemedy = () => (collect ??= {remedy: missingEvidenceRemedy(check.evidence, ctx.evidence, specs)}).remedy
  return outcomes.map((o) => toFinding(base, o, check, collectRemedy, plugin.package))
}

function toFinding(
  base: Pick<Finding, 'id' | 'plugin' | 'title'>,
  o: unknown,
  check: CheckDefinition,
  collectRemedy: () => string | undefined,
  pkg: string,
): Finding {
  const problem = outcomeProblem(o)
  if (problem)
    return makeFinding(
      base,
      'error',
      `the check returned nonsense: ${problem}`,
      [],
      `report this to the maintainers of ${pkg}`,
    )
  const outcome = o as Outcome
  const evidence = (outcome.evidence ?? []).map((e) => ({source: e.source, line: e.line, text: e.text}))
  const finding = makeFinding(
    base,
    outcome.status,
    outcome.message,
    evidence,
    outcome.remedy ?? defaultRemedy(outcome.status, check.remedy, collectRemedy),
  )
  if (outcome.subject !== undefined) finding.subject = outcome.subject
  if (outcome.pending !== undefined && outcome.status === 'n/a') finding.pending = outcome.pending
  // Who acts matters only where something is to be done.
  const actor = outcome.status === 'pass' || outcome.status === 'n/a' ? undefined : (outcome.actor ?? check.actor)
  if (actor !== undefined) finding.actor = actor
  if (outcome.expected !== undefined) finding.expected = outcome.expected
  if (outcome.observed !== undefined) finding.observed = outcome.observed
  return finding
}

/**
 * Every finding built by one plain literal: `{...base, status, ...}` takes V8's generic object-spread path,
 * about 6 µs a finding on Node 20 against 30 ns, which was a tenth of a fleet worker's time (bench/fleet.mjs).
 */
function makeFinding(
  base: Pick<Finding, 'id' | 'plugin' | 'title'>,
  status: Finding['status'],
  message: string,
  evidence: EvidenceRef[],
  remedy: string,
): Finding {
  return {id: base.id, plugin: base.plugin, title: base.title, status, message, evidence, remedy}
}

function defaultRemedy(
  status: Outcome['status'],
  genericRemedy: string,
  collectRemedy: () => string | undefined,
): string {
  if (status === 'pass' || status === 'n/a') return ''
  if (status === 'unknown') return collectRemedy() ?? genericRemedy
  return genericRemedy
}

/** For an `unknown` finding: which declared evidence is missing, why, and the command that gets it. */
function missingEvidenceRemedy(
  names: readonly string[],
  evidence: EvidenceSet,
  specs: readonly EvidenceSpec[],
): string | undefined {
  const parts: string[] = []
  for (const name of names) {
    if (name.includes('{') || name.includes('*')) {
      if (evidence.names(name).length > 0) continue
      const spec = specs.find((s) => s.name === name)
      parts.push(`${name}: none in the evidence${spec ? `; get it with ${howToCollect(spec)}` : ''}`)
      continue
    }

    const e = evidence.get(name)
    if (e.present) continue
    // An exact name first: pcictl-all.txt also matches pcictl-{bus}.txt.
    const spec =
      specs.find((s) => s.name === name) ?? specs.find((s) => s.name.includes('{') && matchesPattern(s.name, name))
    parts.push(`${name}: ${e.reason}${spec ? `; get it with ${howToCollect(spec)}` : ''}`)
  }

  return parts.length > 0 ? `Collect the missing evidence: ${parts.join('. ')}.` : undefined
}

const OUTCOME_STATUSES: ReadonlySet<unknown> = new Set(STATUSES.filter((s) => s !== 'error'))
const OUTCOME_ACTORS: ReadonlySet<unknown> = new Set(ACTORS)

function outcomeProblem(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null) return 'an outcome must be an object'
  const x = o as Record<string, unknown>
  if (!OUTCOME_STATUSES.has(x.status))
    return `status ${JSON.stringify(x.status)} is not one of pass, warn, fail, unknown, n/a`
  if (typeof x.message !== 'string') return 'message must be a string'
  if (x.remedy !== undefined && typeof x.remedy !== 'string') return 'remedy must be a string'
  if (x.subject !== undefined && typeof x.subject !== 'string') return 'subject must be a string'
  if (x.pending !== undefined && typeof x.pending !== 'string') return 'pending must be a string'
  if (x.actor !== undefined && !OUTCOME_ACTORS.has(x.actor)) return `actor must be one of ${ACTORS.join(', ')}`
  if (x.expected !== undefined && typeof x.expected !== 'string') return 'expected must be a string'
  if (x.observed !== undefined && typeof x.observed !== 'string') return 'observed must be a string'
  if (x.evidence !== undefined) {
    if (!Array.isArray(x.evidence)) return 'evidence must be an array'
    for (const e of x.evidence as unknown[]) {
      const r = e as Partial<EvidenceRef> | null
      if (!r || typeof r.source !== 'string' || typeof r.line !== 'number' || typeof r.text !== 'string')
        return 'each evidence entry needs source, line and text'
    }
  }

  return undefined
}
