import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {renderJunit} from '../../../src/reports/junit.js'
import {escapeAttr, escapeText} from '../../../src/reports/xml.js'
import {hasXmllint, junitSchemaErrors, nastyReport, reportOfDump} from './schemas.js'

describe('JUnit output', () => {
  const real = reportOfDump('linux-epyc-vm-nosvm')
  const nasty = nastyReport()

  it.skipIf(!hasXmllint)('validates against the Ant/Jenkins XSD, single and fleet, strict or not', () => {
    for (const [reports, options] of [
      [[real], {}],
      [[nasty], {}],
      [[nasty], {strict: true}],
      [[real, nasty, reportOfDump('howto-core2-vmx')], {fleet: true, failOn: 'warn' as const}],
      [[], {}],
    ] as const) {
      expect(junitSchemaErrors(renderJunit(reports, options))).toBeUndefined()
    }
  })

  it('has one testsuite per plugin and one testcase per finding, classname = plugin, name = id [subject]', () => {
    const xml = renderJunit([nasty])
    expect(xml.match(/<testsuite /g)).toHaveLength(3) // synthetic, crashing, and the plugin error
    expect(xml).toContain('<testcase name="synthetic.fail [dom&lt;U&gt;|1]" classname="synthetic" time="0">')
    expect(xml.match(/<testcase /g)).toHaveLength(nasty.findings.length + 1)
  })

  it('maps statuses: fail → failure, unknown → skipped (error with --strict), n/a → skipped, crash → error, warn passes below --fail-on warn', () => {
    const xml = renderJunit([nasty])
    const caseOf = (x: string, id: string) => x.split('<testcase ').find((c) => c.startsWith(`name="${id}`))!
    expect(caseOf(xml, 'synthetic.fail')).toMatch(/<failure message="fail: [^"]*" type="fail">FAIL: fail: /)
    expect(caseOf(xml, 'synthetic.fail')).toContain('evidence odd file.txt:3: a &lt;b&gt; &amp; "c"')
    expect(caseOf(xml, 'synthetic.fail')).toContain('fix: Run `echo "a|b" &gt; /dev/null`')
    expect(caseOf(xml, 'synthetic.unknown')).toMatch(/<skipped message="unknown: unknown: /)
    expect(caseOf(xml, 'synthetic.na')).toMatch(/<skipped message="n\/a: /)
    expect(caseOf(xml, 'synthetic.warn')).toMatch(/^name="synthetic.warn \[[^"]*\]" classname="synthetic" time="0"\/>/)
    expect(caseOf(xml, 'crashing.throws')).toMatch(
      /<error message="the check crashed: boom &lt;&amp;&gt;" type="error">/,
    )
    expect(xml).toContain('<system-out>WARN: warn: ')
    const strict = renderJunit([nasty], {strict: true})
    expect(caseOf(strict, 'synthetic.unknown')).toMatch(/<error message="unknown: [^"]*" type="unknown">/)
    const warn = renderJunit([nasty], {failOn: 'warn'})
    expect(caseOf(warn, 'synthetic.warn')).toMatch(/<failure message="warn: [^"]*" type="warn">/)
    expect(renderJunit([nasty], {failOn: 'unknown'})).toMatch(/<failure message="unknown: [^"]*" type="unknown">/)
  })

  it('escapes XML special characters and characters XML cannot carry', () => {
    const xml = renderJunit([nasty])
    expect(xml).toContain(
      'a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; | e \\ `f` \\u0001\\u001b[31m ]]&gt; \\ud800 end',
    )

    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/)
    expect(escapeAttr('a\nb\tc')).toBe('a&#10;b&#9;c')
  })

  it('never produces text with a raw markup character, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), (s) => {
        const t = escapeText(s)
        const a = escapeAttr(s)
        return !/[<>]/.test(t) && !/&(?!(amp|lt|gt|quot|apos|#10|#13|#9);)/.test(a) && !/["<>\n]/.test(a)
      }),
    )
  })

  it('names the dump in each suite of a fleet and uses the dump as hostname', () => {
    const xml = renderJunit([real, nasty], {fleet: true})
    expect(xml).toContain('name="test/fixtures/dumps/linux-epyc-vm-nosvm: cpu"')
    expect(xml).toContain('hostname="test/fixtures/dumps/linux-epyc-vm-nosvm"')
    expect(xml).toContain('timestamp="2026-01-02T03:04:05"')
  })
})

describe('JUnit and SARIF carry the verdict', () => {
  it('as a suite property and a run property', async () => {
    const {renderSarif} = await import('../../../src/reports/sarif.js')
    const report = nastyReport()
    expect(renderJunit([report])).toContain('<property name="verdict" value="not-ready"/>')
    const log = JSON.parse(renderSarif([report], []))
    expect(log.runs[0].properties).toEqual({
      verdict: 'not-ready',
      verdicts: [{source: report.source, verdict: 'not-ready'}],
    })
  })
})
