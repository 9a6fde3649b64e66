import {Errors, type Hook} from '@oclif/core'
import {didYouMean} from '../util/nearest.js'

/**
 * oclif's `command_not_found` hook: a mistyped command gets the nearest command's name and the help that
 * lists them all, in one line, exit 2. Runs only when no command matched, so it costs a normal run nothing.
 */
const commandNotFound: Hook<'command_not_found'> = async function ({config, id}) {
  const spaced = (x: string) => x.replaceAll(':', ' ')
  const names = config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]).map((x) => spaced(x))
  const typed = spaced(id)
  const hint = didYouMean(typed, names)
  throw new Errors.CLIError(`command ${typed} not found${hint ? ` (${hint})` : ''}. See \`${config.bin} --help\`.`, {exit: 2})
}

export default commandNotFound
