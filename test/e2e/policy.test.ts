// End-to-end: `check --policy` with the issue's bar. Two dumps built from the example dump
// (test/fixtures/dumps/synthetic-policy-web-01 and -db-01: uname node names web-01 and db-01, and a
// boot.cfg whose dom0 console is serial while Xen keeps VGA, which boot.console warns about).
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {hasXmllint, junitSchemaErrors, reportSchemaErrors, sarifSchemaErrors} from '../unit/reports/schemas.js'
import {xenready} from './run.js'

const tmp = mkdtempSync(join(tmpdir(), 'xenready-e2e-policy-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const WEB = 'test/fixtures/dumps/synthetic-policy-web-01'
const DB = 'test/fixtures/dumps/synthetic-policy-db-01'

function policy(name: string, text: string): string {
  const file = join(tmp, name)
  writeFileSync(file, text)
  return file
}

const waiveConsole = policy(
  'waive.yaml',
  'waivers:\n  - check: boot.console\n    hosts: ["web*"]\n    reason: "serial console not wired on these racks"\n    expires: 2999-06-30\n',
)
// The same, with boot.console's warning made a failure at this site, so the default --fail-on fail sees it.
const strictConsole = policy(
  'strict.yaml',
  'severity: {boot.console: fail}\nwaivers:\n  - check: boot.console\n    hosts: ["web*"]\n    reason: "serial console not wired on these racks"\n',
)
const expired = policy(
  'expired.yaml',
  'severity: {boot.console: fail}\nwaivers:\n  - check: boot.console\n    hosts: ["web*"]\n    reason: "serial console not wired on these racks"\n    expires: 2020-01-31\n',
)

function json(text: string): any {
  const data = JSON.parse(text)
  expect(reportSchemaErrors(data)).toBeUndefined()
  return data
}

// Each test runs the CLI several times: on a loaded CI machine that takes longer than the default 30 s.
describe('check --policy', {timeout: 180_000}, () => {
  it('the bar: waiving boot.console for web* turns web-01 from exit 1 to 0 and leaves db-01 failing', () => {
    for (const [args, file] of [
      [['--fail-on', 'warn'], waiveConsole],
      [[], strictConsole],
    ] as const) {
      const withoutPolicy = xenready([
        'check',
        WEB,
        ...args,
        ...(file === strictConsole
          ? ['--policy', policy('only-severity.yaml', 'severity: {boot.console: fail}\n')]
          : []),
      ])
      expect(withoutPolicy.status).toBe(1)
      const web = xenready(['check', WEB, ...args, '--policy', file])
      expect(web.stderr).toBe('')
      expect(web.status).toBe(0)
      expect(web.stdout).toMatch(/ {2}WAIVED {2}boot\.console \[boot\.cfg entry "Xen 4\.20 dom0"\]: dom0 console=com0/)
      expect(web.stdout).toMatch(/waived \((warn|fail)\): serial console not wired on these racks/)
      expect(web.stdout).toMatch(/\nREADY: \d+ pass, 0 warn, 0 fail, 0 unknown, \d+ n\/a, 1 waived\n/)
      expect(web.stdout).not.toContain('Next steps')
      const db = xenready(['check', DB, ...args, '--policy', file])
      expect(db.status).toBe(1)
      expect(db.stdout).toMatch(/ {2}(WARN|FAIL) {4}boot\.console/)
      expect(db.stdout).not.toContain('WAIVED')
    }
  })

  it('matches the glob on the dump directory name as well as the uname node name', () => {
    const dir = join(tmp, 'web-07')
    cpSync(DB, dir, {recursive: true})
    // uname says db-01, the directory says web-07: the waiver applies.
    expect(xenready(['check', dir, '--policy', strictConsole]).status).toBe(0)
  })

  it('JSON: the finding keeps its status and carries waived; the summary counts it apart; the schema holds', () => {
    const web = json(xenready(['check', WEB, '--policy', strictConsole, '--json']).stdout)
    const f = web.findings.find((x: any) => x.id === 'boot.console')
    expect(f).toMatchObject({
      status: 'fail',
      waived: {reason: 'serial console not wired on these racks'},
      adjusted: {from: 'warn', by: 'severity'},
    })
    expect(web.summary).toMatchObject({fail: 0, warn: 0, waived: 1})
    expect(web.verdict).toBe('ready')
    expect(web.policy).toEqual({
      file: strictConsole,
      hosts: ['synthetic-policy-web-01', 'web-01.example.org', 'web-01'],
      expired: [],
    })
    const db = json(xenready(['check', DB, '--policy', strictConsole, '--json']).stdout)
    expect(db.verdict).toBe('not-ready')
    expect(db.summary.waived).toBeUndefined()
  })

  it('JUnit: a waived finding is skipped with the reason; SARIF: an external suppression, valid SARIF 2.1.0; Markdown: a Waived column', () => {
    const junit = join(tmp, 'r.xml')
    const sarif = join(tmp, 'r.sarif')
    const md = join(tmp, 'r.md')
    const r = xenready(['check', WEB, '--policy', strictConsole, '--junit', junit, '--sarif', sarif, '--markdown', md])
    expect(r.status).toBe(0)
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toMatch(
      /<testcase name="boot\.console \[boot\.cfg entry &quot;Xen 4\.20 dom0&quot;\]" classname="boot" time="0">\n {6}<skipped message="waived \(fail\): serial console not wired on these racks; dom0 console=com0/,
    )
    expect(xml).not.toContain('<failure')
    if (hasXmllint) expect(junitSchemaErrors(xml)).toBeUndefined()
    const log = JSON.parse(readFileSync(sarif, 'utf8'))
    expect(sarifSchemaErrors(log)).toBeUndefined()
    const result = log.runs[0].results.find((x: any) => x.ruleId === 'boot.console')
    expect(result.suppressions).toEqual([
      {kind: 'external', status: 'accepted', justification: 'serial console not wired on these racks'},
    ])
    expect(result.level).toBe('error')
    const markdown = readFileSync(md, 'utf8')
    expect(markdown).toContain('| Status | Check | Finding | Evidence | Fix | Waived |')
    expect(markdown).toMatch(/\| FAIL \| `boot\.console` .*\| waived: serial console not wired on these racks \|/)
    expect(markdown).toMatch(/\*\*READY\*\*: \d+ pass, 0 warn, 0 fail, 0 unknown, \d+ n\/a, 1 waived/)
  })

  it('an expired waiver does not apply: exit 1, named on stderr, in the policy section and beside the finding', () => {
    const r = xenready(['check', WEB, '--policy', expired, '--json'])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      `xenready: warning: ${expired}:3: the waiver of boot.console for web* expired on 2020-01-31 ("serial console not wired on these racks"); it no longer applies\n`,
    )
    const report = json(r.stdout)
    expect(report.verdict).toBe('not-ready')
    expect(report.policy.expired).toEqual([
      {
        check: 'boot.console',
        hosts: ['web*'],
        reason: 'serial console not wired on these racks',
        expires: '2020-01-31',
        line: 3,
        findings: ['boot.console [boot.cfg entry "Xen 4.20 dom0"]'],
      },
    ])
    expect(report.findings.find((x: any) => x.id === 'boot.console').waiverExpired).toEqual({
      reason: 'serial console not wired on these racks',
      expires: '2020-01-31',
    })
    const text = xenready(['check', WEB, '--policy', expired]).stdout
    expect(text).toMatch(
      /EXPIRED .*expired\.yaml:3: the waiver of boot\.console for web\* expired on 2020-01-31, it no longer applies/,
    )
    expect(text).toMatch(/waiver expired on 2020-01-31, it no longer applies/)
  })

  it('diff: a newly waived failure is not a regression; an expired waiver is', () => {
    const before = join(tmp, 'before.json')
    const waived = join(tmp, 'waived.json')
    const lapsed = join(tmp, 'lapsed.json')
    xenready(['check', WEB, '--policy', policy('sev.yaml', 'severity: {boot.console: fail}\n'), '--json-file', before])
    xenready(['check', WEB, '--policy', strictConsole, '--json-file', waived])
    xenready(['check', WEB, '--policy', expired, '--json-file', lapsed])
    const newly = xenready(['diff', before, waived])
    expect(newly.status).toBe(0)
    expect(newly.stdout).toContain('Newly waived (1):')
    const regression = xenready(['diff', waived, lapsed])
    expect(regression.status).toBe(1)
    expect(regression.stdout).toMatch(
      /New failures \(1\):\n {2}boot\.console \[.*\]: fail -> fail\n.*\n {4}its waiver expired on 2020-01-31: serial console not wired on these racks/,
    )
  })

  it('refuses a bad policy with one line and exit 2, before reading any dump; never as a report file', () => {
    const bad = policy('bad.yaml', 'waivers:\n  - check: boot.consol\n    reason: x\n')
    const r = xenready(['check', WEB, '--policy', bad])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      `xenready: ${bad}:2: waivers[0].check: no check or plugin is named "boot.consol" (did you mean boot.console?); see \`xenready checks\`\n`,
    )
    const clobber = xenready(['check', WEB, '--policy', strictConsole, '--json-file', strictConsole])
    expect(clobber.status).toBe(2)
    expect(readFileSync(strictConsole, 'utf8')).toContain('severity')
  })

  it('a fleet applies the policy in every dump, in worker threads too, with the same rows', () => {
    const fleet = join(tmp, 'fleet')
    for (let i = 1; i <= 6; i++) {
      cpSync(WEB, join(fleet, `web-${i}`), {recursive: true})
      cpSync(DB, join(fleet, `db-${i}`), {recursive: true})
    }

    mkdirSync(fleet, {recursive: true})
    const run = (workers: string) =>
      xenready(['check', fleet, '--recursive', '--policy', strictConsole, '--json', '--workers', workers], {
        env: {DEBUG: 'xenready:fleet'},
      })
    const threaded = run('2')
    expect(threaded.stderr).toMatch(/xenready:fleet 12 dumps, 2 worker thread\(s\)/)
    const data = json(threaded.stdout)
    expect(threaded.status).toBe(1)
    const verdicts = Object.fromEntries(
      data.dumps.map((d: any) => [d.source.split('/').pop(), [d.verdict, d.exitCode, d.summary.waived ?? 0]]),
    )
    for (let i = 1; i <= 6; i++) {
      expect(verdicts[`web-${i}`]).toEqual(['ready', 0, 1])
      expect(verdicts[`db-${i}`]).toEqual(['not-ready', 1, 0])
    }

    expect(data.summary.waived).toBe(6)
    const single = json(run('0').stdout)
    expect(single.dumps).toEqual(data.dumps)
  })
})
