// End-to-end: the built CLI (bin/run.js runs dist/; `npm test` builds first) with every output format,
// report files, thresholds, fleets and diff. Every JSON report produced here is validated against
// docs/report-schema.json.
import {spawnSync} from 'node:child_process'
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {FIXTURES, ROOT} from '../helpers.js'
import {hasXmllint, junitSchemaErrors, reportSchemaErrors, sarifSchemaErrors} from '../unit/reports/schemas.js'

const tmp = mkdtempSync(join(tmpdir(), 'xenready-e2e-check-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const env = {...process.env, NO_COLOR: '1', XDG_DATA_HOME: join(tmp, 'data')}
delete env.FORCE_COLOR

function xenready(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), ...args], {
    cwd: ROOT,
    env: {...env, ...extraEnv},
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  })
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

function json(text: string): any {
  const data = JSON.parse(text)
  expect(reportSchemaErrors(data)).toBeUndefined()
  return data
}

const DUMPS = join(FIXTURES, 'dumps')
const dumpNames = readdirSync(DUMPS).sort()
const one = 'test/fixtures/dumps/linux-epyc-vm-nosvm'

// Fleet runs check every fixture dump (over a hundred since issue 15's): on a loaded CI machine one run takes longer
// than the default 30 s.
describe('check outputs', {timeout: 180_000}, () => {
  it('writes text on stdout and JUnit, SARIF, JSON (--json-file FILE) and Markdown files in one run, atomically', () => {
    const dir = join(tmp, 'multi')
    spawnSync('mkdir', ['-p', dir])
    const r = xenready([
      'check',
      '--from',
      one,
      '--format',
      'text',
      '--junit',
      join(dir, 'r.xml'),
      '--sarif',
      join(dir, 'r.sarif'),
      '--json-file',
      join(dir, 'r.json'),
      '--markdown',
      join(dir, 'r.md'),
    ])
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^xenready .*: test\/fixtures\/dumps\/linux-epyc-vm-nosvm, target dom0/)
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'r.md', 'r.sarif', 'r.xml'])
    const report = json(readFileSync(join(dir, 'r.json'), 'utf8'))
    expect(report.source).toBe(one)
    expect(sarifSchemaErrors(JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')))).toBeUndefined()
    if (hasXmllint) expect(junitSchemaErrors(readFileSync(join(dir, 'r.xml'), 'utf8'))).toBeUndefined()
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('| Status | Check | Finding | Evidence | Fix |')
    expect(r.code).toBe(report.summary.fail + report.summary.error > 0 ? 1 : 0)
  })

  it('keeps --json alone: the JSON report on stdout and nothing else', () => {
    const r = xenready(['check', '--from', one, '--json'])
    const report = json(r.stdout)
    expect(report.findings.length).toBeGreaterThan(0)
    const viaFormat = json(xenready(['check', '--from', one, '--format', 'json']).stdout)
    expect({...viaFormat, generated: ''}).toEqual({...report, generated: ''})
  })

  it('writes --format FILE output with --output and prints nothing', () => {
    const file = join(tmp, 'out.sarif')
    const r = xenready(['check', '--from', one, '--format', 'sarif', '--output', file])
    expect(r.stdout).toBe('')
    expect(sarifSchemaErrors(JSON.parse(readFileSync(file, 'utf8')))).toBeUndefined()
    const bad = xenready(['check', '--from', one, '--format', 'json', '--output', join(tmp, 'no/such/dir/r.json')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(
      /^xenready: --output .*no\/such\/dir\/r\.json: cannot write there: directory .*no\/such\/dir does not exist\n$/,
    )
  })

  it.skipIf(!hasXmllint)(
    'produces schema-valid JUnit for all fixture dumps, with --strict turning unknown into errors',
    () => {
      const plain = xenready(['check', '--from', 'test/fixtures/dumps', '-r', '--format', 'junit']).stdout
      expect(junitSchemaErrors(plain)).toBeUndefined()
      const strict = xenready(['check', '--from', 'test/fixtures/dumps', '-r', '--format', 'junit', '--strict']).stdout
      expect(junitSchemaErrors(strict)).toBeUndefined()
      const unknowns = (plain.match(/<skipped message="unknown: /g) ?? []).length
      expect(unknowns).toBeGreaterThan(0)
      expect((strict.match(/<error message="[^"]*" type="unknown">/g) ?? []).length).toBe(unknowns)
      expect(plain.match(/<testsuite /g)!.length).toBeGreaterThanOrEqual(dumpNames.length)
    },
  )

  it('sets the exit code by --fail-on, per dump and for the fleet', () => {
    const byLevel = Object.fromEntries(
      (['fail', 'warn', 'unknown'] as const).map((level) => {
        const r = xenready(['check', '--from', 'test/fixtures/dumps', '-r', '--fail-on', level, '--json'])
        const fleet = json(r.stdout)
        expect(r.code, level).toBe(fleet.exitCode)
        for (const [i, d] of fleet.dumps.entries()) {
          const s = fleet.reports[i].summary
          const counted = {
            fail: s.fail + s.error,
            warn: s.fail + s.error + s.warn,
            unknown: s.fail + s.error + s.warn + s.unknown,
          }[level]
          expect(d.exitCode, `${d.source} --fail-on ${level}`).toBe(
            counted > 0 || fleet.reports[i].pluginErrors.length > 0 ? 1 : 0,
          )
        }

        return [level, fleet.dumps.map((d: {exitCode: number}) => d.exitCode)]
      }),
    )
    // The fixtures must tell the thresholds apart, or this test proves nothing.
    expect(byLevel.unknown).not.toEqual(byLevel.fail)
    // A single dump: the same rule through the single-report path.
    const report = json(xenready(['check', '--from', one, '--json']).stdout)
    const s = report.summary
    expect(xenready(['check', '--from', one, '--fail-on', 'unknown', '--format', 'markdown']).code).toBe(
      s.fail + s.error + s.warn + s.unknown > 0 ? 1 : 0,
    )
    expect(xenready(['check', '--from', one, '--fail-on', 'warn', '--format', 'markdown']).code).toBe(
      s.fail + s.error + s.warn > 0 ? 1 : 0,
    )
  })

  it('refuses a bad --fail-on, --format or --only with exit 2', () => {
    expect(xenready(['check', '--from', one, '--fail-on', 'never']).code).toBe(2)
    expect(xenready(['check', '--from', one, '--format', 'pdf']).code).toBe(2)
    expect(xenready(['check', '--from', one, '--from', one, '--only', 'nosuch']).code).toBe(2)
    const release = xenready(['check', '--from', one, '--release', 'ten'])
    expect(release.code).toBe(2)
    expect(release.stderr.trim().split('\n')).toHaveLength(1)
    expect(release.stderr).toContain('--release "ten": give a NetBSD release number such as 10, 10.1 or 9.4')
  })

  it('--release plans for a release, for one dump and for a fleet', () => {
    const dir = 'test/fixtures/dumps/synthetic-netbsd10-hw-running-dom0-native'
    const one = json(xenready(['check', '--from', dir, '--release', '9', '--json']).stdout)
    const hw = one.findings.find((f: {id: string}) => f.id === 'hardware.dom0-drivers')
    expect(hw.status).toBe('unknown')
    expect(hw.message).toContain('NetBSD 9.0 (--release)')
    const fleet = json(
      xenready([
        'check',
        '--from',
        dir,
        '--from',
        'test/fixtures/dumps/synthetic-netbsd10-hw-virtio-guest',
        '--release',
        '9',
        '--json',
      ]).stdout,
    )
    for (const r of fleet.reports)
      expect(
        r.findings.filter((f: {id: string}) => f.id === 'hardware.dom0-drivers').map((f: {status: string}) => f.status),
      ).toEqual(['unknown'])
  })
})

describe('check on a fleet', {timeout: 180_000}, () => {
  it('checks every dump under a directory (--recursive), with a summary table and the worst exit code', () => {
    const r = xenready(['check', '--from', 'test/fixtures/dumps', '--recursive'])
    expect(r.stdout).toMatch(/^DUMP +TARGET +VERDICT +PASS +WARN +FAIL +UNKNOWN +FAILED CHECKS$/m)
    expect(dumpNames.length).toBeGreaterThan(50)
    for (const name of dumpNames) expect(r.stdout).toContain(`test/fixtures/dumps/${name} `)
    const fleet = json(xenready(['check', '--from', 'test/fixtures/dumps', '--recursive', '--json']).stdout)
    expect(fleet.kind).toBe('fleet')
    expect(fleet.dumps.map((d: {source: string}) => d.source)).toEqual(dumpNames.map((n) => `test/fixtures/dumps/${n}`))
    expect(fleet.reports).toHaveLength(dumpNames.length)
    // Hosts per verdict, in the JSON summary and the text's last line.
    const counts = {ready: 0, 'not-ready': 0, 'cannot-tell': 0} as Record<string, number>
    for (const rep of fleet.reports) counts[rep.verdict]++
    expect(fleet.summary.verdicts).toEqual(counts)
    expect(r.stdout).toContain(`${dumpNames.length} dumps: ${counts.ready} ready`)
    expect(r.code).toBe(fleet.exitCode)
    expect(fleet.exitCode).toBe(Math.max(...fleet.dumps.map((d: {exitCode: number}) => d.exitCode)))
  })

  it('gives the same reports with worker threads as without, and uses a worker when there are more than 8 dumps', () => {
    const parallel = xenready(['check', '--from', 'test/fixtures/dumps', '--recursive', '--format', 'json'], {
      DEBUG: 'xenready:fleet',
    })
    const serial = xenready([
      'check',
      '--from',
      'test/fixtures/dumps',
      '--recursive',
      '--format',
      'json',
      '--workers',
      '0',
    ])
    const strip = (f: any) => ({...f, generated: '', reports: f.reports.map((r: any) => ({...r, generated: ''}))})
    expect(strip(json(parallel.stdout))).toEqual(strip(json(serial.stdout)))
    if (dumpNames.length > 8 && availableParallelism() > 1)
      // The main thread checks from the same queue, beginning before any worker is ready.
      expect(parallel.stderr).toMatch(/xenready:fleet \d+ dumps, [1-9]\d* worker thread\(s\), this thread took [1-9]/)
  })

  it('checks everything in the main thread when the workers cannot start', () => {
    const script = join(tmp, 'dead-workers.mjs')
    writeFileSync(
      script,
      [
        `const {checkDumps} = await import(${JSON.stringify(join(ROOT, 'dist/cli/fleet.js'))})`,
        `const {buildRegistry} = await import(${JSON.stringify(join(ROOT, 'dist/engine/registry.js'))})`,
        `const {builtinPlugins} = await import(${JSON.stringify(join(ROOT, 'dist/plugins/index.js'))})`,
        "const registry = buildRegistry([{package: 'xenready', result: {apiVersion: 2, plugins: builtinPlugins}}], [])",
        `const paths = ${JSON.stringify(dumpNames.map((n) => join(DUMPS, n)))}`,
        "const out = await checkDumps(registry, [...paths, ...paths], {target: 'dom0', version: 't', configRoot: '/nonexistent-oclif-root', workers: 2})",
        "console.log(JSON.stringify(out.map((o) => ('report' in o ? o.report.findings.length : o.error))))",
      ].join('\n'),
    )
    const r = spawnSync(process.execPath, [script], {
      cwd: ROOT,
      env: {...env, DEBUG: 'xenready:fleet'},
      encoding: 'utf8',
    })
    const counts = JSON.parse(r.stdout) as unknown[]
    expect(counts).toHaveLength(dumpNames.length * 2)
    expect(counts.every((c) => typeof c === 'number' && c > 0)).toBe(true)
    expect(r.stderr).toMatch(new RegExp(`this thread took ${dumpNames.length * 2} `))
  })

  it('takes back and checks every dump a worker held when the worker dies in the middle of a fleet', () => {
    // A third-party plugin whose check ends any worker thread that runs it (test/fixtures/plugins); in the main
    // thread it passes, slowly enough that the worker is up, and holding dumps, before the main thread is through.
    const dataHome = join(tmp, 'lethal-data')
    const plugin = join(ROOT, 'test/fixtures/plugins/synthetic-worker-exit-plugin')
    expect(xenready(['plugins', 'link', plugin, '--no-install'], {XDG_DATA_HOME: dataHome}).code).toBe(0)
    const fleet = join(tmp, 'lethal-fleet')
    const count = 200
    for (let i = 0; i < count; i++)
      cpSync(join(ROOT, one), join(fleet, `host${String(i).padStart(3, '0')}`), {recursive: true})
    const r = xenready(['check', '--from', fleet, '--recursive', '--json', '--workers', '1'], {
      XDG_DATA_HOME: dataHome,
      DEBUG: 'xenready:fleet',
    })
    expect(r.stderr).toMatch(/xenready:fleet \d+ dumps, 1 worker thread\(s\)/)
    const left = Number(/\((\d+) left by a worker\)/.exec(r.stderr)?.[1])
    expect(left).toBeGreaterThan(0)
    const data = json(r.stdout)
    expect(data.summary.dumps).toBe(count)
    expect(data.reports).toHaveLength(count)
    for (const report of data.reports)
      expect(report.findings.find((f: {id: string}) => f.id === 'lethal.worker-exit')).toMatchObject({status: 'pass'})
  })

  it('reports an unreadable dump in its row, checks the others, and exits 2', () => {
    const r = xenready(['check', '--from', one, '--from', join(tmp, 'missing-dump'), '--format', 'markdown'])
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(
      /\| `.*missing-dump` \| dom0 \| - \| - \| - \| - \| - \| UNREADABLE: cannot read .*no such file or directory \|/,
    )
    expect(r.stdout).toContain(`| \`${one}\` | dom0 |`)
  })

  it('finds bundles (.tar.gz) beside dump directories and gives them the same findings', () => {
    const root = join(tmp, 'bundles')
    const name = dumpNames.find((n) => n.includes('dom0')) ?? dumpNames[0]!
    spawnSync('mkdir', ['-p', join(root, 'site')])
    spawnSync('cp', ['-r', join(DUMPS, name), join(root, 'site', 'host-a')])
    expect(spawnSync('tar', ['czf', join(root, 'host-b.tar.gz'), '-C', join(DUMPS, name), '.']).status).toBe(0)
    const fleet = json(xenready(['check', '--from', root, '--recursive', '--json']).stdout)
    expect(fleet.dumps.map((d: {source: string}) => d.source.slice(root.length + 1))).toEqual([
      'host-b.tar.gz',
      'site/host-a',
    ])
    expect(fleet.reports[0].findings).toEqual(fleet.reports[1].findings)
  })

  it('streams the fleet JSON to --json-file beside the text table, the same as --json prints', () => {
    const file = join(tmp, 'stream.json')
    const r = xenready(['check', '--from', 'test/fixtures/dumps', '-r', '--json-file', file])
    expect(r.stdout).toMatch(/^DUMP +TARGET/m)
    const streamed = json(readFileSync(file, 'utf8'))
    const printed = json(xenready(['check', '--from', 'test/fixtures/dumps', '-r', '--json']).stdout)
    const strip = (f: any) => ({...f, generated: '', reports: f.reports.map((x: any) => ({...x, generated: ''}))})
    expect(strip(streamed)).toEqual(strip(printed))
    expect(readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('writes fleet JUnit and SARIF that validate', () => {
    const r = xenready([
      'check',
      '--from',
      'test/fixtures/dumps',
      '-r',
      '--junit',
      join(tmp, 'f.xml'),
      '--sarif',
      join(tmp, 'f.sarif'),
      '--json-file',
      join(tmp, 'f.json'),
    ])
    expect(r.stderr).toBe('')
    if (hasXmllint) expect(junitSchemaErrors(readFileSync(join(tmp, 'f.xml'), 'utf8'))).toBeUndefined()
    const sarif = JSON.parse(readFileSync(join(tmp, 'f.sarif'), 'utf8'))
    expect(sarifSchemaErrors(sarif)).toBeUndefined()
    expect(Object.keys(sarif.runs[0].originalUriBaseIds)).toContain(`DUMP${dumpNames.length}`)
    expect(json(readFileSync(join(tmp, 'f.json'), 'utf8')).dumps).toHaveLength(dumpNames.length)
  })
})

describe('diff', {timeout: 180_000}, () => {
  it('exits 0 without a regression and 1 with one, for single and fleet reports', () => {
    const a = join(tmp, 'a.json')
    const b = join(tmp, 'b.json')
    xenready(['check', '--from', one, '--json-file', a, '--format', 'markdown'])
    const same = xenready(['diff', a, a])
    expect(same.code).toBe(0)
    expect(same.stdout).toMatch(/^No regression/m)
    const report = JSON.parse(readFileSync(a, 'utf8'))
    const victim = report.findings.find((f: {status: string}) => f.status === 'pass' || f.status === 'unknown')
    victim.status = 'fail'
    victim.evidence = [{source: 'x.txt', line: 1, text: 'now broken <&>'}]
    writeFileSync(b, JSON.stringify(report))
    const worse = xenready(['diff', a, b])
    expect(worse.code).toBe(1)
    expect(worse.stdout).toContain(`New failures (1):\n  ${victim.id}`)
    const better = xenready(['diff', b, a, '--json'])
    expect(better.code).toBe(0)
    expect(JSON.parse(better.stdout).fixed.map((c: {id: string}) => c.id)).toEqual([victim.id])

    const fa = join(tmp, 'fa.json')
    xenready(['check', '--from', 'test/fixtures/dumps', '-r', '--json-file', fa, '--format', 'markdown'])
    expect(xenready(['diff', fa, fa]).code).toBe(0)
    const fleet = JSON.parse(readFileSync(fa, 'utf8'))
    fleet.dumps.pop()
    fleet.reports.pop()
    writeFileSync(b, JSON.stringify(fleet))
    const removed = xenready(['diff', fa, b])
    expect(removed.code).toBe(0)
    expect(removed.stdout).toMatch(/Dumps removed \(1\):/)
  })

  it('refuses what is not a report with exit 2', () => {
    writeFileSync(join(tmp, 'junk.json'), '{"hello": 1}')
    const r = xenready(['diff', join(tmp, 'junk.json'), join(tmp, 'junk.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/is not a xenready JSON report/)
    expect(xenready(['diff', join(tmp, 'nope.json'), join(tmp, 'junk.json')]).code).toBe(2)
  })
})
