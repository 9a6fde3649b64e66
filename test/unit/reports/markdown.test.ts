import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {cell, renderFleetMarkdown, renderMarkdown} from '../../../src/reports/markdown.js'
import {buildFleet} from '../../../src/reports/fleet.js'
import {nastyReport, reportOfDump} from './schemas.js'

/** Splits a GFM table row into cells the way GitHub does: on pipes not escaped by a backslash. */
function cells(row: string): string[] {
  return row.replace(/^\| /, '').replace(/ \|$/, '').split(/(?<!\\) \| /)
}

describe('Markdown output', () => {
  const nasty = nastyReport()

  it('is a table with status words, problems first, passes folded away', () => {
    const md = renderMarkdown(nasty)
    expect(md).toMatch(/^### xenready: test\/fixtures\/dumps\/synthetic &lt;dump&gt;, target dom0\n/)
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Status') && !l.startsWith('| ---'))
    expect(rows.map((r) => cells(r)[0])).toEqual(['ERROR', 'FAIL', 'WARN', 'UNKNOWN', 'PASS', 'N/A'])
    expect(md).toContain('<details><summary>2 passed or not applicable</summary>')
    expect(md).not.toMatch(/[\u{1F300}-\u{1FAFF}\u2705\u274C\u26A0]/u)
  })

  it('keeps every row at five cells whatever the evidence holds (escaped pipes, no raw HTML, no line breaks)', () => {
    const md = renderMarkdown(nasty)
    for (const row of md.split('\n').filter((l) => l.startsWith('| '))) expect(cells(row)).toHaveLength(5)
    expect(md).toContain('a &lt;b&gt; &amp; "c" \'d\' \\| e \\\\')
    expect(md).toContain("`odd file.txt:3`")
    expect(md).toContain('Run `echo "a\\|b" &gt; /dev/null`')
  })

  it('escapes any text into one cell', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const c = cell(s)
        return !/(?<!\\)\|/.test(c.replace(/\\\\/g, '')) && !c.includes('\n') && !/[<>]/.test(c.replace(/<br>/g, ''))
      }),
    )
  })

  it('summarises a fleet: one row per dump, unreadable ones say why, failing ones detailed', () => {
    const real = reportOfDump('linux-epyc-vm-nosvm')
    const fleet = buildFleet({version: 't', target: 'dom0', failOn: 'fail', outcomes: [{source: real.source, report: real}, {source: nasty.source, report: nasty}, {source: 'gone|dir', error: 'cannot read dump gone|dir'}]})
    const md = renderFleetMarkdown(fleet)
    const rows = md.split('\n').filter((l) => l.startsWith('| `'))
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(cells(row)).toHaveLength(7)
    expect(rows[2]).toContain('UNREADABLE: cannot read dump gone\\|dir')
    expect(cells(rows[1]!)[6]).toContain('`synthetic.fail [dom&lt;U&gt;\\|1]`')
    expect(md).toContain('<details><summary>test/fixtures/dumps/synthetic &lt;dump&gt;: ')
  })
})
