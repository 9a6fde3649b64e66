import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {applyPolicy, globToRegExp, hostNames} from '../../../src/policy/apply.js'
import {loadPolicy, localDate} from '../../../src/policy/load.js'
import {POLICY_SCHEMA} from '../../../src/policy/schema.js'
import type {Policy} from '../../../src/policy/types.js'
import {UsageError} from '../../../src/engine/registry.js'
import type {Finding} from '../../../src/engine/types.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {buildReport, exitCodeFor} from '../../../src/reports/report.js'
import {nextSteps} from '../../../src/reports/next-steps.js'
import {diffReports} from '../../../src/reports/diff.js'
import {ROOT} from '../../helpers.js'

const tmp = mkdtempSync(join(tmpdir(), 'xenready-policy-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const KNOWN = {checks: ['boot.console', 'boot.fallback', 'cpu.hvm', 'cpu.pae'], plugins: ['boot', 'cpu']}
const TODAY = '2026-12-01'

async function load(text: string, name = 'p.yaml', today = TODAY): Promise<Policy> {
  const file = join(tmp, name)
  writeFileSync(file, text)
  return loadPolicy(file, KNOWN, today)
}

async function refusal(text: string, name = 'p.yaml'): Promise<string> {
  try {
    await load(text, name)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    return message
  }

  throw new Error('the policy was accepted')
}

function finding(id: string, status: Finding['status'], subject?: string): Finding {
  return {
    id,
    plugin: id.split('.')[0]!,
    status,
    title: id,
    message: `${id} is ${status}`,
    evidence: [],
    remedy: `fix ${id}`,
    ...(subject ? {subject} : {}),
  }
}

describe('loading a policy', () => {
  it('docs/policy-schema.json is the schema the CLI validates with', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'docs/policy-schema.json'), 'utf8'))).toEqual(POLICY_SCHEMA)
  })

  it("reads the issue's example, in YAML and in JSON, and splits off expired waivers by the given day", async () => {
    const yaml = `waivers:
  - check: boot.console          # a check id, or a plugin name
    hosts: ["web*", "db-01"]
    reason: "serial console not wired on these racks"
    expires: 2027-06-30
  - check: cpu
    reason: old
    expires: 2026-11-30
require: [cpu.hvm]
severity: { boot.fallback: fail }
`
    const p = await load(yaml)
    expect(p.waivers).toEqual([
      {
        check: 'boot.console',
        hosts: ['web*', 'db-01'],
        reason: 'serial console not wired on these racks',
        expires: '2027-06-30',
        line: 2,
      },
    ])
    expect(p.expired).toEqual([{check: 'cpu', reason: 'old', expires: '2026-11-30', line: 6}])
    expect(p.require).toEqual(['cpu.hvm'])
    expect(p.severity).toEqual({'boot.fallback': 'fail'})
    // The last day still applies; the day after does not.
    expect((await load(yaml, 'p.yaml', '2026-11-30')).expired).toEqual([])
    const json = await load(
      JSON.stringify({waivers: [{check: 'boot', reason: 'r'}], require: ['cpu']}, null, '\t'),
      'p.json',
    )
    expect(json.waivers).toEqual([{check: 'boot', reason: 'r', line: 3}])
  })

  it('refuses every mistake with one line naming the file and line', async () => {
    expect(await refusal('waivers:\n  - check: boot.consol\n    reason: x\n')).toMatch(
      /p\.yaml:2: waivers\[0\]\.check: no check or plugin is named "boot.consol" \(did you mean boot.console\?\)/,
    )
    expect(await refusal('waivers:\n  - check: boot.console\n    reasn: x\n')).toMatch(
      /p\.yaml:3: waivers\[0\]: unknown key "reasn" \(expected check, hosts, reason, expires\)/,
    )
    expect(await refusal('waivers:\n  - check: boot.console\n    hosts: [web*]\n')).toMatch(
      /p\.yaml:2: waivers\[0\]: "reason" is missing/,
    )
    expect(await refusal('waivers:\n  - check: boot.console\n    reason: "  "\n')).toMatch(
      /p\.yaml:3: waivers\[0\]\.reason must say why/,
    )
    expect(await refusal('waivers:\n  - check: boot.console\n    reason: x\n    expires: 2027-02-30\n')).toMatch(
      /p\.yaml:4: .*2027-02-30 is not a date of the calendar/,
    )
    expect(await refusal('waivers:\n  - check: boot.console\n    reason: x\n    expires: 30/06/2027\n')).toMatch(
      /p\.yaml:4: waivers\[0\]\.expires must be a date, YYYY-MM-DD/,
    )
    expect(await refusal('waivers:\n  - check: boot.console\n    reason: x\n    hosts: []\n')).toMatch(
      /p\.yaml:4: waivers\[0\]\.hosts/,
    )
    expect(await refusal('severity:\n  boot.console: pass\n')).toMatch(
      /p\.yaml:2: severity\.boot\.console must be one of fail, warn \(got "pass"\)/,
    )
    expect(await refusal('severity:\n  Boot: fail\n')).toMatch(/p\.yaml:2: severity: "Boot" is not a check id/)
    expect(await refusal('severity:\n  boot.nothing: fail\n')).toMatch(
      /p\.yaml:2: severity\.boot\.nothing: no check or plugin/,
    )
    expect(await refusal('require: [cpu.hvm, cpu.nope]\n')).toMatch(
      /p\.yaml:1: require\[1\]: no check or plugin is named "cpu.nope"/,
    )
    expect(await refusal('require: [cpu.hvm\n')).toMatch(/p\.yaml:\d+: not valid YAML or JSON/)
    expect(await refusal('waiver:\n  - {check: boot, reason: x}\n')).toMatch(
      /p\.yaml:1: unknown key "waiver" \(expected waivers, require, severity\)/,
    )
    expect(await refusal('a: 1\na: 2\n')).toMatch(/p\.yaml:2: not valid YAML or JSON: Map keys must be unique/)
    expect(await refusal('')).toMatch(/p\.yaml:1: the policy is empty/)
    expect(await refusal('- boot.console\n')).toMatch(/p\.yaml:1: the policy must be object/)
    expect(
      await refusal('{"waivers": [{"check": "boot.console",\n "reason": "x", "hosts": "web*"}]}', 'p.json'),
    ).toMatch(/p\.json:2: waivers\[0\]\.hosts must be array \(got "web\*"\)/)
    await expect(loadPolicy(join(tmp, 'missing.yaml'), KNOWN, TODAY)).rejects.toThrow(
      /--policy .*missing\.yaml: cannot read it: no such file/,
    )
    await expect(loadPolicy(tmp, KNOWN, TODAY)).rejects.toThrow(/a directory, not a file/)
  })

  it('garbage never loads', async () => {
    for (const text of [
      '\u0000\u0001\u0002',
      ':::',
      '[1, 2',
      'waivers: [{check: boot, reason: x}]\n'.slice(0, 20),
      'true',
      '42',
    ]) {
      await expect(load(text)).rejects.toBeInstanceOf(UsageError)
    }
  })

  it('localDate is the local calendar day', () => {
    expect(localDate(new Date(2027, 5, 30, 23, 59))).toBe('2027-06-30')
    expect(localDate(new Date(2027, 0, 1, 0, 0))).toBe('2027-01-01')
  })
})

