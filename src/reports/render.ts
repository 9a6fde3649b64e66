import type {FleetReport} from './fleet.js'
import {fleetJsonChunks, renderFleetText} from './fleet.js'
import {renderFleetHtml, renderHtml} from './html.js'
import {renderJunit} from './junit.js'
import {renderFleetMarkdown, renderMarkdown} from './markdown.js'
import type {FailOn, Report} from './report.js'
import type {CheckInfo} from './rules.js'
import {renderSarif} from './sarif.js'
import {renderText, type TextOptions} from './text.js'

/** The report formats of `check --format` and of its report-file flags. */
export const FORMATS = ['text', 'json', 'junit', 'sarif', 'markdown', 'html'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderOptions {
  failOn: FailOn
  /** JUnit: an unknown is an error, not a skipped test case. */
  strict: boolean
  /** The registered checks' metadata (SARIF rules, HTML explain texts); computed only for the formats that use it. */
  checks: () => readonly CheckInfo[]
  text: TextOptions
}

/** One renderer per format for a single report: the one table `check` picks from. */
export const REPORT_RENDERERS: Record<Format, (report: Report, o: RenderOptions) => string> = {
  text: (report, o) => renderText(report, o.text),
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
  junit: (report, o) => renderJunit([report], {strict: o.strict, failOn: o.failOn}),
  sarif: (report, o) => renderSarif([report], o.checks()),
  markdown: (report) => renderMarkdown(report),
  html: (report, o) => renderHtml(report, o.checks()),
}

/**
 * The same for a fleet. JSON comes a report at a time (a fleet of any size is never one string); text is the
 * summary table, after each host's full report with --verbose.
 */
export const FLEET_RENDERERS: Record<Format, (fleet: FleetReport, o: RenderOptions) => string | Iterable<string>> = {
  text: (fleet, o) =>
    (o.text.verbose
      ? fleet.reports.map((r) => renderText(r, {color: o.text.color, verbose: true, width: o.text.width})).join('\n') +
        '\n'
      : '') + renderFleetText(fleet),
  json: (fleet) => fleetJsonChunks(fleet),
  junit: (fleet, o) => renderJunit(fleet.reports, {strict: o.strict, failOn: o.failOn, fleet: true}),
  sarif: (fleet, o) => renderSarif(fleet.reports, o.checks()),
  markdown: (fleet) => renderFleetMarkdown(fleet),
  html: (fleet, o) => renderFleetHtml(fleet, o.checks()),
}
