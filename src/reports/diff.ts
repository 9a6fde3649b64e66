import type {EvidenceRef, Status} from '../engine/types.js'
import {FAIL_ON, type FailOn, type Report, type ReportFinding as Finding} from './report.js'
import {isFleetReport, type FleetReport} from './fleet.js'

/** What changed for one finding between two reports. */
export interface FindingChange {
  /** The dump, for fleet reports; empty for two single reports (their paths may differ). */
  dump: string
  id: string
  subject?: string
  before?: Side
  after?: Side
}

interface Side {
  status: Status
  message: string
  evidence: EvidenceRef[]
  /** A site policy's waiver covered it (it did not count). */
  waived?: {reason: string; expires?: string}
  /** A waiver covered it but expired. */
  waiverExpired?: {reason: string; expires: string}
}

export interface ReportDiff {
  failOn: FailOn
  /** At or above the threshold now, and not before (or absent before). */
  newFailures: FindingChange[]
  /** At or above the threshold before, and not now. */
  fixed: FindingChange[]
  /** Other status changes (pass to unknown, fail to error...). */
  statusChanged: FindingChange[]
  /** Same status, different message or evidence text. */
  evidenceChanged: FindingChange[]
  /** At or above the threshold and waived now, and not waived before: accepted, not a regression. */
  newlyWaived: FindingChange[]
  addedDumps: string[]
  removedDumps: string[]
  /** A dump that could be read before and not now is a regression too. */
  newlyUnreadable: string[]
  regression: boolean
}

const FAILING: Record<FailOn, readonly Status[]> = {
  fail: ['fail', 'error'],
  warn: ['fail', 'error', 'warn'],
  unknown: ['fail', 'error', 'warn', 'unknown'],
}

type Keyed = Map<string, {dump: string; finding: Finding}>

function reportsOf(x: Report | FleetReport): {reports: Report[]; unreadable: string[]; fleet: boolean} {
  if (isFleetReport(x))
    return {
      reports: x.reports,
      unreadable: x.dumps.filter((d) => d.error !== undefined).map((d) => d.source),
      fleet: true,
    }
  return {reports: [x], unreadable: [], fleet: false}
}

function keyed(reports: Report[], byDump: boolean): Keyed {
  const map: Keyed = new Map()
  for (const r of reports) {
    const dump = byDump ? r.source : ''
    for (const f of r.findings) map.set(`${dump}\u0000${f.id}\u0000${f.subject ?? ''}`, {dump, finding: f})
  }

  return map
}

function side(f: Finding | undefined): FindingChange['before'] {
  return f
    ? {
        status: f.status,
        message: f.message,
        evidence: f.evidence,
        ...(f.waived ? {waived: f.waived} : {}),
        ...(f.waiverExpired ? {waiverExpired: f.waiverExpired} : {}),
      }
    : undefined
}

function evidenceKey(f: Finding): string {
  return JSON.stringify([f.message, f.evidence.map((e) => [e.source, e.text.trim()])])
}

/**
 * Compares two reports (single or fleet; a single report against a fleet compares by dump path).
 * Line numbers alone moving is not a change: a dump gaining a line above the evidence is not news.
 */
