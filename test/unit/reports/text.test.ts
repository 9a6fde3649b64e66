import {describe, expect, it} from 'vitest'
import type {Finding} from '../../../src/engine/types.js'
import {buildReport} from '../../../src/reports/report.js'
import {renderText} from '../../../src/reports/text.js'

const f = (id: string, status: Finding['status'], message: string, extra: Partial<Finding> = {}): Finding => ({
  id,
  plugin: id.split('.')[0]!,
  status,
  title: id,
  message,
  evidence: [],
  remedy: '',
  ...extra,
})

describe('text report', () => {
  const report = buildReport({
    version: '9',
    source: 'dump',
    target: 'dom0',
    pluginErrors: [],
    findings: [
      f('k.a', 'n/a', 'not yet'),
      f('k.b', 'n/a', 'not yet'),
      f('k.c', 'fail', 'broken', {
        evidence: [{source: 'ls-paths.txt', line: 3, text: 'ls: /xen.gz: No such file or directory'}],
        remedy: 'copy it',
      }),
      f('k.d', 'n/a', 'other reason'),
    ],
  })

  it('puts status words, evidence and the fix under each non-pass line, the verdict with the counts and the next steps last', () => {
    const text = renderText(report, {color: false})
    expect(text).toContain(
      '  FAIL    k.c: broken\n            evidence ls-paths.txt:3: ls: /xen.gz: No such file or directory\n            fix: copy it\n',
    )
    expect(text.trimEnd().split('\n').slice(-4)).toEqual([
      'NOT READY: 0 pass, 0 warn, 1 fail, 0 unknown, 3 n/a',
      '',
      'Next steps:',
      '  1. copy it [k.c]',
    ])
  })

  it('folds runs of n/a lines with the same reason, unless verbose', () => {
    expect(renderText(report, {color: false})).toContain('  N/A     k.a, k.b: not yet\n')
    expect(renderText(report, {color: false, verbose: true})).toContain(
      '  N/A     k.a: not yet\n  N/A     k.b: not yet\n',
    )
  })

  it('colours only when asked', () => {
    expect(renderText(report, {color: false})).not.toContain('\u001B[')
    expect(renderText(report, {color: true})).toContain('\u001B[31mFAIL')
  })
})

describe('text report layout', () => {
  const long =
    'no CPU identification found (cpuctl-identify.txt: not in the dump; dmesg.boot: no CPU lines in it; proc-cpuinfo.txt: not in the dump)'
  const fix =
    'Run `cpuctl identify 0 > cpuctl-identify.txt` on the NetBSD host (or save /proc/cpuinfo as proc-cpuinfo.txt).'
  const report = buildReport({
    version: '9',
    source: 'dump',
    target: 'dom0',
    pluginErrors: [],
    findings: [
      f('cpu.i686', 'unknown', long, {remedy: fix}),
      f('cpu.hvm', 'unknown', long, {remedy: fix}),
      f('cpu.64bit', 'pass', '64-bit'),
      f('cpu.pae', 'unknown', long, {remedy: fix}),
      f('cpu.other', 'unknown', long, {remedy: 'something else'}),
      f('xen.running', 'fail', 'not running', {remedy: 'boot it', subject: 'entry 1'}),
      f('xen.running', 'pass', 'running', {subject: 'entry 2'}),
    ],
  })

  it('folds identical unknowns with the same fix into one line, at the place of the first', () => {
    const text = renderText(report, {color: false})
    expect(text).toContain(
      `  UNKNOWN cpu.i686, cpu.hvm, cpu.pae: ${long}\n            fix: ${fix}\n  PASS    cpu.64bit: 64-bit\n  UNKNOWN cpu.other: ${long}\n            fix: something else\n`,
    )
    expect(renderText(report, {color: false, verbose: true})).toContain(`  UNKNOWN cpu.i686: ${long}\n`)
  })

  it('stays one line per finding without a width, and wraps to it with the hanging indent kept', () => {
    expect(
      renderText(report, {color: false})
        .split('\n')
        .filter((l) => l.startsWith('  UNKNOWN')),
    ).toHaveLength(2)
    const wrapped = renderText(report, {color: true, width: 60}).split('\n')
    const plain = wrapped.map((l) => l.replace(/\u001B\[[0-9;]*m/g, ''))
    expect(plain.every((l) => l.length <= 60 || !l.trim().includes(' '))).toBe(true)
    const at = plain.findIndex((l) => l.startsWith('  UNKNOWN cpu.i686'))
    expect(plain[at + 1]).toMatch(/^ {10}\S/)
    const fixAt = plain.findIndex((l) => l.startsWith('            fix: Run'))
    expect(plain[fixAt + 1]).toMatch(/^ {17}\S/)
    // The words are all there, in order.
    expect(plain.join(' ').replace(/\s+/g, ' ')).toContain(long)
  })

  it('--compact: one aligned line per check (its worst finding) within 80 columns, then the verdict and next steps', () => {
    const lines = renderText(report, {color: false, compact: true}).split('\n')
    const checks = lines.filter((l) => / : [A-Z/]+$/.test(l))
    expect(checks).toEqual([
      `  cpu.i686 ${'.'.repeat(59)} : UNKNOWN`,
      `  cpu.hvm ${'.'.repeat(60)} : UNKNOWN`,
      `  cpu.64bit ${'.'.repeat(58)} : PASS`,
      `  cpu.pae ${'.'.repeat(60)} : UNKNOWN`,
      `  cpu.other ${'.'.repeat(58)} : UNKNOWN`,
      `  xen.running ${'.'.repeat(56)} : FAIL`,
    ])
    expect(checks.every((l) => l.length <= 80)).toBe(true)
    expect(lines).toContain('NOT READY: 2 pass, 0 warn, 1 fail, 4 unknown')
    expect(lines).toContain(`  1. ${fix} [cpu.i686, cpu.hvm, cpu.pae]`)
  })
})
