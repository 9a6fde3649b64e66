import {describe, expect, it} from 'vitest'
import {renderSarif} from '../../../src/reports/sarif.js'
import {checkInfos} from '../../../src/reports/rules.js'
import {builtinRegistry, ROOT} from '../../helpers.js'
import {crashingPlugin, nastyPlugin, nastyReport, reportOfDump, sarifSchemaErrors} from './schemas.js'

const checks = checkInfos(builtinRegistry([nastyPlugin, crashingPlugin]))

describe('SARIF output', () => {
  const real = reportOfDump('linux-epyc-vm-nosvm')
  const nasty = nastyReport()

  it('validates against the official SARIF 2.1.0 schema, single and fleet', () => {
    for (const reports of [[real], [nasty], [real, nasty, reportOfDump('howto-core2-vmx')], []]) {
      const log = JSON.parse(renderSarif(reports, checks, {cwd: ROOT}))
      expect(sarifSchemaErrors(log)).toBeUndefined()
    }
  })

  it('has one rule per registered check, with the explain text as help', () => {
    const log = JSON.parse(renderSarif([real], checks, {cwd: ROOT}))
    const rules = log.runs[0].tool.driver.rules as Array<{id: string; help: {text: string}}>
    expect(rules.map((r) => r.id)).toEqual(checks.map((c) => c.id))
    const hvm = rules.find((r) => r.id === 'cpu.hvm')!
    const info = checks.find((c) => c.id === 'cpu.hvm')!
    expect(hvm.help.text).toContain(info.description)
    expect(hvm.help.text).toContain(`Why it matters: ${info.why}`)
    expect(hvm.help.text).toContain(`How to fix a failure: ${info.remedy}`)
  })

  it('reports every warn, fail, unknown and error finding (not pass or n/a), located at the evidence file and line in the dump', () => {
    const log = JSON.parse(renderSarif([nasty], checks, {cwd: ROOT}))
    const run = log.runs[0]
    const results = run.results as Array<Record<string, any>>
    expect(results.map((r) => r.ruleId).sort()).toEqual([
      'crashing.throws',
      'synthetic.fail',
      'synthetic.unknown',
      'synthetic.warn',
    ])
    const fail = results.find((r) => r.ruleId === 'synthetic.fail')!
    expect(fail.level).toBe('error')
    expect(fail.kind).toBe('fail')
    expect(run.tool.driver.rules[fail.ruleIndex].id).toBe('synthetic.fail')
    expect(fail.locations[0].physicalLocation).toEqual({
      artifactLocation: {uri: 'odd%20file.txt', uriBaseId: 'DUMP'},
      region: {startLine: 3, snippet: {text: expect.stringContaining('a <b>')}},
    })
    expect(fail.locations[1].physicalLocation).toEqual({
      artifactLocation: {uri: 'files/etc/xen/x.cfg', uriBaseId: 'DUMP'},
    })
    expect(run.originalUriBaseIds.DUMP).toEqual({
      uri: 'test/fixtures/dumps/synthetic%20%3Cdump%3E/',
      uriBaseId: '%SRCROOT%',
    })
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/)
    const unknown = results.find((r) => r.ruleId === 'synthetic.unknown')!
    expect([unknown.kind, unknown.level]).toEqual(['open', 'none'])
    expect(results.find((r) => r.ruleId === 'synthetic.warn')!.level).toBe('warning')
    expect(run.invocations[0].executionSuccessful).toBe(false)
  })

  it('gives each dump of a fleet its own base, and live evidence no location', () => {
    const live = {...real, source: 'live'}
    const log = JSON.parse(renderSarif([real, nasty, live], checks, {cwd: ROOT}))
    const run = log.runs[0]
    expect(Object.keys(run.originalUriBaseIds).sort()).toEqual(['%SRCROOT%', 'DUMP1', 'DUMP2'])
    const fromLive = (run.results as Array<Record<string, any>>).filter((r) => r.properties.source === 'live')
    expect(fromLive.length).toBeGreaterThan(0)
    expect(fromLive.every((r) => r.locations === undefined)).toBe(true)
    const outside = JSON.parse(renderSarif([{...real, source: '/elsewhere/dump'}], checks, {cwd: ROOT}))
    expect(outside.runs[0].originalUriBaseIds.DUMP).toEqual({uri: 'file:///elsewhere/dump/'})
  })
})