describe('host globs and names', () => {
  it('matches whole names, case ignored, with *, ? and classes', () => {
    expect(globToRegExp('web*').test('web-01')).toBe(true)
    expect(globToRegExp('web*').test('WEB-01')).toBe(true)
    expect(globToRegExp('web*').test('xweb-01')).toBe(false)
    expect(globToRegExp('db-0?').test('db-01')).toBe(true)
    expect(globToRegExp('db-0?').test('db-011')).toBe(false)
    expect(globToRegExp('app-0[1-3]').test('app-02')).toBe(true)
    expect(globToRegExp('app-0[!1-3]').test('app-02')).toBe(false)
    expect(globToRegExp('a.b+(c)').test('a.b+(c)')).toBe(true)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
    expect(globToRegExp('[').test('[')).toBe(true)
  })

  it("are the dump's directory or bundle name and its uname node name, in full and up to the first dot", () => {
    const uname = MemoryEvidenceSet.fromTexts({
      'uname.txt': 'NetBSD web-01.example.org 10.0 NetBSD 10.0 (XEN3_DOM0) amd64\n',
    })
    expect(hostNames('dumps/rack4/db-01/', uname)).toEqual(['db-01', 'web-01.example.org', 'web-01'])
    expect(hostNames('bundles/web-02.tar.gz', MemoryEvidenceSet.fromTexts({}))).toEqual(['web-02'])
    expect(hostNames('-', uname)).toEqual(['web-01.example.org', 'web-01'])
    expect(hostNames('x', MemoryEvidenceSet.fromTexts({'uname.txt': ''}))).toEqual(['x'])
  })
})

