import {Args} from '@oclif/core'
import {XenreadyCommand} from '../cli/base-command.js'
import {registryFor} from '../cli/context.js'
import {howToCollect, matchesPattern} from '../engine/evidence-names.js'
import type {RegisteredPlugin} from '../engine/registry.js'
import {didYouMean} from '../util/nearest.js'
import {evidenceCatalog} from '../engine/catalog.js'
import {TARGETS} from '../engine/types.js'

export interface Explanation {
  id: string
  title: string
  plugin: string
  package: string
  targets: string[]
  description: string
  why: string
  remedy: string
  evidence: Array<{name: string; description?: string; collect?: string}>
  references: string[]
  since?: string
  actor?: string
}

/** `explain PLUGIN`: the plugin and its checks. */
export interface PluginExplanation {
  plugin: string
  title: string
  package: string
  checks: Array<{id: string; title: string}>
}

export default class Explain extends XenreadyCommand {
  static override summary =
    'Explain a check: what it looks at, why it matters (from the NetBSD/Xen Howto) and how to fix a failure.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> cpu.hvm',
    '<%= config.bin %> <%= command.id %> cpu.i686 --json',
    {description: 'The checks of the plugin cpu', command: '<%= config.bin %> <%= command.id %> cpu'},
  ]
  static override enableJsonFlag = true
  static override args = {
    id: Args.string({
      description: 'Check id, as listed by `xenready checks`; or a plugin name, to list its checks.',
      required: true,
    }),
  }

  async run(): Promise<Explanation | PluginExplanation> {
    const {args} = await this.parse(Explain)
    const registry = await registryFor(this)
    const entry = registry.checks.find((c) => c.check.id === args.id)
    if (!entry) {
      const plugin = registry.plugins.find((p) => p.definition.name === args.id)
      if (plugin) return this.listPlugin(plugin)
      const hint = didYouMean(args.id, [
        ...registry.checks.map((c) => c.check.id),
        ...registry.plugins.map((p) => p.definition.name),
      ])
      this.error(
        `no check is named ${JSON.stringify(args.id)}${hint ? ` (${hint})` : ''}. See \`${this.config.bin} checks\`.`,
        {exit: 2},
      )
    }

    const {check, plugin} = entry
    const catalog = evidenceCatalog(registry)
    const explanation: Explanation = {
      id: check.id,
      title: check.title,
      plugin: plugin.definition.name,
      package: plugin.package,
      targets: [...(check.targets ?? TARGETS)],
      description: check.description,
      why: check.why,
      remedy: check.remedy,
      evidence: check.evidence.map((name) => {
        const spec = catalog.find((s) => s.name === name || matchesPattern(s.name, name))
        return spec ? {name, description: spec.description, collect: howToCollect(spec)} : {name}
      }),
      references: [...(check.references ?? [])],
      ...(check.since ? {since: check.since} : {}),
      ...(check.actor ? {actor: check.actor} : {}),
    }
    this.log(`${check.id}: ${check.title}`)
    const more = `${check.actor ? `; who acts: ${check.actor}` : ''}${check.since ? `; since xenready ${check.since}` : ''}`
    this.log(
      `plugin ${explanation.plugin} (${explanation.package}); targets: ${explanation.targets.join(', ')}${more}\n`,
    )
    this.log(`What it looks at:\n  ${check.description}\n`)
    this.log(`Why it matters:\n  ${check.why}\n`)
    this.log(`How to fix a failure:\n  ${check.remedy}\n`)
    this.log('Evidence:')
    for (const e of explanation.evidence)
      this.log(
        `  ${e.name}${e.description ? `: ${e.description}` : ''}${e.collect ? `\n    get it with ${e.collect}` : ''}`,
      )
    if (explanation.references.length > 0)
      this.log(`\nReferences:\n${explanation.references.map((r) => `  ${r}`).join('\n')}`)
    return explanation
  }

  /** `explain cpu`: a plugin's name instead of a check id lists that plugin's checks. */
  private listPlugin({definition: d, package: pkg}: RegisteredPlugin): PluginExplanation {
    const listing: PluginExplanation = {
      plugin: d.name,
      title: d.title,
      package: pkg,
      checks: d.checks.map((c) => ({id: c.id, title: c.title})),
    }
    this.log(`${d.name}: ${d.title} (plugin from ${pkg}), ${d.checks.length} check${d.checks.length === 1 ? '' : 's'}:`)
    const width = Math.max(0, ...d.checks.map((c) => c.id.length))
    for (const c of d.checks) this.log(`  ${c.id.padEnd(width)}  ${c.title}`)
    this.log(`\nExplain one: ${this.config.bin} explain ${d.checks[0]?.id ?? `${d.name}.<check>`}`)
    return listing
  }
}
