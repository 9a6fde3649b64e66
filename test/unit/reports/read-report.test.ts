// The reports `diff` reads: one dump or a fleet, schemaVersion 1 or 2; anything else is one usage error.
import {describe, expect, it} from 'vitest'
import {UsageError} from '../../../src/engine/registry.js'
import {reportFromJson} from '../../../src/reports/read-report.js'

describe('reportFromJson', () => {
  it('takes a single report of schemaVersion 2 and of 1', () => {
    for (const schemaVersion of [1, 2]) {
      const r = reportFromJson(JSON.stringify({schemaVersion, findings: []}), 'a.json')
      expect('findings' in r && r.findings).toEqual([])
    }
  })

  it('takes a fleet report', () => {
    const text = JSON.stringify({schemaVersion: 2, kind: 'fleet', reports: [], dumps: []})
    expect(reportFromJson(text, 'f.json')).toMatchObject({reports: [], dumps: []})
  })

  it.each([
    ['empty input', '', /cannot read report r.json: .*JSON/],
    ['truncated JSON', '{"schemaVersion": 2, "findi', /cannot read report r.json/],
    ['garbage', '\u0000\u0001garbage', /cannot read report r.json/],
    [
      'another schema',
      '{"schemaVersion": 3, "findings": []}',
      /r.json is not a xenready JSON report \(schemaVersion 2\)/,
    ],
    ['a JSON array', '[]', /is not a xenready JSON report/],
    ['null', 'null', /is not a xenready JSON report/],
    ['no findings', '{"schemaVersion": 2}', /findings missing/],
    ['a fleet without dumps', '{"schemaVersion": 2, "kind": "fleet", "reports": []}', /reports or dumps missing/],
  ])('refuses %s with one usage error', (_what, text, message) => {
    expect(() => reportFromJson(text, 'r.json')).toThrow(UsageError)
    expect(() => reportFromJson(text, 'r.json')).toThrow(message)
  })
})
