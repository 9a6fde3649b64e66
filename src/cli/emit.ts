import {writeFileAtomic} from '../reports/output.js'
import type {Format} from '../reports/render.js'

/** The report flags of `check`: where each report goes. */
export interface ReportFlags {
  format: string
  output?: string
  junit?: string
  sarif?: string
  markdown?: string
  html?: string
  'json-file'?: string
}

/**
 * Writes every extra report file (atomically), then the --format report to --output or stdout. With --json, oclif
 * prints the JSON itself, so the main report is not written.
 */
export function emitReports(
  render: (format: Format) => string | Iterable<string>,
  flags: ReportFlags,
  json: boolean,
): void {
  const files: Array<[string | undefined, Format]> = [
    [flags.junit, 'junit'],
    [flags.sarif, 'sarif'],
    [flags.markdown, 'markdown'],
    [flags.html, 'html'],
    [flags['json-file'], 'json'],
  ]
  for (const [file, format] of files) if (file) writeFileAtomic(file, render(format))
  if (json) return
  const main = render(flags.format as Format)
  if (flags.output) writeFileAtomic(flags.output, main)
  else if (typeof main === 'string') process.stdout.write(main)
  else for (const chunk of main) process.stdout.write(chunk)
}