describe('applying a policy', () => {
  const policy: Policy = {
    file: 'site.yaml',
    waivers: [
      {check: 'boot.console', hosts: ['web*'], reason: 'serial console not wired', expires: '2027-06-30', line: 2},
      {check: 'cpu', reason: 'lab CPUs', line: 9},
    ],
    expired: [{check: 'boot.fallback', reason: 'was accepted', expires: '2026-01-31', line: 12}],
    require: ['cpu.hvm'],
    severity: {'boot.console': 'fail'},
  }
  const findings = [
    finding('boot.console', 'warn', 'entry 1'),
    finding('boot.fallback', 'fail'),
    finding('cpu.hvm', 'unknown'),
    finding('cpu.pae', 'pass'),
    finding('boot.xen', 'error'),
  ]

  it('waives on the host glob, keeps the real status, and leaves other hosts failing', () => {
    const web = applyPolicy(findings, policy, ['web-01'])
    expect(web.findings[0]).toMatchObject({
      status: 'fail',
      adjusted: {from: 'warn', by: 'severity'},
      waived: {reason: 'serial console not wired', expires: '2027-06-30'},
    })
    const db = applyPolicy(findings, policy, ['db-01'])
    expect(db.findings[0]).toMatchObject({status: 'fail', adjusted: {from: 'warn', by: 'severity'}})
    expect(db.findings[0]!.waived).toBeUndefined()
    // The input is not changed.
    expect(findings[0]!.status).toBe('warn')
  })

  it('require makes unknown a fail, which a plugin-wide waiver may still waive; pass and error are never waived', () => {
    const {findings: out} = applyPolicy(findings, policy, ['db-01'])
    expect(out[2]).toMatchObject({
      status: 'fail',
      adjusted: {from: 'unknown', by: 'require'},
      waived: {reason: 'lab CPUs'},
    })
    expect(out[3]).toEqual(findings[3])
    expect(out[4]).toEqual(findings[4])
    const strict = applyPolicy(findings, {...policy, waivers: []}, ['db-01']).findings
    expect(strict[2]).toMatchObject({status: 'fail'})
    expect(strict[2]!.waived).toBeUndefined()
  })

  it('an expired waiver does not apply; the finding and the policy section say so', () => {
    const {findings: out, section} = applyPolicy(findings, policy, ['db-01'])
    expect(out[1]).toMatchObject({status: 'fail', waiverExpired: {reason: 'was accepted', expires: '2026-01-31'}})
    expect(out[1]!.waived).toBeUndefined()
    expect(section).toEqual({
      file: 'site.yaml',
      hosts: ['db-01'],
      expired: [
        {check: 'boot.fallback', reason: 'was accepted', expires: '2026-01-31', line: 12, findings: ['boot.fallback']},
      ],
    })
  })

  it('a waived finding counts for neither the exit code, the verdict, the counts nor the next steps', () => {
    const only = [finding('boot.console', 'fail'), finding('cpu.pae', 'pass')]
    const plain = buildReport({version: 't', source: 'web-01', target: 'dom0', findings: only, pluginErrors: []})
    expect([plain.verdict, exitCodeFor(plain)]).toEqual(['not-ready', 1])
    const {findings: waived, section} = applyPolicy(only, {...policy, severity: {}}, ['web-01'])
    const report = buildReport({
      version: 't',
      source: 'web-01',
      target: 'dom0',
      findings: waived,
      pluginErrors: [],
      policy: section,
    })
    expect([report.verdict, exitCodeFor(report), exitCodeFor(report, 'warn')]).toEqual(['ready', 0, 0])
    expect(report.summary).toMatchObject({pass: 1, fail: 0, waived: 1})
    expect(report.scope.judged).toEqual(['boot', 'cpu'])
    expect(nextSteps(report)).toEqual([])
    expect(report.findings[0]!.status).toBe('fail')
  })

  it('diff: a newly waived failure is no regression; an expired waiver is one', () => {
    const mk = (fs: Finding[]) =>
      buildReport({version: 't', source: 'web-01', target: 'dom0', findings: fs, pluginErrors: []})
    const failing = mk([finding('boot.console', 'fail')])
    const waived = mk(applyPolicy([finding('boot.console', 'fail')], {...policy, severity: {}}, ['web-01']).findings)
    const expiredPolicy: Policy = {
      ...policy,
      severity: {},
      waivers: [],
      expired: [{...policy.waivers[0]!, expires: '2026-01-01'}],
    }
    const expired = mk(applyPolicy([finding('boot.console', 'fail')], expiredPolicy, ['web-01']).findings)
    const newly = diffReports(failing, waived)
    expect(newly.regression).toBe(false)
    expect(newly.newlyWaived.map((c) => c.id)).toEqual(['boot.console'])
    const fromPass = diffReports(mk([finding('boot.console', 'pass')]), waived)
    expect(fromPass.regression).toBe(false)
    const lapsed = diffReports(waived, expired)
    expect(lapsed.regression).toBe(true)
    expect(lapsed.newFailures[0]!.after!.waiverExpired).toEqual({
      reason: 'serial console not wired',
      expires: '2026-01-01',
    })
  })
})
