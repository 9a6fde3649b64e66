import {Errors, type Hook} from '@oclif/core'
import {existsSync} from 'node:fs'
import {didYouMean} from '../util/nearest.js'

/**
 * oclif's `command_not_found` hook: a mistyped command gets the nearest command's name and the help that
 * lists them all, in one line, exit 2. Runs only when no command matched, so it costs a normal run nothing.
 */
const commandNotFound: Hook<'command_not_found'> = async function ({config, id}) {
  const help = `See \`${config.bin} --help\`.`
  const spaced = (x: string) => x.replaceAll(':', ' ')
  // oclif joins every word up to the first flag into the id (`bundle inspekt x.tar.gz`): the command typed
  // is the known topic words and the first unknown one; the rest are its arguments.
  const words = id.split(':')
  const topics = new Set(config.topics.map((t) => t.name))
  let known = 0
  while (known < words.length - 1 && topics.has(words.slice(0, known + 1).join(':'))) known++
  const typed = words.slice(0, known + 1).join(' ')
  // Before any command only --help, -h, --version and -v mean something.
  if (typed.startsWith('-')) {
    const hint = didYouMean(typed.replace(/^-+/, '').split('=')[0]!, ['help', 'version'], (f) => `--${f}`)
    throw new Errors.CLIError(`Nonexistent flag: ${typed}${hint ? ` (${hint})` : ''}. ${help}`, {exit: 2})
  }

  // A dump or bundle given without a command: say how to check it.
  if (/[/.]/.test(typed) && existsSync(typed)) {
    const quoted = /^[\w@%+=:,./-]+$/.test(typed) ? typed : `'${typed.replaceAll("'", "'\\''")}'`
    throw new Errors.CLIError(
      `command ${typed} not found (to check that dump or bundle: \`${config.bin} check --from ${quoted}\`). ${help}`,
      {exit: 2},
    )
  }

  const names = config.commands
    .filter((c) => !c.hidden)
    .flatMap((c) => [c.id, ...c.aliases])
    .map((x) => spaced(x))
  const hint = didYouMean(typed, names)
  throw new Errors.CLIError(`command ${typed} not found${hint ? ` (${hint})` : ''}. ${help}`, {exit: 2})
}

export default commandNotFound
