import {Args, Command} from '@oclif/core'
import {registryFor} from '../cli/context.js'
import {howToCollect, matchesPattern} from '../engine/evidence-names.js'
import {evidenceCatalog} from '../evidence/catalog.js'

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
}

export default class Explain extends Command {
  static override summary = 'Explain a check: what it looks at, why it matters (from the NetBSD/Xen Howto) and how to fix a failure.'
  static override examples = ['<%= config.bin %> <%= command.id %> cpu.hvm', '<%= config.bin %> <%= command.id %> cpu.i686 --json']
  static override enableJsonFlag = true
  static override args = {
    id: Args.string({description: 'Check id, as listed by `xenready checks`.', required: true}),
  }

  async run(): Promise<Explanation> {
    const {args} = await this.parse(Explain)
    const registry = await registryFor(this)
    const entry = registry.checks.find((c) => c.check.id === args.id)
    if (!entry) this.error(`no check is named ${JSON.stringify(args.id)} (see \`xenready checks\`)`, {exit: 2})
    const {check, plugin} = entry
    const catalog = evidenceCatalog(registry)
    const explanation: Explanation = {
      id: check.id,
      title: check.title,
      plugin: plugin.definition.name,
      package: plugin.package,
      targets: [...check.targets],
      description: check.description,
      why: check.why,
      remedy: check.remedy,
      evidence: check.evidence.map((name) => {
        const spec = catalog.find((s) => s.name === name || matchesPattern(s.name, name))
        return spec ? {name, description: spec.description, collect: howToCollect(spec)} : {name}
      }),
      references: [...(check.references ?? [])],
    }
    this.log(`${check.id}: ${check.title}`)
    this.log(`plugin ${explanation.plugin} (${explanation.package}); targets: ${explanation.targets.join(', ')}\n`)
    this.log(`What it looks at:\n  ${check.description}\n`)
    this.log(`Why it matters:\n  ${check.why}\n`)
    this.log(`How to fix a failure:\n  ${check.remedy}\n`)
    this.log('Evidence:')
    for (const e of explanation.evidence) this.log(`  ${e.name}${e.description ? `: ${e.description}` : ''}${e.collect ? `\n    get it with ${e.collect}` : ''}`)
    if (explanation.references.length > 0) this.log(`\nReferences:\n${explanation.references.map((r) => `  ${r}`).join('\n')}`)
    return explanation
  }
}
