import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it, onTestFinished, vi} from 'vitest'
import {findDumps} from '../../../src/cli/discover.js'
import {checkDumps} from '../../../src/cli/fleet.js'
import {
  buildFleet,
  FleetBuilder,
  FleetJsonStream,
  fleetJsonChunks,
  renderFleetText,
} from '../../../src/reports/fleet.js'
import {writeFileAtomic} from '../../../src/reports/output.js'
import {builtinRegistry, dumpPath} from '../../helpers.js'
import {reportSchemaErrors} from './schemas.js'

const tmp = mkdtempSync(join(tmpdir(), 'xenready-fleet-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

describe('finding dumps under a directory', () => {
  it('takes a directory holding evidence (or a manifest, or files/) as a dump, bundles by name, and nothing through symlinks', () => {
    const root = join(tmp, 'tree')
    for (const [path, text] of Object.entries({
      'site/a/uname.txt': 'NetBSD',
      'site/a/files/etc/fstab': '/dev/wd0a / ffs rw 1 1',
      'site/b/disklabel-wd0.txt': 'x',
      'site/c/manifest.json': '{}',
      'site/d/files/usr/pkg/etc/xen/dom1.cfg': 'name = "dom1"',
      'site/d/README.md': 'a dump of copied files only',
      'site/notes/readme.md': 'not a dump',
      'bundles/h1.tar.gz': '',
      'bundles/h2.tgz': '',
      'bundles/h3.zip': '',
    })) {
      mkdirSync(join(root, path, '..'), {recursive: true})
      writeFileSync(join(root, path), text)
    }

    symlinkSync(join(root, 'site/a'), join(root, 'linked'))
    expect(findDumps(root).map((p) => p.slice(root.length + 1))).toEqual([
      'bundles/h1.tar.gz',
      'bundles/h2.tgz',
      'site/a',
      'site/b',
      'site/c',
      'site/d',
    ])
    expect(findDumps(join(root, 'site/a'))).toEqual([join(root, 'site/a')])
    expect(findDumps(join(root, 'site/notes'), ['readme.md'])).toEqual([join(root, 'site/notes')])
    expect(() => findDumps(join(root, 'nowhere'))).toThrow(/no such file/)
  })
})

const dumpPaths = ['howto-core2-vmx', 'linux-epyc-vm-nosvm', 'netbsd10-microvm-kvm-plain-dmesg'].map(dumpPath)

describe('checking many dumps', () => {
  const dumps = dumpPaths

  it('checks each dump in input order, turns an unreadable one into an error row, and builds a schema-valid aggregate', async () => {
    const registry = builtinRegistry()
    const paths = [...dumps, join(tmp, 'missing'), ...dumps, ...dumps, ...dumps]
    const outcomes = await checkDumps(registry, paths, {target: 'dom0', version: 't', workers: 0})
    expect(outcomes.map((o) => o.source)).toEqual(paths)
    expect(outcomes[3]).toEqual({source: join(tmp, 'missing'), error: expect.stringMatching(/no such file/)})
    const fleet = buildFleet({version: 't', target: 'dom0', failOn: 'fail', outcomes})
    expect(reportSchemaErrors(JSON.parse(JSON.stringify(fleet)))).toBeUndefined()
    expect(fleet.exitCode).toBe(2)
    expect(fleet.summary.dumps).toBe(paths.length)
    expect(fleet.summary.unreadable).toBe(1)
    expect(fleet.reports).toHaveLength(paths.length - 1)
    for (const r of fleet.reports) expect(reportSchemaErrors(JSON.parse(JSON.stringify(r)))).toBeUndefined()
    const text = renderFleetText(fleet)
    expect(text).toMatch(/^DUMP +TARGET +VERDICT +PASS +WARN +FAIL +UNKNOWN +FAILED CHECKS$/m)
    expect(text).toContain('UNREADABLE: ')
    // Hosts per verdict: every readable dump counted once, the unreadable one in none.
    const v = fleet.summary.verdicts
    expect(v.ready + v['not-ready'] + v['cannot-tell']).toBe(paths.length - 1)
    expect(fleet.dumps[3]!.verdict).toBeUndefined()
    expect(fleet.dumps.filter((d) => d.verdict).map((d) => d.verdict)).toEqual(fleet.reports.map((r) => r.verdict))
    expect(text).toMatch(
      new RegExp(
        `^${paths.length} dumps: ${v.ready} ready, ${v['not-ready']} not ready, ${v['cannot-tell']} cannot tell yet, 1 unreadable; `,
        'm',
      ),
    )
  })

  it('takes the worst exit code: 1 for a failing dump at the threshold, 0 when clean', () => {
    const registry = builtinRegistry()
    return checkDumps(registry, dumps, {target: 'dom0', version: 't'}).then((outcomes) => {
      const atWarn = buildFleet({version: 't', target: 'dom0', failOn: 'warn', outcomes})
      const atFail = buildFleet({version: 't', target: 'dom0', failOn: 'fail', outcomes})
      expect(atWarn.exitCode).toBeGreaterThanOrEqual(atFail.exitCode)
      expect(
        atWarn.dumps.every((d) => d.exitCode === (d.summary!.warn + d.summary!.fail + d.summary!.error > 0 ? 1 : 0)),
      ).toBe(true)
    })
  })
})

describe('fleet JSON written piece by piece', () => {
  it('is exactly JSON.stringify(fleet, null, 2), streamed from reports or digests while checking, or from a finished fleet', async () => {
    // Two checks of the same dumps: their reports' `generated` times must be equal.
    vi.useFakeTimers({toFake: ['Date']})
    vi.setSystemTime(new Date('2026-01-02T03:04:05Z'))
    onTestFinished(() => vi.useRealTimers())
    const registry = builtinRegistry()
    for (const paths of [[], [join(tmp, 'missing')], [dumpPaths[0]!, join(tmp, 'missing'), ...dumpPaths]]) {
      const outcomes = await checkDumps(registry, paths, {target: 'dom0', version: 't', workers: 0})
      const fleet = buildFleet({version: 't', target: 'dom0', failOn: 'warn', outcomes, now: new Date(0)})
      expect([...fleetJsonChunks(fleet)].join('')).toBe(`${JSON.stringify(fleet, null, 2)}\n`)
      // What a streamed check does: digests (each dump's row and JSON text, as worker threads send them) or whole
      // reports.
      const digests = await checkDumps(registry, paths, {
        target: 'dom0',
        version: 't',
        workers: 0,
        digest: {failOn: 'warn', json: true},
      })
      expect(digests.every((o) => 'error' in o || 'row' in o)).toBe(true)
      for (const streamed of [outcomes, digests]) {
        const builder = new FleetBuilder({version: 't', target: 'dom0', failOn: 'warn', now: new Date(0)}, false)
        let text = ''
        const stream = new FleetJsonStream(builder, (c) => (text += c))
        for (const o of streamed) {
          builder.add(o)
          stream.add(o)
        }

        const lean = builder.finish()
        expect(lean.reports).toEqual([])
        expect(lean.dumps).toEqual(fleet.dumps)
        expect(lean.summary).toEqual(fleet.summary)
        stream.end(lean)
        expect(text).toBe(`${JSON.stringify(fleet, null, 2)}\n`)
        expect(reportSchemaErrors(JSON.parse(text))).toBeUndefined()
      }
    }
  })

  it('refuses a digest without JSON in a JSON stream, and a digest in a fleet that keeps its reports', async () => {
    const registry = builtinRegistry()
    const [bare] = await checkDumps(registry, [dumpPaths[0]!], {
      target: 'dom0',
      version: 't',
      workers: 0,
      digest: {failOn: 'fail', json: false},
    })
    expect(bare).toMatchObject({json: '', row: {exitCode: expect.any(Number)}})
    const stream = new FleetJsonStream(
      new FleetBuilder({version: 't', target: 'dom0', failOn: 'fail'}, false),
      () => {},
    )
    expect(() => stream.add(bare!)).toThrow(/has no JSON/)
    expect(() => new FleetBuilder({version: 't', target: 'dom0', failOn: 'fail'}, true).add(bare!)).toThrow(
      /cannot take digests/,
    )
  })
})

describe('writing report files', () => {
  it('replaces the file whole and leaves no temp file behind', () => {
    const file = join(tmp, 'out', 'report.json')
    mkdirSync(join(tmp, 'out'))
    writeFileSync(file, 'old')
    writeFileAtomic(file, 'new report')
    expect(readFileSync(file, 'utf8')).toBe('new report')
    expect(readdirSync(join(tmp, 'out'))).toEqual(['report.json'])
  })

  it('fails with one clear line and no temp file when the directory does not exist', () => {
    expect(() => writeFileAtomic(join(tmp, 'nope', 'r.xml'), 'x')).toThrow(/cannot write .*r\.xml: ENOENT/)
  })
})
