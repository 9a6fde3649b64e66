import {Command, Flags} from '@oclif/core'
import {registryFor} from '../cli/context.js'

export interface InstalledPlugin {
  name: string
  version: string
  /** oclif's plugin type: `link` (plugins link), `user` (plugins install), `core` (built in). */
  type: string
  path: string
  /** Check ids the plugin registers. */
  checks: string[]
  /** Why its `xenready:register` hook gave nothing usable, when it did not. */
  errors?: string[]
}

export default class Plugins extends Command {
  static override summary = 'List the plugins added to xenready (linked or installed), with their checks.'
  static override description = `One line per plugin: name, version, how it was added, its directory, the checks it registers.
Add one with \`xenready plugins link DIR\` or \`xenready plugins install NAME\`; \`xenready checks\` lists every check.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --core',
  ]
  static override enableJsonFlag = true
  static override flags = {
    core: Flags.boolean({summary: 'Also list what is built in: xenready itself and the oclif plugins it ships with.'}),
  }

  async run(): Promise<InstalledPlugin[]> {
    const {flags} = await this.parse(Plugins)
    const registry = await registryFor(this)
    const listed = this.config
      .getPluginsList()
      .filter((p) => !p.parent && (flags.core || (p.type !== 'core' && p.type !== 'dev')))
      .map((p): InstalledPlugin => {
        const checks = registry.checks.filter((c) => c.plugin.package === p.name).map((c) => c.check.id)
        const errors = registry.errors
          .filter((e) => e.package === p.name)
          .map((e) => `${e.plugin ? `plugin ${e.plugin}: ` : ''}${e.message}`)
        return {
          name: p.name,
          version: p.version,
          type: p.type,
          path: p.root,
          checks,
          ...(errors.length > 0 ? {errors} : {}),
        }
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    if (listed.length === 0) {
      this.log(
        `No plugins added. Link one with \`${this.config.bin} plugins link DIR\`; \`${this.config.bin} checks\` lists the built-in checks.`,
      )
    }

    for (const p of listed) {
      this.log(`${p.name} ${p.version} (${p.type}) ${p.path}`)
      this.log(`  checks: ${p.checks.length > 0 ? p.checks.join(', ') : 'none'}`)
      for (const e of p.errors ?? []) this.log(`  ERROR ${e}`)
    }

    return listed
  }
}
