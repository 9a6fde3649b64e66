import {Command} from '@oclif/core'
import {UsageError} from '../engine/registry.js'

/**
 * What every xenready command shares: a usage or input error (UsageError, or oclif's own exit-2 errors) is one line
 * on stderr and exit 2, never a stack trace, and never a JSON object on stdout under --json (where oclif would
 * print it so); bin/run.js writes the line.
 */
export abstract class XenreadyCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof UsageError) this.error(error.message, {exit: 2})
    if (error.oclif?.exit === 2) throw error
    return super.catch(error)
  }
}
