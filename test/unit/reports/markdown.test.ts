import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import {code, inline, literal, renderFleetMarkdown, renderMarkdown} from '../../../src/reports/markdown.js'
import {buildFleet} from '../../../src/reports/fleet.js'
import {nextSteps} from '../../../src/reports/next-steps.js'
import {NASTY, nastyReport, reportOfDump} from './schemas.js'

/** A real CommonMark renderer with GFM tables, HTML allowed as GitHub allows `<br>` and `<details>`. */
const md = new MarkdownIt({html: true})

/** The text a reader sees in an inline token, and its code spans: `<br>` as a line break, entities decoded. */
function seen(token: Token): {text: string; code: string[]} {
  let text = ''
  const spans: string[] = []
  for (const c of token.children ?? []) {
    if (c.type === 'code_inline') {
      text += c.content
      spans.push(c.content)
    } else if (c.type === 'html_inline') {
      text += c.content === '<br>' ? '\n' : c.content
    } else if (c.type === 'softbreak' || c.type === 'hardbreak') {
      text += '\n'
    } else {
      text += c.content
    }
  }

  return {text, code: spans}
}

/** The rendered table rows of a Markdown document: each cell as seen. */
function tableRows(markdown: string): Array<Array<{text: string; code: string[]}>> {
  const tokens = md.parse(markdown, {})
  const rows: Array<Array<{text: string; code: string[]}>> = []
  let row: Array<{text: string; code: string[]}> | undefined
  for (const t of tokens) {
    if (t.type === 'tr_open') row = []
    else if (t.type === 'tr_close' && row) {
      rows.push(row)
      row = undefined
    } else if (t.type === 'inline' && row) row.push(seen(t))
  }

  return rows
}

/** What a plain string renders to when placed in a table cell. */
function inCell(markdown: string): {text: string; code: string[]} {
  return tableRows(`| h |\n| --- |\n| ${markdown} |\n`)[1]![0]!
}

/** What a string renders to in a paragraph (a list item, a verdict line). */
function inParagraph(markdown: string): {text: string; code: string[]} {
  return seen(md.parse(markdown, {}).find((t) => t.type === 'inline')!)
}

/** The intended reading of a message with code spans: the text without its backtick fences. */
const unfenced = (s: string) => s.replace(/`([^`]+)`/g, '$1')

describe('Markdown output, rendered by a CommonMark renderer (markdown-it)', () => {
  const nasty = nastyReport()

  it('shows every finding exactly as its text says, problems first, with status words and no HTML entities in code spans', () => {
    const text = renderMarkdown(nasty)
    const rows = tableRows(text).filter((r) => r[0]!.text !== 'Status')
    expect(rows.map((r) => r[0]!.text)).toEqual(['ERROR', 'FAIL', 'WARN', 'UNKNOWN', 'PASS', 'N/A'])
    for (const row of rows) expect(row).toHaveLength(5)
    const fail = rows.find((r) => r[0]!.text === 'FAIL')!
    expect(fail[1]).toEqual({text: 'synthetic.fail dom<U>|1', code: ['synthetic.fail']})
    expect(fail[2]!.text).toBe(unfenced(`fail: ${NASTY}`))
    expect(fail[3]!.code).toEqual(['odd file.txt:3', NASTY, 'files/etc/xen/x.cfg'])
    expect(fail[4]).toEqual({text: 'Run echo "a|b" > /dev/null', code: ['echo "a|b" > /dev/null']})
    for (const row of rows) for (const c of row) for (const span of c.code) expect(span).not.toMatch(/&(gt|lt|amp);/)
    expect(text).not.toMatch(/`[^`]*&(gt|lt|amp);[^`]*`/)
    expect(text).not.toMatch(/[\u{1F300}-\u{1FAFF}\u2705\u274C\u26A0]/u)
    expect(text).toContain('<details><summary>2 passed or not applicable</summary>')
  })

  it('starts with the verdict and lists the next steps, rendered as written', () => {
    const report = reportOfDump('synthetic-netbsd10-generic-preinstall')
    const text = renderMarkdown(report)
    const tokens = md.parse(text, {})
    const paragraphs = tokens.filter((t) => t.type === 'inline').map((t) => seen(t).text)
    expect(paragraphs[0]).toBe('xenready: test/fixtures/dumps/synthetic-netbsd10-generic-preinstall, target dom0')
    expect(paragraphs[1]).toBe('NOT READY: 6 pass, 0 warn, 1 fail, 14 unknown, 23 n/a')
    const items: string[] = []
    let inList = false
    for (const t of tokens) {
      if (t.type === 'ordered_list_open') inList = true
      else if (t.type === 'ordered_list_close') inList = false
      else if (inList && t.type === 'inline') items.push(seen(t).text)
    }

    expect(items).toEqual(
      nextSteps(report).map((s) => `${unfenced(s.text)}${s.ids.length > 0 ? ` [${s.ids.join(', ')}]` : ''}`),
    )
    expect(items[0]).toContain('Run cpuctl identify 0 > cpuctl-identify.txt on the NetBSD host')
  })

  it('keeps any text exactly, in a cell and in a paragraph: plain, as code, or with its own code spans', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom(...'ab <>&|`*_[]\\!#~\n'.split(''))}), (s) => {
        const flat = s.replace(/\n/g, ' ')
        if (s.trim() === '') return true
        if (inCell(literal(s)).text !== s.trim()) return false
        if (inParagraph(literal(s, false)).text !== s.replace(/\s*\n\s*/g, ' ').trim()) return false
        if (flat.trim() !== '' && inCell(code(s)).code.join('') !== flat) return false
        if (flat.trim() !== '' && inParagraph(code(s, false)).code.join('') !== flat) return false
        return true
      }),
      {numRuns: 300},
    )
    // Text with its own spans: the spans stay code, everything else stays text.
    expect(inCell(inline('copy `a|b > c` & <then> *x*')).text).toBe('copy a|b > c & <then> *x*')
    expect(inCell(inline('copy `a|b > c` & <then> *x*')).code).toEqual(['a|b > c'])
    expect(inParagraph(inline('run `` echo `x` `` now, ` alone', false))).toEqual({
      text: 'run echo `x` now, ` alone',
      code: ['echo `x`'],
    })
  })

  it('summarises a fleet: hosts per verdict, one row per dump, unreadable ones say why, failing ones detailed', () => {
    const real = reportOfDump('linux-epyc-vm-nosvm')
    const fleet = buildFleet({
      version: 't',
      target: 'dom0',
      failOn: 'fail',
      outcomes: [
        {source: real.source, report: real},
        {source: nasty.source, report: nasty},
        {source: 'gone|dir', error: 'cannot read dump gone|dir'},
      ],
    })
    const text = renderFleetMarkdown(fleet)
    const rows = tableRows(text).slice(1, 4)
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row).toHaveLength(8)
    expect(rows.map((r) => r[2]!.text)).toEqual(['CANNOT TELL YET', 'NOT READY', '-'])
    expect(rows[2]![7]!.text).toBe('UNREADABLE: cannot read dump gone|dir')
    expect(rows[1]![7]!.code).toContain('synthetic.fail [dom<U>|1]')
    expect(text).toContain('**0 ready, 1 not ready, 1 cannot tell yet, 1 unreadable**')
    expect(text).toContain('<details><summary>test/fixtures/dumps/synthetic &lt;dump&gt;: ')
  })
})
