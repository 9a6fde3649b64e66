import {execFile, execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, describe, expect, test} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import {evidenceCatalog} from '../../../src/engine/catalog.js'
import fc from 'fast-check'
import {collect, expandInstances, specsFor} from '../../../src/evidence/collect.js'
import {blockIn, SH_EXTRACTORS, shCommandBlock, shCommandLines, shQuote} from './collect-sh.js'
import {dumpContents, writeDumpDir} from '../../../src/evidence/bundle-write.js'
import {REDACTION_KINDS} from '../../../src/evidence/redact.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {parseManifest} from '../../../src/evidence/manifest.js'
import {openSource} from '../../../src/evidence/source.js'
import {builtinRegistry, FIXTURES, ROOT} from '../../helpers.js'
import {requireTool} from '../../support/tools.js'
import {awkVariants, fakeBin, fakeCommand} from './fake-host.js'
import {assembleCollector, updateCollector} from '../../../scripts/assemble-collector.mjs'

const SCRIPT = join(ROOT, 'scripts/xenready-collect.sh')
const COMMANDS = join(ROOT, 'scripts/collect/60-commands.sh')
const execFileAsync = promisify(execFile)
const catalog = evidenceCatalog(builtinRegistry())
const scratch = mkdtempSync(join(tmpdir(), 'xenready-collect-sh-test-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

describe('scripts/xenready-collect.sh', () => {
  test('is the assembly of its parts in scripts/collect/ (npm run build assembles it)', () => {
    expect(
      readFileSync(SCRIPT, 'utf8') === assembleCollector(),
      'scripts/xenready-collect.sh is stale: run `npm run build` and commit it',
    ).toBe(true)
  })

  test('its command list is the one the plugins declare for NetBSD (UPDATE_COLLECT_SH=1 rewrites it)', () => {
    const {problems} = shCommandLines(catalog)
    expect(problems).toEqual([])
    const part = readFileSync(COMMANDS, 'utf8')
    const current = blockIn(part)
    expect(current, 'the generated-block markers are missing').toBeDefined()
    const expected = shCommandBlock(catalog)
    if (current !== expected && process.env.UPDATE_COLLECT_SH) {
      writeFileSync(COMMANDS, part.replace(current!, expected))
      updateCollector()
    } else expect(current).toBe(expected)
  })

  test('every NetBSD spec is in the script, with its exact argv or path', () => {
    const block = blockIn(readFileSync(SCRIPT, 'utf8'))!
    for (const spec of specsFor(catalog, 'netbsd')) {
      const words = spec.argv ?? [spec.path!]
      expect(block).toContain(`${shQuote(spec.name)} `)
      expect(block).toContain(words.map(shQuote).join(' '))
    }
  })

  test.skipIf(requireTool('shellcheck', 'shellcheck -s sh on the collector'))('passes shellcheck -s sh', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', SCRIPT], {encoding: 'utf8'})
    expect(r.error).toBeUndefined()
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})

function tree(root: string, rel = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const e of readdirSync(join(root, rel), {withFileTypes: true})) {
    const name = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) for (const [k, v] of tree(root, name)) out.set(k, v)
    else out.set(name, readFileSync(join(root, name)))
  }

  return out
}

const netbsdDumps = readdirSync(join(FIXTURES, 'dumps')).filter((d) => {
  const uname = join(FIXTURES, 'dumps', d, 'uname.txt')
  return existsSync(uname) && readFileSync(uname, 'utf8').startsWith('NetBSD')
})

/**
 * One NetBSD dump per shape (the set of evidence files it holds, guest configs counted as one): the sh collector
 * meets every kind of evidence and every absence, without running ~70 dumps whose shapes repeat through dash twice
 * each. Content that matters to redaction is covered by collect-sh-redact.test.ts on its own.
 */
const dumpShapes = [
  ...new Map(
    netbsdDumps.map((d) => {
      const shape = [...tree(join(FIXTURES, 'dumps', d)).keys()]
        .filter((f) => f !== 'README.md')
        .map((f) => f.replace(/^files\/usr\/pkg\/etc\/xen\/.*/, 'files/usr/pkg/etc/xen/*'))
      return [[...new Set(shape)].sort().join('\n'), d] as const
    }),
  ).values(),
]

/**
 * The dumps collect() + dumpContents write for one fake host: unredacted and redacted (as `collect` and `collect
 * --no-redact`).
 */
async function fromNode(
  label: string,
  env: Record<string, string>,
  root: string,
): Promise<{plain: string; redacted: string}> {
  const collected = await collect(catalog, {os: 'netbsd', timeoutMs: 10_000, concurrency: 4, env, root})
  const plain = join(scratch, `${label}-node`)
  const redacted = join(scratch, `${label}-node-redacted`)
  writeDumpDir(plain, dumpContents(collected, {tool: 'xenready', toolVersion: 'test', os: 'netbsd', redact: false}))
  writeDumpDir(redacted, dumpContents(collected, {tool: 'xenready', toolVersion: 'test', os: 'netbsd', redact: true}))
  return {plain, redacted}
}

/** The dump the sh collector writes, under dash, for the same host. */
async function fromSh(label: string, env: Record<string, string>, root: string, args: string[] = []): Promise<string> {
  const dir = join(scratch, `${label}-sh`)
  const {stdout} = await execFileAsync('dash', [SCRIPT, '-q', ...args, '-d', dir], {
    env: {XENREADY_OS: 'netbsd', ...env, XENREADY_ROOT: root, LC_ALL: 'C', TMPDIR: scratch},
    encoding: 'utf8',
  })
  expect(stdout).toMatch(args.includes('-R') ? /, not redacted\n$/ : /files, redacted\n$/)
  return dir
}

const registry = builtinRegistry()
const statuses = (dir: string) =>
  runChecks(registry, new DumpEvidenceSet(dir), {target: 'dom0'}).findings.map(
    (f) => `${f.id} ${f.subject ?? ''} ${f.status}`,
  )

/** Every evidence file byte for byte, and every manifest field that does not depend on the clock, in order. */
function expectSameDump(shDir: string, nodeDir: string): void {
  const a = tree(nodeDir)
  const b = tree(shDir)
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort())
  // latin1: one character per byte, so this is a byte comparison that still shows a readable diff.
  for (const [file, content] of a)
    if (file !== 'manifest.json') expect(b.get(file)?.toString('latin1'), file).toBe(content.toString('latin1'))
  const manifest = (text: string) => {
    const m = parseManifest(text)!
    return {
      redaction: m.redaction,
      entries: m.entries.map((e) => ({
        name: e.name,
        argv: e.argv,
        path: e.path,
        exitCode: e.exitCode,
        timedOut: e.timedOut,
        error: e.error,
        stderrHead: e.stderrHead,
        sha256: e.sha256,
        bytes: e.bytes,
        skipped: e.skipped,
      })),
      caseId: m.caseId,
    }
  }

  // In the same order too: the sh collector sorts its entries as collect() does.
  expect(manifest(b.get('manifest.json')!.toString('utf8'))).toEqual(manifest(a.get('manifest.json')!.toString('utf8')))
}

