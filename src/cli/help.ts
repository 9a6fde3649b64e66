import {type Command, Errors, Help} from '@oclif/core'
import {didYouMean} from '../util/nearest.js'

/**
 * oclif's help, with two changes:
 * - a comma-separated list flag (`delimiter: ','`) shows its own placeholder, `--only=ID[,ID...]`: oclif
 *   appends `...` to the placeholder of every repeatable flag, which read `--only=ID,......`;
 * - run through npx (`npx xenready check --help`, as the README says in a clone), the examples read
 *   `$ npx xenready ...`, so that each works as written where the help was asked; run from PATH, they read
 *   `$ xenready ...`;
 * - a topic that is also a command (`plugins`: the command lists plugins, the topic holds `plugins link`
 *   and the rest) is listed once, as the command, whose help lists the subcommands;
 * - `help chek` names the nearest command, as `chek` alone does (the command_not_found hook).
 */
export default class XenreadyHelp extends Help {
  override async showHelp(argv: string[]): Promise<void> {
    try {
      await super.showHelp(argv)
    } catch (error) {
      const subject = argv.filter((a) => !a.startsWith('-')).join(' ')
      if (!(error instanceof Error) || !/^Command .* not found\.$/.test(error.message) || !subject) throw error
      const ids = this.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '))
      const hint = didYouMean(subject, ids)
      Errors.error(`command ${subject} not found${hint ? ` (${hint})` : ''}. See \`${this.config.bin} --help\`.`, {
        exit: 2,
      })
    }
  }

  override async showCommandHelp(command: Command.Loadable): Promise<void> {
    const flags = Object.fromEntries(
      Object.entries(command.flags ?? {}).map(([name, flag]) => [
        name,
        flag.type === 'option' && flag.delimiter ? {...flag, multiple: false} : flag,
      ]),
    )
    return super.showCommandHelp({
      ...command,
      flags,
      examples: viaNpx() ? command.examples?.map(npxExample) : command.examples,
    } as Command.Loadable)
  }

  protected override get sortedTopics() {
    const commands = new Set(this.config.commands.filter((c) => !c.hidden).map((c) => c.id))
    return super.sortedTopics.filter((t) => !commands.has(t.name))
  }
}

/** npm sets npm_command=exec for what `npx` and `npm exec` run. */
const viaNpx = () => process.env.npm_command === 'exec'

const BIN = /^(\$ )?<%= config\.bin %>/gm
function npxExample(example: Command.Example): Command.Example {
  if (typeof example === 'string') return example.replace(BIN, '$ npx <%= config.bin %>')
  return {...example, command: example.command.replace(BIN, '$ npx <%= config.bin %>')}
}
