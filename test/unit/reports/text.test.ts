import {describe, expect, it} from 'vitest'
import type {Finding} from '../../../src/engine/types.js'
import {buildReport} from '../../../src/reports/report.js'
import {renderText} from '../../../src/reports/text.js'

const f = (id: string, status: Finding['status'], message: string, extra: Partial<Finding> = {}): Finding => ({id, plugin: id.split('.')[0]!, status, title: id, message, evidence: [], remedy: '', ...extra})

describe('text report', () => {
  const report = buildReport({version: '9', source: 'dump', target: 'dom0', pluginErrors: [], findings: [
    f('k.a', 'n/a', 'not yet'),
    f('k.b', 'n/a', 'not yet'),
    f('k.c', 'fail', 'broken', {evidence: [{source: 'ls-paths.txt', line: 3, text: 'ls: /xen.gz: No such file or directory'}], remedy: 'copy it'}),
    f('k.d', 'n/a', 'other reason'),
  ]})

  it('puts status words, evidence and the fix under each non-pass line, and a summary last', () => {
    const text = renderText(report, {color: false})
    expect(text).toContain('  FAIL    k.c: broken\n            evidence ls-paths.txt:3: ls: /xen.gz: No such file or directory\n            fix: copy it\n')
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 pass, 0 warn, 1 fail, 0 unknown, 3 n/a')
  })

  it('folds runs of n/a lines with the same reason, unless verbose', () => {
    expect(renderText(report, {color: false})).toContain('  N/A     k.a, k.b: not yet\n')
    expect(renderText(report, {color: false, verbose: true})).toContain('  N/A     k.a: not yet\n  N/A     k.b: not yet\n')
  })

  it('colours only when asked', () => {
    expect(renderText(report, {color: false})).not.toContain('\u001B[')
    expect(renderText(report, {color: true})).toContain('\u001B[31mFAIL')
  })
})
