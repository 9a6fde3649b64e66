import {Command, Flags} from '@oclif/core'
import {UsageError} from '../engine/registry.js'
import {runChecks} from '../engine/run.js'
import {TARGETS, type Target} from '../engine/types.js'
import {registryFor} from '../cli/context.js'
import {buildReport, exitCodeFor, type Report} from '../reports/report.js'
import {renderText} from '../reports/text.js'
import {useColor} from '../reports/style.js'
import {openSource, type OpenedSource} from '../probes/source.js'

export default class Check extends Command {
  static override summary = 'Check whether this host, or a saved dump, is ready to run NetBSD as a Xen domain0.'
  static override description = `Without --from, gathers evidence on this host (commands run as argv arrays, each with a timeout) and checks it.
With --from, checks a dump: a directory of saved command outputs (see docs/dump-format.md).

Exit codes: 0 no check failed, 1 at least one check failed, 2 usage error or unreadable input.`

  static override examples = [
    {description: 'Check this host for a dom0 install', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Check a saved dump for HVM guests', command: '<%= config.bin %> <%= command.id %> --from test/fixtures/dumps/howto-grub-dom0 --target hvm'},
    {description: 'Only the CPU checks, as JSON', command: '<%= config.bin %> <%= command.id %> --from dump/ --only cpu --json'},
  ]

  static override enableJsonFlag = true

  static override flags = {
    from: Flags.string({char: 'f', summary: 'Dump directory to check instead of this host.', helpValue: 'DIR'}),
    target: Flags.string({char: 't', summary: 'What the machine must be ready for.', options: [...TARGETS], default: 'dom0'}),
    format: Flags.string({summary: 'Report format (--json is the same as --format json).', options: ['text', 'json'], default: 'text'}),
    only: Flags.string({summary: 'Run only these checks: ids (cpu.hvm) or plugin names (cpu), comma-separated.', delimiter: ',', multiple: true, helpValue: 'ID,...'}),
    verbose: Flags.boolean({char: 'v', summary: 'Show the evidence of passing checks too.'}),
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(Check)
    const registry = await registryFor(this)
    const target = flags.target as Target
    let source: OpenedSource
    if (flags.from) {
      source = await openSource(flags.from)
    } else {
      const {liveSource} = await import('../cli/live-source.js')
      source = await liveSource(registry)
    }

    let report: Report
    try {
      const {findings, pluginErrors} = runChecks(registry, source.evidence, {target, only: flags.only})
      report = buildReport({version: this.config.version, source: source.label, target, findings, pluginErrors})
    } finally {
      await source.close()
    }

    process.exitCode = exitCodeFor(report)
    if (this.jsonEnabled()) return report
    if (flags.format === 'json') this.log(JSON.stringify(report, null, 2))
    else process.stdout.write(renderText(report, {color: useColor(process.stdout), verbose: flags.verbose}))
    return report
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof UsageError) this.error(error.message, {exit: 2})
    return super.catch(error)
  }
}
