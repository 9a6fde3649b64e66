import {describe, expect, it} from 'vitest'
import {diffReports, renderDiffText} from '../../../src/reports/diff.js'
import {buildFleet} from '../../../src/reports/fleet.js'
import type {Report} from '../../../src/reports/report.js'
import {buildReport} from '../../../src/reports/report.js'
import type {Finding} from '../../../src/engine/types.js'
import {FIXED_NOW, reportOfDump} from './schemas.js'

function finding(id: string, status: Finding['status'], text = 'line', subject?: string, line = 1): Finding {
  return {
    id,
    plugin: id.split('.')[0]!,
    title: id,
    status,
    message: `${id} is ${status}`,
    evidence: [{source: 'f.txt', line, text}],
    remedy: status === 'pass' ? '' : 'fix it',
    ...(subject ? {subject} : {}),
  }
}

function report(source: string, findings: Finding[]): Report {
  return buildReport({version: 't', source, target: 'dom0', findings, pluginErrors: [], now: FIXED_NOW})
}

describe('diff', () => {
  const before = report('old/dump', [
    finding('a.one', 'pass'),
    finding('a.two', 'fail'),
    finding('a.three', 'pass', 'x'),
    finding('a.four', 'pass'),
    finding('b.cfg', 'pass', 'l', 'dom1'),
    finding('b.gone', 'fail'),
  ])
  const after = report('new/dump', [
    finding('a.one', 'fail'),
    finding('a.two', 'pass'),
    finding('a.three', 'pass', 'y'),
    finding('a.four', 'unknown'),
    finding('b.cfg', 'pass', 'l', 'dom1', 7),
    finding('b.cfg', 'error', 'l', 'dom2'),
  ])

  it('finds new failures, fixed checks, status changes and changed evidence between two single reports, whatever their paths', () => {
    const d = diffReports(before, after)
    expect(d.newFailures.map((c) => [c.id, c.subject])).toEqual([
      ['a.one', undefined],
      ['b.cfg', 'dom2'],
    ])
    expect(d.fixed.map((c) => c.id).sort()).toEqual(['a.two', 'b.gone'])
    expect(d.statusChanged.map((c) => c.id)).toEqual(['a.four'])
    expect(d.evidenceChanged.map((c) => c.id)).toEqual(['a.three'])
    expect(d.regression).toBe(true)
    const text = renderDiffText(d)
    expect(text).toContain('New failures (2):\n  a.one: pass -> fail')
    expect(text).toContain('b.cfg [dom2]: absent -> error')
    expect(text).toMatch(/REGRESSION: 2 new failure\(s\)/)
  })

  it('does not call a moved line a change, and nothing changed is no regression', () => {
    const d = diffReports(after, after)
    expect([d.newFailures, d.fixed, d.statusChanged, d.evidenceChanged].every((x) => x.length === 0)).toBe(true)
    expect(d.regression).toBe(false)
    expect(renderDiffText(d)).toMatch(/^No regression/)
  })

  it('honours --fail-on: a new warning is a regression only at warn', () => {
    const a = report('d', [finding('a.one', 'pass')])
    const b = report('d', [finding('a.one', 'warn')])
    expect(diffReports(a, b).regression).toBe(false)
    expect(diffReports(a, b).statusChanged).toHaveLength(1)
    expect(diffReports(a, b, 'warn').newFailures).toHaveLength(1)
  })

  it('compares fleets dump by dump: added, removed and newly unreadable dumps', () => {
    const h1 = report('fleet/h1', [finding('a.one', 'pass')])
    const h2 = report('fleet/h2', [finding('a.one', 'fail')])
    const h3 = report('fleet/h3', [finding('a.one', 'pass')])
    const old = buildFleet({
      version: 't',
      target: 'dom0',
      failOn: 'fail',
      outcomes: [
        {source: 'fleet/h1', report: h1},
        {source: 'fleet/h2', report: h2},
        {source: 'fleet/h3', report: h3},
      ],
      now: FIXED_NOW,
    })
    const h1b = report('fleet/h1', [finding('a.one', 'fail')])
    const h4 = report('fleet/h4', [finding('a.one', 'pass')])
    const now = buildFleet({
      version: 't',
      target: 'dom0',
      failOn: 'fail',
      outcomes: [
        {source: 'fleet/h1', report: h1b},
        {source: 'fleet/h3', error: 'corrupt gzip'},
        {source: 'fleet/h4', report: h4},
      ],
      now: FIXED_NOW,
    })
    const d = diffReports(old, now)
    expect(d.newFailures.map((c) => c.dump)).toEqual(['fleet/h1'])
    expect(d.removedDumps).toEqual(['fleet/h2'])
    expect(d.newlyUnreadable).toEqual(['fleet/h3'])
    expect(d.addedDumps).toEqual(['fleet/h4'])
    expect(d.fixed).toEqual([])
    expect(d.regression).toBe(true)
  })

  it('reads real reports from the fixture dumps', () => {
    const a = reportOfDump('howto-core2-vmx')
    expect(diffReports(a, a).regression).toBe(false)
  })
})
