import {XenreadyCommand} from '../cli/base-command.js'
import {registryFor} from '../cli/context.js'
import {TARGETS} from '../engine/types.js'

export interface ChecksListing {
  plugins: Array<{
    name: string
    title: string
    package: string
    evidence: string[]
    checks: Array<{id: string; title: string; targets: string[]; evidence: string[]}>
  }>
  errors: Array<{package: string; plugin?: string; message: string}>
}

export default class Checks extends XenreadyCommand {
  // `probes` was this command's first name; scripts that call it keep working.
  static override hiddenAliases = ['probes']
  static override summary =
    'List every registered plugin and its checks: id, title, the evidence each needs, and the package that registered it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true

  async run(): Promise<ChecksListing> {
    await this.parse(Checks)
    const registry = await registryFor(this)
    const listing: ChecksListing = {
      plugins: registry.plugins.map(({definition: d, package: pkg}) => ({
        name: d.name,
        title: d.title,
        package: pkg,
        evidence: d.evidence.flatMap((e) => (e.kind === 'listing' ? [] : [e.name])),
        checks: d.checks.map((c) => ({
          id: c.id,
          title: c.title,
          targets: [...(c.targets ?? TARGETS)],
          evidence: [...c.evidence],
        })),
      })),
      errors: registry.errors,
    }
    for (const p of listing.plugins) {
      this.log(`${p.name}: ${p.title} (from ${p.package})`)
      for (const c of p.checks) {
        this.log(`  ${c.id.padEnd(24)} ${c.title}`)
        this.log(`  ${' '.repeat(24)} evidence: ${c.evidence.join(', ')}; targets: ${c.targets.join(', ')}`)
      }

      this.log('')
    }

    for (const e of listing.errors)
      this.log(`ERROR plugin ${e.plugin ? `${e.plugin} ` : ''}from ${e.package}: ${e.message}`)
    if (listing.errors.length > 0) process.exitCode = 1
    return listing
  }
}
