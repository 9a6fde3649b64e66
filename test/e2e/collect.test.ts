import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {evidenceCatalog} from '../../src/engine/catalog.js'
import {builtinRegistry, dumpPath, ROOT} from '../helpers.js'
import {fakeBin, fakeCommand} from '../unit/evidence/fake-host.js'
import {tgzOf} from '../unit/evidence/tar-craft.js'
import {requireTool} from '../support/tools.js'
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

const statuses = (json: string) =>
  (JSON.parse(json) as {findings: Array<{id: string; subject?: string; status: string}>}).findings.map(
    (f) => `${f.id} ${f.subject ?? ''} ${f.status}`,
  )

describe('xenready collect', () => {
  test('writes a redacted bundle that checks like the original; one final line; nothing left behind', () => {
    const host = fakeHost()
    const out = join(scratch, 'out', 'b.tar.gz')
    mkdirSync(join(scratch, 'out'))
    const r = xenready(['collect', '--os', 'netbsd', '--output', out], {env: host.env})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(
      /^.*b\.tar\.gz \(\d+(\.\d)? (KB|bytes)\): \d+ evidence files, \d+ not collected .*, redacted\n$/,
    )
    expect(readdirSync(join(scratch, 'out'))).toEqual(['b.tar.gz', 'b.tar.gz.sha256'])
    expect(readdirSync(host.tmp)).toEqual([])

    const fromBundle = xenready(['check', '--from', out, '--json'])
    const fromFixture = xenready(['check', '--from', dumpPath(FIXTURE), '--json'])
    // The fake host's root holds /var/run/dmesg.boot (the fixture's dmesg.boot), so the bundle has the same
    // evidence as the fixture: the hardware plugin and host.consistency, which read dmesg, agree too (the
    // session 3 "known defect" was a fake root without that file).
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
    expect(text.stdout).toMatch(/Redaction: on \(rules [a-z0-9, ]+\); distinct values replaced: .*hostname 1/)
  }, 60_000)

  test('a redacted bundle: the host token in its name, top directory and manifest, never the host name; --case-id; .sha256; --redaction-map', () => {
    const host = fakeHost()
    // The host's name as its evidence gives it (uname -a), which this machine's own name is not.
    const real = readFileSync(join(dumpPath(FIXTURE), 'uname.txt'), 'utf8').split(' ')[1]!
    const cwd = mkdtempSync(join(scratch, 'named-'))
    const map = join(scratch, `map-${Date.now()}.json`)
    // The default name is made in the current directory: run the CLI there.
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/run.js'), 'collect', '--os', 'netbsd', '--case-id', 'SR-2026.12_01', '--redaction-map', map],
      {cwd, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...host.env}},
    )
    const r = {status: run.status, stderr: run.stderr}
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const files = readdirSync(cwd).sort()
    expect(files).toEqual([
      expect.stringMatching(/^xenready-SR-2026\.12_01-host1-\d{8}-\d{6}\.tar\.gz$/),
      expect.stringMatching(/\.tar\.gz\.sha256$/),
    ])
    const bundle = join(cwd, files[0]!)
    const members = spawnSync('tar', ['-tzf', bundle], {encoding: 'utf8'}).stdout.split('\n').filter(Boolean)
    expect(members.length).toBeGreaterThan(1)
    expect(members.every((m) => m.startsWith(`${files[0]!.replace(/\.tar\.gz$/, '')}/`))).toBe(true)
    const manifestText = spawnSync('tar', ['-xzOf', bundle, members.find((m) => m.endsWith('/manifest.json'))!], {
      encoding: 'utf8',
    }).stdout
    for (const text of [members.join('\n'), manifestText, files.join('\n')]) expect(text).not.toContain(real)
    const manifest = JSON.parse(manifestText)
    expect(manifest.caseId).toBe('SR-2026.12_01')
    expect(manifest.redaction.rules).toEqual(['hostname', 'mac', 'ipv4', 'ipv6', 'serial', 'uuid', 'user'])
    // NetBSD host: the Linux-only evidence is skipped, not failed.
    expect(manifest.entries.find((e: {name: string}) => e.name === 'proc-cpuinfo.txt')).toMatchObject({
      path: '/proc/cpuinfo',
      skipped: 'for Linux hosts only',
    })
    // sha256sum's format, and sha256sum agrees.
    expect(readFileSync(`${bundle}.sha256`, 'utf8')).toMatch(
      new RegExp(`^[0-9a-f]{64}  ${files[0]!.replace(/\./g, '\\.')}\n$`),
    )
    expect(spawnSync('sha256sum', ['-c', files[1]!], {cwd, encoding: 'utf8'}).status).toBe(0)
    // The map: mode 0600, the token decodes to the real name.
    expect(statSync(map).mode & 0o777).toBe(0o600)
    const key = JSON.parse(readFileSync(map, 'utf8'))
    expect(key).toMatchObject({
      bundle: files[0],
      caseId: 'SR-2026.12_01',
      tokens: {host1: {kind: 'hostname', value: real}},
    })

    const inspect = xenready(['bundle', 'inspect', bundle])
    expect(inspect.status).toBe(0)
    expect(inspect.stdout).toContain(`Checksum: matches ${files[1]}`)
    expect(inspect.stdout).toContain('Case: SR-2026.12_01')
    expect(inspect.stdout).toMatch(
      /^Redaction: on \(rules hostname, mac, ipv4, ipv6, serial, uuid, user\); distinct values replaced: .*hostname 1/m,
    )
    expect(inspect.stdout).toMatch(/^ {2}SKIPPED {2}for Linux hosts only: .*proc-cpuinfo\.txt/m)
    expect(inspect.stdout).not.toMatch(/FAILED +proc-cpuinfo/)
    const json = JSON.parse(xenready(['bundle', 'inspect', bundle, '--json']).stdout)
    expect(json.checksum).toMatchObject({ok: true, file: `${bundle}.sha256`})
    expect(json.skipped).toContainEqual({name: 'lspci.txt', reason: 'for Linux hosts only'})
    expect(json.notCollected.map((e: {name: string}) => e.name)).not.toContain('lspci.txt')

    // A damaged bundle: exit 2, one line.
    const damaged = join(cwd, 'damaged.tar.gz')
    const bytes = readFileSync(bundle)
    bytes[bytes.length - 20] ^= 0xff
    writeFileSync(damaged, bytes)
    writeFileSync(`${damaged}.sha256`, readFileSync(`${bundle}.sha256`, 'utf8').replace(files[0]!, 'damaged.tar.gz'))
    const bad = xenready(['bundle', 'inspect', damaged])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(
      /^xenready: .*damaged\.tar\.gz: checksum mismatch: the bundle is damaged or incomplete \(sha256 [0-9a-f]{64}, damaged\.tar\.gz\.sha256 says [0-9a-f]{64}\); ask for it again\n$/,
    )
  }, 60_000)

  test('--case-id and --redaction-map are checked before anything runs: exit 2, one line', () => {
    const host = fakeHost()
    const ran = join(scratch, 'collect-ran')
    fakeCommand(host.bin, 'uname', `touch ${ran}; exec /bin/uname "$@"`)
    const dir = join(scratch, 'refused-dir')
    const existing = join(scratch, 'existing-map.json')
    writeFileSync(existing, '{}')
    const cases: Array<[string[], RegExp]> = [
      [['--case-id', '../etc'], /^xenready: --case-id "\.\.\/etc": a case id is 1 to 64 letters, digits/],
      [['--case-id', 'a b'], /a case id is/],
      [['--case-id', 'x'.repeat(65)], /a case id is/],
      [
        ['--redaction-map', join(scratch, 'm.json'), '--no-redact'],
        /^xenready: --redaction-map: nothing to map with --no-redact\n$/,
      ],
      [['--dir', dir, '--redaction-map', join(dir, 'map.json')], /inside the dump directory/],
      [['--output', join(scratch, 'o.tar.gz'), '--redaction-map', join(scratch, 'o.tar.gz')], /the bundle's own path/],
      [['--redaction-map', existing], /already exists; choose another file/],
    ]
    for (const [args, message] of cases) {
      const r = xenready(['collect', '--os', 'netbsd', '--quiet', ...args], {env: host.env})
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(message)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }

    expect(existsSync(ran)).toBe(false)
    expect(existsSync(dir)).toBe(false)
    expect(readFileSync(existing, 'utf8')).toBe('{}')
  }, 60_000)

  test('--dir --no-redact writes the dump as collected', () => {
    const host = fakeHost()
    const dir = join(scratch, 'dump-plain')
    const r = xenready(['collect', '--os', 'netbsd', '--dir', dir, '--no-redact', '--quiet'], {env: host.env})
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'uname.txt'), 'utf8')).toBe(
      readFileSync(join(dumpPath(FIXTURE), 'uname.txt'), 'utf8'),
    )
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
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/run.js'), 'collect', '--os', 'netbsd', '--output', join(outDir, 'b.tar.gz')],
      {env: {...process.env, ...host.env}, stdio: ['ignore', 'pipe', 'pipe']},
    )
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
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'check'], {
    env: {...process.env, PATH: `${bin}:/usr/bin:/bin`},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
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
    writeFileSync(
      bad,
      tgzOf([
        {name: 'uname.txt', body: 'NetBSD\n'},
        {name: '../../etc/cron.d/x', body: 'boom'},
      ]),
    )
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

describe.skipIf(
  process.platform !== 'linux' || requireTool('dash', 'the sh collector run under dash on this Linux host'),
)('this Linux host before installation: the sh collector and collect check alike', () => {
  test('the same statuses from both bundles; the sh bundle holds proc-cpuinfo.txt; NetBSD-only commands are skipped, not FAILED', () => {
    const dir = mkdtempSync(join(scratch, 'linux-parity-'))
    const js = join(dir, 'js.tar.gz')
    const sh = join(dir, 'sh.tar.gz')
    expect(xenready(['collect', '--quiet', '--output', js]).status).toBe(0)
    const r = spawnSync('dash', [join(ROOT, 'scripts/xenready-collect.sh'), '-q', '-o', sh], {
      encoding: 'utf8',
      env: {...process.env, TMPDIR: dir},
    })
    expect(r.status, r.stderr).toBe(0)
    const members = spawnSync('tar', ['-tzf', sh], {encoding: 'utf8'}).stdout
    expect(members).toMatch(/^sh\/proc-cpuinfo\.txt$/m)
    const fromJs = xenready(['check', '--from', js, '--json'])
    const fromSh = xenready(['check', '--from', sh, '--json'])
    expect(statuses(fromSh.stdout)).toEqual(statuses(fromJs.stdout))
    const listing = JSON.parse(xenready(['bundle', 'inspect', sh, '--json']).stdout)
    expect(listing.checksum).toMatchObject({ok: true})
    expect(listing.skipped.map((e: {name: string}) => e.name)).toEqual(
      expect.arrayContaining(['cpuctl-identify.txt', 'sysctl.txt', 'pkg_info.txt', 'linux-virt.txt']),
    )
    for (const e of listing.notCollected as Array<{name: string}>)
      expect(['lspci.txt', 'xl-pci-assignable-list.txt'], e.name).toContain(e.name)
  }, 120_000)
})