describe.skipIf(requireTool('dash', 'the sh collector run under dash'))(
  'the sh collector and collect() write the same dump from the same inputs (dash, fake PATH and root)',
  () => {
    test('every shape of NetBSD dump is compared', () => {
      expect(dumpShapes.length).toBeGreaterThan(20)
      expect(dumpShapes.length).toBeLessThan(netbsdDumps.length)
    })

    test.each(dumpShapes)(
      '%s: redacted (the default) and with -R',
      async (name) => {
        const dump = join(FIXTURES, 'dumps', name)
        const bin = fakeBin(dump, catalog, scratch)
        const fakeRoot = join(dump, 'files')
        const env = {PATH: `${bin}:/usr/bin:/bin`}
        const [node, plain, redacted] = await Promise.all([
          fromNode(name, env, fakeRoot),
          fromSh(`${name}-R`, env, fakeRoot, ['-R']),
          fromSh(name, env, fakeRoot),
        ])
        expectSameDump(plain, node.plain)
        expectSameDump(redacted, node.redacted)
        // -R: the copied files are the fixture's own bytes.
        for (const [file, content] of tree(dump))
          if (file.startsWith('files/') && existsSync(join(plain, file)))
            expect(readFileSync(join(plain, file)).equals(content), file).toBe(true)
        // The dumps it wrote check the same as the fixture itself, redacted or not.
        expect(statuses(plain)).toEqual(statuses(node.plain))
        expect(statuses(redacted)).toEqual(statuses(plain))
      },
      60_000,
    )

    test('a bundle (-o) opens with check --from, with the same files; a timeout is recorded and the rest goes on', async () => {
      const dump = join(FIXTURES, 'dumps', netbsdDumps[0]!)
      const bin = fakeBin(dump, catalog, scratch)
      // A command that would outlive the whole test unless -t 1 stops it: the proof is that
      // the run ends long before it would, however loaded the machine is (no timing threshold near 1 s).
      fakeCommand(bin, 'pkg_info', 'sleep 300')
      const out = join(scratch, 'sh-bundle.tar.gz')
      const started = Date.now()
      execFileSync('dash', [SCRIPT, '-q', '-t', '1', '-o', out], {
        env: {PATH: `${bin}:/usr/bin:/bin`, XENREADY_ROOT: join(dump, 'files'), XENREADY_OS: 'netbsd', TMPDIR: scratch},
        cwd: scratch,
      })
      expect(Date.now() - started).toBeLessThan(200_000)
      expect(statSync(out).size).toBeGreaterThan(0)
      expect(readdirSync(scratch).filter((f) => f.includes('.tmp-') || f.startsWith('xenready-collect.'))).toEqual([])
      // Beside it, its sha256 in sha256sum's format, which sha256sum -c accepts.
      expect(readFileSync(`${out}.sha256`, 'utf8')).toMatch(/^[0-9a-f]{64} {2}sh-bundle\.tar\.gz\n$/)
      expect(spawnSync('sha256sum', ['-c', 'sh-bundle.tar.gz.sha256'], {cwd: scratch, encoding: 'utf8'}).stdout).toBe(
        'sh-bundle.tar.gz: OK\n',
      )
      const source = await openSource(out)
      try {
        const manifest = (source.evidence as DumpEvidenceSet).manifest!
        expect(manifest.entries.find((e) => e.name === 'pkg_info.txt')).toMatchObject({
          timedOut: true,
          error: 'timed out after 1000 ms',
        })
        expect(source.evidence.get('pkg_info.txt')).toMatchObject({
          present: false,
          reason: expect.stringMatching(/timed out/),
        })
        expect(source.evidence.get('uname.txt').present).toBe(true)
      } finally {
        await source.close()
      }
    }, 240_000)

    test('refuses bad options with exit 2', () => {
      for (const args of [
        ['-t', 'x'],
        ['-o', 'out.zip'],
        ['-o', 'a.tar.gz', '-d', 'b'],
        ['extra'],
        ['-R', 'extra'],
        ['-Z'],
        ['-c', 'a/b'],
        ['-c', '-x'],
        ['-c', 'a b'],
        ['-c', '.x'],
        ['-c', 'x'.repeat(65)],
      ]) {
        const r = spawnSync('dash', [SCRIPT, ...args], {encoding: 'utf8', cwd: scratch})
        expect(r.status, args.join(' ')).toBe(2)
        expect(r.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1)
        expect(r.stderr).toMatch(/xenready-collect|usage/)
      }
    })

    test('-h: the usage and every option on stdout, exit 0', () => {
      const r = spawnSync('dash', [SCRIPT, '-h'], {encoding: 'utf8', cwd: scratch})
      expect(r.status).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toMatch(
        /^usage: sh xenready-collect\.sh \[-o FILE\.tar\.gz \| -d DIR\] \[-c ID\] \[-f\] \[-t SECONDS\] \[-q\] \[-R\] \[-h\]\n/,
      )
      for (const opt of ['-o', '-d', '-c', '-f', '-t', '-q', '-R', '-h'])
        expect(r.stdout).toMatch(new RegExp(`^  ${opt} `, 'm'))
      expect(r.stdout).toMatch(/^ {2}-R {10}keep host identifiers: do not redact$/m)
    })

    test('an output it cannot write: exit 2 and one line, before any command runs, nothing left behind', () => {
      const bin = mkdtempSync(join(scratch, 'never-bin-'))
      const ran = join(scratch, 'a-command-ran')
      fakeCommand(bin, 'uname', `touch ${ran}; exec /bin/uname "$@"`)
      const cwd = mkdtempSync(join(scratch, 'unwritable-'))
      writeFileSync(join(cwd, 'taken.tar.gz'), 'precious')
      mkdirSync(join(cwd, 'full'))
      writeFileSync(join(cwd, 'full', 'x'), '')
      const env = {PATH: `${bin}:/usr/bin:/bin`, XENREADY_OS: 'linux', TMPDIR: scratch}
      const cases: Array<[string[], RegExp]> = [
        [
          ['-o', join(cwd, 'missing-dir', 'b.tar.gz')],
          /^xenready-collect: cannot write .*b\.tar\.gz: .*missing-dir is not a writable directory\n$/,
        ],
        [
          ['-o', join(cwd, 'taken.tar.gz')],
          /^xenready-collect: .*taken\.tar\.gz already exists; pass -f to replace it\n$/,
        ],
        [['-d', join(cwd, 'full')], /^xenready-collect: .*full already exists and is not an empty directory\n$/],
        [['-d', join(cwd, 'taken.tar.gz')], /already exists and is not an empty directory\n$/],
        [
          ['-d', join(cwd, 'missing-dir', 'd')],
          /^xenready-collect: cannot write .*missing-dir is not a writable directory\n$/,
        ],
      ]
      for (const [args, message] of cases) {
        const r = spawnSync('dash', [SCRIPT, '-q', ...args], {encoding: 'utf8', cwd, env})
        expect(r.status, args.join(' ')).toBe(2)
        expect(r.stderr, args.join(' ')).toMatch(message)
      }

      expect(existsSync(ran)).toBe(false)
      expect(readFileSync(join(cwd, 'taken.tar.gz'), 'utf8')).toBe('precious')
      expect(readdirSync(cwd).sort()).toEqual(['full', 'taken.tar.gz'])
      // -f replaces it (a bundle now), and its .sha256 beside it.
      const r = spawnSync('dash', [SCRIPT, '-q', '-f', '-o', join(cwd, 'taken.tar.gz')], {encoding: 'utf8', cwd, env})
      expect(r.status, r.stderr).toBe(0)
      expect(readdirSync(cwd).sort()).toEqual(['full', 'taken.tar.gz', 'taken.tar.gz.sha256'])
    }, 30_000)
  },
)

