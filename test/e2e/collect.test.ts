import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {evidenceCatalog} from '../../src/evidence/catalog.js'
import {builtinRegistry, dumpPath, ROOT} from '../helpers.js'
import {fakeBin, fakeCommand} from '../unit/evidence/fake-host.js'
import {tgzOf} from '../unit/evidence/tar-craft.js'
import {xenready} from './run.js'

// Needs the built CLI: `npm run build` first.
const scratch = mkdtempSync(join(tmpdir(), 'xenready-e2e-collect-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))
const catalog = evidenceCatalog(builtinRegistry())
const FIXTURE = 'synthetic-netbsd10-xen420-dom0-xl'

function fakeHost(fixture = FIXTURE) {
  const dump = dumpPath(fixture)
  const bin = fakeBin(dump, catalog, scratch)
  const tmp = mkdtempSync(join(scratch, 'tmp-'))
  return {bin, tmp, env: {PATH: `${bin}:/usr/bin:/bin`, XENREADY_ROOT: join(dump, 'files'), TMPDIR: tmp, CI: ''}}
}

/** Waits until `path` exists (a fake command started), so a signal is sent mid-collection, not mid-startup. */
async function until(path: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`${path} never appeared`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const statuses = (json: string) => (JSON.parse(json) as {findings: Array<{id: string; subject?: string; status: string}>}).findings.map((f) => `${f.id} ${f.subject ?? ''} ${f.status}`)

describe('xenready collect', () => {
  test('writes a redacted bundle that checks like the original; one final line; nothing left behind', () => {
    const host = fakeHost()
    const out = join(scratch, 'out', 'b.tar.gz')
    mkdirSync(join(scratch, 'out'))
    const r = xenready(['collect', '--os', 'netbsd', '--output', out], {env: host.env})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^.*b\.tar\.gz \(\d+(\.\d)? (KB|bytes)\): \d+ evidence files, \d+ not collected .*, redacted\n$/)
    expect(readdirSync(join(scratch, 'out'))).toEqual(['b.tar.gz'])
    expect(readdirSync(host.tmp)).toEqual([])

    const fromBundle = xenready(['check', '--from', out, '--json'])
    const fromFixture = xenready(['check', '--from', dumpPath(FIXTURE), '--json'])
    expect(statuses(fromBundle.stdout)).toEqual(statuses(fromFixture.stdout))

    const inspect = xenready(['bundle', 'inspect', out, '--json'])
    expect(inspect.status).toBe(0)
    const listing = JSON.parse(inspect.stdout)
    expect(listing.redaction.enabled).toBe(true)
    expect(listing.redaction.counts.hostname).toBeGreaterThanOrEqual(1)
    expect(listing.files.map((f: {name: string}) => f.name)).toContain('uname.txt')
    expect(listing.notCollected.map((e: {name: string}) => e.name)).toContain('cpuctl-identify.txt')
    const text = xenready(['bundle', 'inspect', out])
    expect(text.stdout).toMatch(/Not collected or cut short/)
    expect(text.stdout).toMatch(/Redaction: on; distinct values replaced: .*hostname 1/)
  }, 60_000)

  test('--dir --no-redact writes the dump as collected', () => {
    const host = fakeHost()
    const dir = join(scratch, 'dump-plain')
    const r = xenready(['collect', '--os', 'netbsd', '--dir', dir, '--no-redact', '--quiet'], {env: host.env})
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'uname.txt'), 'utf8')).toBe(readFileSync(join(dumpPath(FIXTURE), 'uname.txt'), 'utf8'))
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).redaction.enabled).toBe(false)
    // Never merged into a directory that holds something.
    const again = xenready(['collect', '--os', 'netbsd', '--dir', dir], {env: host.env})
    expect(again.status).toBe(2)
    expect(again.stderr).toMatch(/already exists and is not an empty directory/)
  }, 60_000)

  test('--timeout kills a hung command; the rest goes on', () => {
    const host = fakeHost()
    fakeCommand(host.bin, 'pkg_info', 'sleep 30')
    const dir = join(scratch, 'dump-timeout')
    const started = Date.now()
    const r = xenready(['collect', '--os', 'netbsd', '--dir', dir, '--timeout', '1'], {env: host.env})
    expect(r.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(20_000)
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
    expect(manifest.entries.find((e: {name: string}) => e.name === 'pkg_info.txt')).toMatchObject({timedOut: true})
    expect(existsSync(join(dir, 'uname.txt'))).toBe(true)
  }, 60_000)

  test('Ctrl-C: exit 130, no bundle, no temp files, commands killed', async () => {
    const host = fakeHost()
    const marker = join(scratch, 'survived')
    const started = join(scratch, 'started')
    fakeCommand(host.bin, 'pkg_info', `touch ${started}; sleep 4; touch ${marker}`)
    const outDir = join(scratch, 'interrupted')
    mkdirSync(outDir)
    const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'collect', '--os', 'netbsd', '--output', join(outDir, 'b.tar.gz')], {env: {...process.env, ...host.env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    await until(started)
    child.kill('SIGINT')
    const code = await exited
    expect(code).toBe(130)
    expect(stderr).toMatch(/interrupted \(SIGINT\); nothing written/)
    expect(readdirSync(outDir)).toEqual([])
    expect(readdirSync(host.tmp)).toEqual([])
    await new Promise((r) => setTimeout(r, 3500))
    expect(existsSync(marker)).toBe(false)
  }, 30_000)
})

test('Ctrl-C during a live check kills the commands too (they run in their own process groups)', async () => {
  const bin = mkdtempSync(join(scratch, 'live-bin-'))
  const marker = join(scratch, 'live-survived')
  const started = join(scratch, 'live-started')
  fakeCommand(bin, 'mount', `touch ${started}; sleep 4; touch ${marker}`)
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'check'], {env: {...process.env, PATH: `${bin}:/usr/bin:/bin`}, stdio: ['ignore', 'pipe', 'pipe']})
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
  await until(started)
  child.kill('SIGINT')
  expect(await exited).toBe(130)
  await new Promise((r) => setTimeout(r, 4500))
  expect(existsSync(marker)).toBe(false)
}, 30_000)

describe('check --from a bundle', () => {
  test('a malicious bundle: exit 2, one line naming the entry', () => {
    const bad = join(scratch, 'evil.tar.gz')
    writeFileSync(bad, tgzOf([{name: 'uname.txt', body: 'NetBSD\n'}, {name: '../../etc/cron.d/x', body: 'boom'}]))
    const r = xenready(['check', '--from', bad])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(`xenready: bundle ${bad}: entry "../../etc/cron.d/x" has a \`..\` segment\n`)
  })

  test('a bundle on stdin (-)', () => {
    const bundle = tgzOf([{name: 'uname.txt', body: readFileSync(join(dumpPath(FIXTURE), 'uname.txt'), 'utf8')}])
    const r = xenready(['check', '--from', '-', '--json'], {input: bundle})
    expect(r.status).not.toBe(2)
    expect(JSON.parse(r.stdout).source).toBe('-')
  })
})
