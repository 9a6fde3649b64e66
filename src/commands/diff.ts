import {readFileSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {XenreadyCommand} from '../cli/base-command.js'
import {UsageError} from '../engine/registry.js'
import {diffReports, renderDiffText, type ReportDiff} from '../reports/diff.js'
import type {FleetReport} from '../reports/fleet.js'
import {reportFromJson} from '../reports/read-report.js'
import {FAIL_ON, type FailOn, type Report} from '../reports/report.js'
import {errorText} from '../util/error-text.js'

function readReport(path: string): Report | FleetReport {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read report ${path}: ${(error as NodeJS.ErrnoException).code ?? errorText(error)}`)
  }

  return reportFromJson(text, path)
}

export default class Diff extends XenreadyCommand {
  static override summary = 'Show what changed between two JSON reports: new failures, fixed checks, changed evidence.'
  static override description = `Takes two reports written by \`xenready check --json\` (single dumps or fleets) and lists the checks that newly fail, the ones fixed, other status changes and findings whose evidence changed.
For "did this change to the fleet break anything" jobs.

Exit codes: 0 no regression, 1 a regression (a new failure at or above --fail-on, or a dump that became unreadable), 2 unreadable input.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> last-night.json tonight.json',
    '<%= config.bin %> <%= command.id %> old.json new.json --fail-on warn --json',
  ]

  static override enableJsonFlag = true
  static override args = {
    old: Args.string({description: 'The earlier JSON report.', required: true}),
    new: Args.string({description: 'The later JSON report.', required: true}),
  }

  static override flags = {
    'fail-on': Flags.string({
      summary: 'Lowest status that counts as a failure.',
      options: [...FAIL_ON],
      default: 'fail',
    }),
  }

  async run(): Promise<ReportDiff> {
    const {args, flags} = await this.parse(Diff)
    const diff = diffReports(readReport(args.old), readReport(args.new), flags['fail-on'] as FailOn)
    process.exitCode = diff.regression ? 1 : 0
    if (!this.jsonEnabled()) process.stdout.write(renderDiffText(diff))
    return diff
  }
}