describe.skipIf(requireTool('dash', 'the sh collector run under dash'))(
  'the fake NetBSD host (test/fixtures/fake-netbsd): every kind of identifier, redacted as collect() does, by every awk',
  () => {
    const FAKE = join(FIXTURES, 'fake-netbsd')
    const root = join(FAKE, 'root')
    // A failing command whose stderr names the host's MAC and name, and an address and a user seen nowhere
    // else: the manifest's stderr heads are redacted with the same tokens, numbered after the files'.
    const stderrBin = mkdtempSync(join(scratch, 'stderr-bin-'))
    fakeCommand(
      stderrBin,
      'ifconfig',
      'echo "ifconfig: wm0 (00:25:90:5C:3A:1E) on xen0: 192.0.2.77: /home/bob/.ifconfig: Device not configured" >&2; exit 1',
    )
    const env = (awkDir?: string) => ({
      PATH: [stderrBin, ...(awkDir ? [awkDir] : []), join(FAKE, 'bin'), '/usr/bin', '/bin'].join(':'),
    })
    let node: Promise<{plain: string; redacted: string}> | undefined
    const fromNodeOnce = () => (node ??= fromNode('fake-netbsd', env(), root))

    const gone = [
      'xen0',
      'alice',
      'bob',
      '00:25:90:5c:3a:1e',
      '10.20.30.',
      '192.0.2.77',
      '2a01:4f8',
      'fe80::225',
      'S4EWNX0N123456A',
      'b0c2a6f2-0f4c',
      '0c0f5c1e-2b0d',
    ]
    const kept = [
      '8086:1e31',
      '8086:10d3',
      '12:34:56',
      '12:29:48',
      'netmask 255.255.255.0',
      'ListenAddress=127.0.0.1',
      'ListenAddress=::1',
      'serial 0x00000000',
      'firmware 2B2QEXM7',
      'Xen version 4.20.1',
      'python312-3.12.11',
      'xenkernel420-20250821nb1',
      'host1.example.org',
      'inet6 2001:db8::2%wm0',
    ]

    for (const awk of awkVariants(scratch)) {
      test.skipIf(!awk.available)(
        `${awk.name}: the same bytes as collect(), no identifier left, nothing else touched`,
        async () => {
          const [fromTs, dir] = await Promise.all([
            fromNodeOnce(),
            fromSh(`fake-netbsd-${awk.name.replace(/ /g, '-')}`, env(awk.dir), root),
          ])
          expectSameDump(dir, fromTs.redacted)
          const files = tree(dir)
          const all = [...files.values()].map((b) => b.toString('utf8')).join('\n')
          for (const g of gone) expect(all.toLowerCase(), g).not.toContain(g.toLowerCase())
          for (const k of kept) expect(all, k).toContain(k)
          const manifest = parseManifest(files.get('manifest.json')!.toString('utf8'))!
          expect(manifest.redaction).toEqual({
            enabled: true,
            rules: [...REDACTION_KINDS],
            counts: {hostname: 1, mac: 1, ipv4: 4, ipv6: 3, serial: 1, uuid: 2, user: 2},
          })
          expect(manifest.entries.find((e) => e.name === 'ifconfig-l.txt')?.stderrHead).toBe(
            'ifconfig: wm0 (02:00:00:00:00:01) on host1: 198.51.100.4: /home/user2/.ifconfig: Device not configured\n',
          )
          expect(files.get('files/etc/rc.conf')!.toString('utf8')).toContain('hostname=host1\n')
          expect(files.get('dmesg.boot')!.toString('utf8')).toContain('wm0: Ethernet address 02:00:00:00:00:01\n')
          expect(statuses(dir)).toEqual(statuses(fromTs.plain))
        },
        60_000,
      )
    }

    test('-R: the old unredacted bytes: the same as collect --no-redact, the copied files as they are on the host', async () => {
      const [fromTs, dir] = await Promise.all([fromNodeOnce(), fromSh('fake-netbsd-R', env(), root, ['-R'])])
      expectSameDump(dir, fromTs.plain)
      for (const [file, content] of tree(root)) {
        // usr/pkg/xen420-kernel/.keep only makes the directory exist for `ls -1 /usr/pkg`; nothing copies it.
        if (file.endsWith('/.keep')) continue
        const name = file === 'var/run/dmesg.boot' ? 'dmesg.boot' : `files/${file}`
        expect(readFileSync(join(dir, name)).equals(content), name).toBe(true)
      }

      expect(readFileSync(join(dir, 'uname.txt'), 'utf8')).toMatch(/^NetBSD xen0 /)
      expect(parseManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'))!.redaction).toEqual({
        enabled: false,
        rules: [],
        counts: {},
      })
    }, 60_000)

    test("a redacted bundle's name and top directory hold the host's token, never its name; -R and -c", () => {
      // The fake host's `hostname` is its real name (xen0), as the evidence says.
      const hostBin = mkdtempSync(join(scratch, 'hostname-bin-'))
      fakeCommand(hostBin, 'hostname', 'echo xen0.example.org')
      const run = (args: string[]) => {
        const cwd = mkdtempSync(join(scratch, 'default-name-'))
        const out = execFileSync('dash', [SCRIPT, '-q', ...args], {
          env: {
            ...env(),
            PATH: `${hostBin}:${env().PATH}`,
            XENREADY_OS: 'netbsd',
            XENREADY_ROOT: root,
            TMPDIR: scratch,
          },
          cwd,
          encoding: 'utf8',
        })
        const files = readdirSync(cwd).sort()
        const members = execFileSync('tar', ['-tzf', join(cwd, files[0]!)], {encoding: 'utf8'})
          .split('\n')
          .filter(Boolean)
        const manifest = execFileSync(
          'tar',
          ['-xzOf', join(cwd, files[0]!), members.find((m) => m.endsWith('/manifest.json'))!],
          {encoding: 'utf8'},
        )
        return {
          cwd,
          out,
          files,
          members,
          manifest: JSON.parse(manifest) as {caseId?: string; redaction: {rules: string[]}},
        }
      }

      const redacted = run([])
      expect(redacted.files).toEqual([
        expect.stringMatching(/^xenready-host1-\d{8}-\d{6}\.tar\.gz$/),
        expect.stringMatching(/^xenready-host1-\d{8}-\d{6}\.tar\.gz\.sha256$/),
      ])
      expect(redacted.out).toBe(
        `${redacted.files[0]} (${statSync(join(redacted.cwd, redacted.files[0]!)).size} bytes), redacted; sha256 in ${redacted.files[1]}\n`,
      )
      expect(redacted.members.length).toBeGreaterThan(1)
      expect(redacted.members.every((e) => e.startsWith(`${redacted.files[0]!.replace(/\.tar\.gz$/, '')}/`))).toBe(true)
      expect(redacted.members.join('\n')).not.toMatch(/xen0/i)
      expect(redacted.manifest.redaction.rules).toEqual([...REDACTION_KINDS])

      const withCase = run(['-c', 'CASE-00123'])
      expect(withCase.files[0]).toMatch(/^xenready-CASE-00123-host1-\d{8}-\d{6}\.tar\.gz$/)
      expect(withCase.manifest.caseId).toBe('CASE-00123')

      // A name chosen by hand that holds the host name keeps it (the user chose it), but not inside.
      const chosen = run(['-o', 'xen0-bundle.tar.gz'])
      expect(chosen.files[0]).toBe('xen0-bundle.tar.gz')
      expect(chosen.members.join('\n')).not.toMatch(/xen0/i)
      expect(chosen.members[0]).toMatch(/^xenready-host1-\d{8}-\d{6}\//)

      const plain = run(['-R'])
      expect(plain.files[0]).toMatch(/^xenready-xen0-\d{8}-\d{6}\.tar\.gz$/)
      expect(plain.manifest.redaction.rules).toEqual([])
    }, 180_000) // three whole collector runs over the fake host: a minute on a loaded 2-core machine
  },
)

