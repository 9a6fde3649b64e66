import type {Status} from '../engine/types.js'

/** One waiver of a policy file, as validated (src/policy/load.ts). */
export interface Waiver {
  /** A check id or a plugin name. */
  check: string
  /** Host globs; undefined: every host. */
  hosts?: string[]
  reason: string
  /** YYYY-MM-DD, the last day it applies. */
  expires?: string
  /** Where it stands in the policy file (1-based), for messages. */
  line: number
}

/**
 * A loaded policy: plain data (a fleet's worker threads get a structured clone of it). Waivers are split
 * once, against the run's date, into those that apply and those that expired.
 */
export interface Policy {
  /** The path given to --policy. */
  file: string
  waivers: Waiver[]
  expired: Waiver[]
  require: string[]
  severity: Record<string, 'fail' | 'warn'>
}

/** What a policy adds to a finding (docs/report-schema.json). A finding without a policy has none of them. */
export interface PolicyMarks {
  /** A waiver applies: the finding keeps its status but counts for neither the exit code nor the verdict. */
  waived?: {reason: string; expires?: string}
  /** A waiver would apply but expired: the finding counts again. */
  waiverExpired?: {reason: string; expires: string}
  /** The policy changed the status the check gave (`from`): a `severity` entry, or `require` (unknown is fail). */
  adjusted?: {from: Status; by: 'severity' | 'require'}
}

/** The report's `policy` section. */
export interface PolicySection {
  file: string
  /** The names the waivers' host globs were matched against. */
  hosts: string[]
  /** Waivers that match this host but expired, with the findings they no longer cover (`id` or `id [subject]`). */
  expired: Array<{check: string; hosts?: string[]; reason: string; expires: string; line: number; findings: string[]}>
}