export function diffReports(
  before: Report | FleetReport,
  after: Report | FleetReport,
  failOn: FailOn = 'fail',
): ReportDiff {
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new Error(`unknown --fail-on ${failOn}`)
  const a = reportsOf(before)
  const b = reportsOf(after)
  const byDump = a.fleet || b.fleet
  const old = keyed(a.reports, byDump)
  const now = keyed(b.reports, byDump)
  const failing = new Set(FAILING[failOn])
  const diff: ReportDiff = {
    failOn,
    newFailures: [],
    fixed: [],
    statusChanged: [],
    evidenceChanged: [],
    newlyWaived: [],
    addedDumps: [],
    removedDumps: [],
    newlyUnreadable: [],
    regression: false,
  }
  const oldDumps = new Set(a.reports.map((r) => r.source))
  const newDumps = new Set(b.reports.map((r) => r.source))
  const removedDumps = new Set<string>()
  if (byDump) {
    diff.addedDumps = [...newDumps].filter((d) => !oldDumps.has(d) && !a.unreadable.includes(d))
    for (const d of oldDumps) if (!newDumps.has(d)) removedDumps.add(d)
    diff.newlyUnreadable = b.unreadable.filter((d) => oldDumps.has(d))
    diff.removedDumps = [...removedDumps].filter((d) => !diff.newlyUnreadable.includes(d))
  }

  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const o = old.get(key)
    const n = now.get(key)
    const dump = (o ?? n)!.dump
    // A dump that vanished says nothing about its checks: it is listed once, not check by check.
    if (!n && removedDumps.has(dump)) continue
    const f = (o ?? n)!.finding
    const change: FindingChange = {
      dump,
      id: f.id,
      ...(f.subject === undefined ? {} : {subject: f.subject}),
      before: side(o?.finding),
      after: side(n?.finding),
    }
    if (!change.before) delete change.before
    if (!change.after) delete change.after
    // A waived finding does not count: a failure newly waived is no regression, and one whose waiver
    // expired (waived before, counting now) is one.
    const wasFailing = o !== undefined && failing.has(o.finding.status) && !o.finding.waived
    const isFailing = n !== undefined && failing.has(n.finding.status) && !n.finding.waived
    if (n?.finding.waived && failing.has(n.finding.status) && !o?.finding.waived) diff.newlyWaived.push(change)
    else if (isFailing && !wasFailing) diff.newFailures.push(change)
    else if (wasFailing && !isFailing) diff.fixed.push(change)
    else if (o && n && o.finding.status !== n.finding.status) diff.statusChanged.push(change)
    else if (o && n && evidenceKey(o.finding) !== evidenceKey(n.finding)) diff.evidenceChanged.push(change)
  }

  diff.regression = diff.newFailures.length > 0 || diff.newlyUnreadable.length > 0
  return diff
}

function label(c: FindingChange): string {
  return `${c.dump ? `${c.dump}: ` : ''}${c.id}${c.subject ? ` [${c.subject}]` : ''}`
}

function transition(c: FindingChange): string {
  return `${c.before?.status ?? 'absent'} -> ${c.after?.status ?? 'absent'}`
}

export function renderDiffText(diff: ReportDiff): string {
  const out: string[] = []
  const section = (title: string, items: FindingChange[], detail: (c: FindingChange) => string[]) => {
    if (items.length === 0) return
    out.push(`${title} (${items.length}):`)
    for (const c of items) out.push(`  ${label(c)}: ${transition(c)}`, ...detail(c).map((l) => `    ${l}`))
    out.push('')
  }

  const now = (c: FindingChange) =>
    c.after
      ? [
          c.after.message,
          ...(c.after.waiverExpired
            ? [`its waiver expired on ${c.after.waiverExpired.expires}: ${c.after.waiverExpired.reason}`]
            : c.before?.waived
              ? ['its waiver no longer applies']
              : []),
          ...c.after.evidence.slice(0, 3).map((e) => `evidence ${e.source}:${e.line}: ${e.text.trim()}`),
        ]
      : []
  section('New failures', diff.newFailures, now)
  section('Newly waived', diff.newlyWaived, (c) =>
    c.after?.waived
      ? [
          `waived: ${c.after.waived.reason}${c.after.waived.expires ? ` (until ${c.after.waived.expires})` : ''}`,
          c.after.message,
        ]
      : [],
  )
  section('Fixed', diff.fixed, (c) => (c.after ? [c.after.message] : ['the check no longer reports this']))
  section('Status changed', diff.statusChanged, now)
  section('Evidence changed', diff.evidenceChanged, (c) => [
    `before: ${c.before?.message ?? ''}`,
    `after:  ${c.after?.message ?? ''}`,
  ])
  for (const [title, dumps] of [
    ['Dumps now unreadable', diff.newlyUnreadable],
    ['Dumps added', diff.addedDumps],
    ['Dumps removed', diff.removedDumps],
  ] as const) {
    if (dumps.length > 0) out.push(`${title} (${dumps.length}):`, ...dumps.map((d) => `  ${d}`), '')
  }

  out.push(
    diff.regression
      ? `REGRESSION: ${diff.newFailures.length} new failure(s)${diff.newlyUnreadable.length > 0 ? `, ${diff.newlyUnreadable.length} dump(s) now unreadable` : ''} (--fail-on ${diff.failOn})`
      : `No regression: ${diff.fixed.length} fixed, ${diff.statusChanged.length} status changes, ${diff.evidenceChanged.length} evidence changes${diff.newlyWaived.length > 0 ? `, ${diff.newlyWaived.length} newly waived` : ''} (--fail-on ${diff.failOn})`,
  )
  return `${out.join('\n')}\n`
}
