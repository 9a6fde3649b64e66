import {run as oclifRun, type Command} from '@oclif/core'
import {didYouMean} from '../util/nearest.js'

interface FlagSpec {
  char?: string
  hidden?: boolean
  allowNo?: boolean
  type?: string
}

/** What oclif's parser attaches to its errors: the command's flag definitions and the command itself. */
interface ParseErrorShape {
  flags?: string[]
  parse?: {input?: {flags?: Record<string, FlagSpec>; context?: Command}}
}

/**
 * oclif's `run`, with an unknown flag answered by the nearest flag of that command and the command's help:
 * `Nonexistent flag: --frm (did you mean --from?). See \`xenready check --help\`.` bin/run.js still turns
 * the error into one line and exit 2.
 */
export async function run(argv: string[], root: string): Promise<unknown> {
  try {
    return await oclifRun(argv, root)
  } catch (error) {
    suggestFlags(error)
    throw error
  }
}

function suggestFlags(error: unknown): void {
  // oclif does not export NonExistentFlagsError: it is the parse error that lists flags.
  if (!(error instanceof Error) || !/^Nonexistent flags?:/.test(error.message)) return
  const {flags: unknown, parse} = error as Error & ParseErrorShape
  if (!Array.isArray(unknown)) return
  const defined = parse?.input?.flags ?? {}
  const names = Object.entries(defined)
    .filter(([, f]) => !f.hidden)
    .flatMap(([name, f]) => (f.type === 'boolean' && f.allowNo ? [name, `no-${name}`] : [name]))
  names.push('help')
  const described = unknown.map((typed) => {
    // Only long flags: one-letter flags are all one edit from each other.
    const word = typed.startsWith('--') ? typed.slice(2).split('=')[0]! : ''
    const hint = word ? didYouMean(word, names, (n) => `--${n}`) : ''
    return hint ? `${typed} (${hint})` : typed
  })
  const command = parse?.input?.context
  const help = command?.id ? `${command.config.bin} ${command.id.replaceAll(':', ' ')} --help` : undefined
  error.message = `Nonexistent flag${unknown.length === 1 ? '' : 's'}: ${described.join(', ')}.${help ? ` See \`${help}\`.` : ''}`
}