describe.skipIf(requireTool('dash', 'the sh collector run under dash'))(
  "the sh instance lists agree with the specs' expand regexes",
  () => {
    const script = readFileSync(SCRIPT, 'utf8')
    /** The sh function `name` as defined in the script. */
    const shFunction = (name: string) => {
      const m = script.match(new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?^\\}\\n`, 'm'))
      if (!m) throw new Error(`no function ${name} in the script`)
      return m[0]
    }

    const templated = specsFor(catalog, 'netbsd').filter((s) => s.expand)
    // Lines close to the real ones, with the variations that matter (prefixes, suffixes, separators, `..`).
    const pieces = [
      'hw.disknames = ',
      'hw.disknames: ',
      'hw.disknames=',
      ' hw.disknames = ',
      'wd0',
      'sd1',
      'cd0',
      'ld2',
      'raid0',
      'xbd3',
      'ccd1',
      'dk0',
      'wd0a',
      'wd10',
      'xwd0',
      'wd0_x',
      ' ',
      ',',
      '\t',
      '/dev/',
      'wd0a on / type ffs (local)',
      'dk1 on /home type ffs',
      'sd0e on /x type ffs2',
      'wd0a on / type ffs',
      ' type tmpfs',
      '[   1.000000] ',
      '[ 0.0]',
      'pci0 at mainbus0 bus 0',
      'pci12 at ppb0 bus 12',
      'pcib0 at pci0',
      ' at ',
      'ifconfig.bridge0',
      'ifconfig.wm0',
      'ifconfig.',
      'ifconfig.a-b',
      'domu1.cfg',
      '..',
      '.',
      'xl.conf',
      'a b',
      'scripts',
      'x*y',
      'xen420-kernel',
      'xen418-kernel',
      'xenkernel420',
      'xen-kernel',
      '-kernel',
    ]
    const realLines = [
      'hw.disknames = wd0 cd0 sd1',
      'hw.disknames: wd0,sd0 raid0',
      'hw.disknames = wd0 dk0 xwd1 wd2_',
      '/dev/wd0a on / type ffs (local)',
      '/dev/dk1 on /home type ffs (log, local)',
      '/dev/wd0e on /usr type ffs2',
      '/dev/xwd0a on / type ffs',
      '/dev/wd0 on / type ffs',
      'tmpfs on /tmp type tmpfs (local)',
      '[   1.000000] pci0 at mainbus0 bus 0: configuration mode 1',
      'pci1 at ppb0 bus 1',
      'pci2 at',
      'ifconfig.bridge0',
      'ifconfig.wm0',
      'ifconfig.xennet0.orig',
      'domu1',
      'nbsd-pv.cfg',
      '..',
      'with space',
      'xl.conf',
      'xen420-kernel',
      'xen418-kernel',
      'xen420-kernel.old',
      'xentools420',
    ]
    const prefixes = ['hw.disknames = ', 'hw.disknames:', '/dev/', '[ 1.0] ', 'ifconfig.', '']
    const glued = fc
      .tuple(fc.constantFrom(...prefixes), fc.array(fc.constantFrom(...pieces), {maxLength: 5}))
      .map(([p, rest]) => p + rest.join(''))
    const line = fc.oneof(fc.constantFrom(...realLines), glued)
    const text = fc.array(line, {maxLength: 6}).map((ls) => ls.join('\n') + '\n')

    test('the catalog has templated specs to extract', () => expect(templated.length).toBeGreaterThan(0))

    test.each(templated.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
      const fn = SH_EXTRACTORS[`${spec.expand!.from} ${spec.expand!.match}`]!
      const samples = fc.sample(text, {numRuns: 60, seed: 42})
      const dir = mkdtempSync(join(scratch, 'extract-'))
      const runner = ['dump=$1', shFunction(fn), `${fn}`].join('\n')
      let hits = 0
      for (const sample of samples) {
        writeFileSync(join(dir, spec.expand!.from), sample)
        const fromSh = execFileSync('dash', ['-c', runner, 'sh', dir], {
          encoding: 'utf8',
          env: {PATH: '/usr/bin:/bin', LC_ALL: 'C'},
        })
          .split('\n')
          .filter(Boolean)
          .sort()
        const evidence = new Map([
          [spec.expand!.from, {name: spec.expand!.from, present: true as const, text: sample, origin: 'test'}],
        ])
        expect(fromSh, JSON.stringify(sample)).toEqual(expandInstances(spec, evidence))
        if (fromSh.length > 0) hits++
      }

      // The samples must exercise the matching path too, not only the empty one.
      expect(hits).toBeGreaterThan(3)
    })
  },
)
