import {type Command, Help} from '@oclif/core'

/**
 * oclif's help, with two changes:
 * - a comma-separated list flag (`delimiter: ','`) shows its own placeholder, `--only=ID[,ID...]`: oclif
 *   appends `...` to the placeholder of every repeatable flag, which read `--only=ID,......`;
 * - a topic that is also a command (`plugins`: the command lists plugins, the topic holds `plugins link`
 *   and the rest) is listed once, as the command, whose help lists the subcommands.
 */
export default class XenreadyHelp extends Help {
  override async showCommandHelp(command: Command.Loadable): Promise<void> {
    const flags = Object.fromEntries(Object.entries(command.flags ?? {}).map(([name, flag]) => [name, flag.type === 'option' && flag.delimiter ? {...flag, multiple: false} : flag]))
    return super.showCommandHelp({...command, flags} as Command.Loadable)
  }

  protected override get sortedTopics() {
    const commands = new Set(this.config.commands.filter((c) => !c.hidden).map((c) => c.id))
    return super.sortedTopics.filter((t) => !commands.has(t.name))
  }
}
