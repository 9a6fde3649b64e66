import {Args, Command, Flags} from '@oclif/core'
import {UsageError} from '../../engine/registry.js'
import {addLink, checksOf, linkTarget, REGISTER_HOOK} from '../../cli/plugins.js'

export interface LinkResult {
  name: string
  version: string
  path: string
  checks: string[]
  errors: string[]
}

export default class PluginsLink extends Command {
  static override summary = 'Link a plugin directory into xenready: its checks run with the built-in ones.'
  static override description = `DIR must be an npm package whose package.json declares the oclif hook "${REGISTER_HOOK}"
(see examples/xenready-plugin-uname). A directory that does not exist, is not such a package, or is xenready
itself is refused (exit 2). Linking runs the plugin's hook once and prints the checks it adds; a hook that
fails is reported and the link kept, as \`check\` reports it as a plugin error until it is fixed.
Undo with \`xenready plugins unlink NAME\`.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/xenready-plugin-uname',
    {
      description: "Install the plugin's dependencies first (npm install in DIR)",
      command: '<%= config.bin %> <%= command.id %> ../my-plugin --install',
    },
  ]

  static override enableJsonFlag = true

  static override args = {
    dir: Args.string({description: "The plugin's directory.", required: true}),
  }

  static override flags = {
    install: Flags.boolean({
      allowNo: true,
      default: false,
      summary: 'Run `npm install` in DIR before linking (off by default: a linked plugin is code you work on).',
    }),
  }

  async run(): Promise<LinkResult> {
    const {args, flags} = await this.parse(PluginsLink)
    const target = linkTarget(args.dir, {root: this.config.root, name: this.config.name})
    if (flags.install) await npmInstall(target.root)
    addLink(this.config, target)
    const {checks, errors} = await checksOf(target.root)
    const result: LinkResult = {name: target.name, version: target.version, path: target.root, checks, errors}
    const what =
      checks.length === 0
        ? 'no checks'
        : `${checks.length} check${checks.length === 1 ? '' : 's'}: ${checks.join(', ')}`
    this.log(`Linked ${target.name}${target.version ? ` ${target.version}` : ''} from ${target.root}, ${what}.`)
    for (const e of errors)
      process.stderr.write(
        `${this.config.bin}: warning: ${target.name}: ${e} (\`${this.config.bin} check\` reports it as a plugin error)\n`,
      )
    this.log(`Undo with: ${this.config.bin} plugins unlink ${target.name}`)
    return result
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof UsageError) this.error(error.message, {exit: 2})
    if (error.oclif?.exit === 2) throw error
    return super.catch(error)
  }
}

/** `npm install` in the plugin's directory, argv only; its output goes to stderr, so stdout stays the result. */
async function npmInstall(root: string): Promise<void> {
  const {execa} = await import('execa')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  try {
    await execa(npm, ['install', '--no-audit', '--no-fund'], {cwd: root, stdout: process.stderr, stderr: 'inherit'})
  } catch (error) {
    const e = error as {shortMessage?: string; message?: string}
    throw new UsageError(`npm install in ${root} failed: ${e.shortMessage ?? e.message ?? String(error)}`)
  }
}
