import {UsageError} from '../engine/registry.js'
import {isFleetReport, type FleetReport} from './fleet.js'
import {REPORT_SCHEMA_VERSION, type Report} from './report.js'

/**
 * A JSON report written by `xenready check --json` (one dump or a fleet, schemaVersion 1 or 2), checked for the
 * fields `diff` reads; anything else is a usage error naming `path`.
 */
export function reportFromJson(text: string, path: string): Report | FleetReport {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`cannot read report ${path}: ${(error as Error).message}`)
  }

  const x = data as Partial<Report & FleetReport> | null
  if (!x || typeof x !== 'object' || (x.schemaVersion !== REPORT_SCHEMA_VERSION && x.schemaVersion !== 1)) {
    throw new UsageError(
      `${path} is not a xenready JSON report (schemaVersion ${REPORT_SCHEMA_VERSION}); make one with \`xenready check --json\``,
    )
  }

  if (isFleetReport(x) ? !Array.isArray(x.reports) || !Array.isArray(x.dumps) : !Array.isArray(x.findings)) {
    throw new UsageError(
      `${path} is not a xenready JSON report: ${isFleetReport(x) ? 'reports or dumps' : 'findings'} missing`,
    )
  }

  return x as Report | FleetReport
}
