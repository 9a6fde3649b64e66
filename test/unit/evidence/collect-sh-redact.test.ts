import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, test} from 'vitest'
import {REDACTION_KINDS, redactFiles} from '../../../src/evidence/redact.js'
import {FIXTURES, ROOT} from '../../helpers.js'
import {requireTool} from '../../support/tools.js'
import {awkVariants} from './fake-host.js'

/**
 * The awk port of src/evidence/redact.ts (scripts/collect/redact.awk, assembled into
 * scripts/xenready-collect.sh), run by every awk at hand
 * (NetBSD's awk is the one true awk, Debian's original-awk; mawk; busybox awk) against the TypeScript:
 * the same bytes and the same counts. The whole collector is compared with collect() in collect-sh.test.ts.
 */

const program = readFileSync(join(ROOT, 'scripts/collect/redact.awk'), 'utf8')
const scratch = mkdtempSync(join(tmpdir(), 'xenready-redact-awk-test-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

const AWKS = awkVariants(scratch)

interface Texts {
  files: Map<string, string>
  /** stderr heads and errors, redacted after the files, in this order. */
  manifest: string[]
}

function redactTs({files, manifest}: Texts): {
  files: Map<string, string>
  manifest: string[]
  counts: Record<string, number>
} {
  const r = redactFiles(files)
  const redacted = manifest.map((t) => r.redactor.redact(t))
  return {files: r.files, manifest: redacted, counts: r.redactor.counts()}
}

let run = 0
function redactAwk(
  awkDir: string,
  {files, manifest}: Texts,
): {files: Map<string, string>; manifest: string[]; counts: Record<string, number>} {
  const dir = join(scratch, `run-${run++}`)
  const list: string[] = []
  const texts = [
    ...[...files.keys()].sort().map((name) => ['f', name, files.get(name)!] as const),
    ...manifest.map((t) => ['m', '-', t] as const),
  ]
  texts.forEach(([kind, name, text], i) => {
    const input = join(dir, 'in', kind === 'f' ? name : `m${i}`)
    mkdirSync(dirname(input), {recursive: true})
    writeFileSync(input, text)
    list.push([kind, text.endsWith('\n') ? '1' : '0', name, input, join(dir, `out-${i}`)].join('\t'))
  })
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'redact.awk'), program!)
  writeFileSync(join(dir, 'texts'), list.map((l) => `${l}\n`).join(''))
  const stdout = execFileSync(join(awkDir, 'awk'), ['-f', join(dir, 'redact.awk'), join(dir, 'texts')], {
    encoding: 'utf8',
    env: {PATH: '/usr/bin:/bin', LC_ALL: 'C'},
  })
  const out = texts.map((_, i) => readFileSync(join(dir, `out-${i}`), 'utf8'))
  rmSync(dir, {recursive: true, force: true})
  return {
    files: new Map(texts.filter(([k]) => k === 'f').map(([, name], i) => [name, out[i]!])),
    manifest: out.slice(files.size),
    counts: JSON.parse(`{${stdout}}`) as Record<string, number>,
  }
}

function readTree(root: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of readdirSync(join(root, rel), {withFileTypes: true})) {
    const name = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) for (const [k, v] of readTree(root, name)) out.set(k, v)
    else out.set(name, readFileSync(join(root, name), 'utf8'))
  }

  return out
}

// Pieces of evidence text: identifiers of every kind, near misses, and the characters next to them
// that the look-arounds decide on.
const identifiers = [
  '00:1b:21:3a:4f:5e',
  '00:1B:21:3A:4F:5E',
  '00:00:00:00:00:00',
  'FF:ff:ff:ff:ff:ff',
  '00:16:3e:aa:bb:cc:dd',
  '192.168.1.10',
  '10.0.0.1',
  '127.0.0.1',
  '0.0.0.0',
  '255.255.255.0',
  '999.1.1.1',
  '010.1.2.3',
  '10.1.2.3',
  '224.0.0.1',
  '1.2.3.4.5',
  '1234.1.1.1',
  'fe80::1',
  '::1',
  '::',
  ':::',
  '2a01:4f8:1:2::3',
  '2A01:4F8:1:2::3',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  'abcde::1',
  'fe80::21b:21ff:fe3a:4f5e',
  '4c4c4544-0058-4b10-8032-b7c04f513132',
  '4C4C4544-0058-4B10-8032-B7C04F513132',
  '8086:1e31',
  '12:34:56',
  '0000:03:00.0',
  'xenkernel-4.18.0.1',
  '178bfbff:f6d8320b:2e500800:244037ff:0000000f:219c91a9:00400004:00000500',
]
const serials = [
  'serial',
  'Serial',
  'SERIAL',
  'serial number',
  'Serial Number',
  'serial#',
  'serial no.',
  'serial_no',
  'serial-No.',
  'system-serial',
  'serialnumber',
  'serial #',
  'S4EVNF0M123456X',
  '7XK2Q12',
  '0x1f2e3d',
  '0X1F2E',
  'ABCD',
  'AB12',
  'A1',
  '1234',
  '_12',
  'a.b-1',
]
const homes = ['/home/', '/usr/home/', '/home/home/', 'alice', 'Alice', 'bob.x', 'c-', 'd_', '/home//']
const hosts = [
  'box',
  'Box',
  'box.example.org',
  'box.lan',
  'xen0',
  'netbsd',
  'Netbsd',
  'dom0',
  'b',
  'box-1',
  '"box"',
  "'box.lan'",
  '"',
  'host1',
]
const glue = [
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  '\n',
  '\r',
  '.',
  '-',
  '_',
  '/',
  ':',
  '=',
  '#',
  ',',
  '"',
  "'",
  'x',
  'z',
  '9',
  '0',
  'é',
  '\u00a0',
  'ŝerial',
]
const piece = fc.oneof(
  {weight: 3, arbitrary: fc.constantFrom(...glue)},
  fc.constantFrom(...identifiers),
  fc.constantFrom(...serials),
  fc.constantFrom(...homes),
  fc.constantFrom(...hosts),
)
const text = fc.array(piece, {maxLength: 24}).map((p) => p.join(''))
// The files hostnames are learnt from, in the shapes they come in (and some they should not).
const hostLine = fc
  .tuple(
    fc.constantFrom('', ' ', '\t', '"', ' \t'),
    fc.constantFrom(...hosts),
    fc.constantFrom('', ' ', '\r', '"', '\t# x', 'x y'),
  )
  .map((p) => p.join(''))
const learnFiles = fc.record(
  {
    'uname.txt': fc
      .tuple(
        fc.constantFrom('NetBSD ', 'NetBSD \t', 'NetBSD\n', ' NetBSD ', 'Linux ', ''),
        hostLine,
        fc.constantFrom(' 10.0 NetBSD 10.0 (XEN3_DOM0) amd64\n', '\n', ''),
      )
      .map((p) => p.join('')),
    'files/etc/rc.conf': fc
      .array(
        fc.oneof(
          fc
            .tuple(fc.constantFrom('hostname=', ' hostname=', '\thostname=', '#hostname=', 'hostname ='), hostLine)
            .map((p) => p.join('')),
          text,
        ),
        {maxLength: 4},
      )
      .map((l) => l.join('\n')),
    'files/etc/myname': fc
      .array(fc.oneof(hostLine, fc.constantFrom('# comment', '', '  ', '#box')), {maxLength: 3})
      .map((l) => l.join('\n')),
    'files/etc/hostname': hostLine,
    'hostname.txt': hostLine,
    'sysctl.txt': fc
      .array(
        fc
          .tuple(
            fc.constantFrom(
              'kern.hostname = ',
              'kern.hostname:',
              'kern.hostname\t=\t',
              'kern.hostnam = ',
              'kern.hostname ',
              'kern.ostype = ',
            ),
            hostLine,
          )
          .map((p) => p.join('')),
        {maxLength: 3},
      )
      .map((l) => l.join('\n')),
  },
  {requiredKeys: []},
)
const otherFiles = fc.dictionary(
  fc.constantFrom(
    'dmesg.boot',
    'files/etc/ifconfig.wm0',
    'files/usr/pkg/etc/xen/nbsd1',
    'ls-paths.txt',
    'xl-info.txt',
    'a/b',
  ),
  text,
  {maxKeys: 4},
)
const texts: fc.Arbitrary<Texts> = fc
  .tuple(learnFiles, otherFiles, fc.array(text, {maxLength: 3}))
  .map(([learn, other, manifest]) => ({
    files: new Map<string, string>([...Object.entries(learn), ...Object.entries(other)] as Array<[string, string]>),
    manifest,
  }))

describe('the awk redaction of scripts/xenready-collect.sh gives the bytes and counts of redact.ts', () => {
  test('the program is in the assembled script, and portable', () => {
    expect(program).toMatch(/^# The POSIX awk port/)
    expect(readFileSync(join(ROOT, 'scripts/xenready-collect.sh'), 'utf8')).toContain(
      `<<'REDACT_AWK'\n${program}REDACT_AWK\n`,
    )
    // No interval expressions (the one true awk of older NetBSD releases has none) and no gawk functions.
    const code = program
      .split('\n')
      .filter((l) => !/^\s*#/.test(l))
      .join('\n')
    expect(code).not.toMatch(/\{\d/)
    expect(code).not.toMatch(
      /\b(gensub|strftime|systime|asort|asorti|patsplit|and|or|xor|lshift|rshift|length\(\w+\) in)\(|\b(IGNORECASE|FPAT|BEGINFILE|ENDFILE|PROCINFO)\b/,
    )
  })

  for (const awk of AWKS) {
    test.skipIf(!awk.available)(
      `${awk.name}: random evidence (every kind, near misses, look-around neighbours; hostnames learnt from every source)`,
      () => {
        fc.assert(
          fc.property(texts, (t) => {
            const ts = redactTs(t)
            const ak = redactAwk(awk.dir, t)
            expect(ak.files).toEqual(ts.files)
            expect(ak.manifest).toEqual(ts.manifest)
            expect(ak.counts).toEqual(ts.counts)
          }),
          {numRuns: 150, seed: 4242},
        )
      },
      120_000,
    )

    test.skipIf(!awk.available)(
      `${awk.name}: every fixture dump, with stderr heads`,
      () => {
        let redactedSomething = 0
        for (const name of readdirSync(join(FIXTURES, 'dumps'))) {
          const files = readTree(join(FIXTURES, 'dumps', name))
          files.delete('README.md')
          const t = {
            files,
            manifest: [
              'ls: /home/carol/x: No such file or directory\n',
              'xl: 00:16:3e:12:34:56 on box 10.9.8.7',
              'not found: xl',
            ],
          }
          const ts = redactTs(t)
          const ak = redactAwk(awk.dir, t)
          expect(ak.files, name).toEqual(ts.files)
          expect(ak.manifest, name).toEqual(ts.manifest)
          expect(ak.counts, name).toEqual(ts.counts)
          if (REDACTION_KINDS.some((k) => k !== 'user' && k !== 'mac' && k !== 'ipv4' && ts.counts[k]! > 0))
            redactedSomething++
        }

        expect(redactedSomething).toBeGreaterThan(3)
      },
      120_000,
    )
  }

  // .ci/run installs original-awk and busybox (and sets XENREADY_REQUIRE_TOOLS=1, so that neither can go missing
  // there).
  test.skipIf(requireTool('original-awk') || requireTool('busybox'))(
    'at least two of those awks are installed here, the one true awk among them',
    () => {
      expect(AWKS.filter((a) => a.available).map((a) => a.name)).toContain('original-awk')
      expect(AWKS.filter((a) => a.available).length).toBeGreaterThanOrEqual(2)
    },
  )
})

describe.skipIf(requireTool('dash', 'the sh collector run under dash'))(
  'the sh collector orders its manifest entries as collect() does (localeCompare)',
  () => {
    const fn = readFileSync(join(ROOT, 'scripts/collect/30-manifest.sh'), 'utf8').match(
      /^entry_order\(\) \{\n[\s\S]*?^\}\n/m,
    )?.[0]
    test('on random evidence names', () => {
      expect(fn).toBeDefined()
      const name = fc.stringMatching(/^[A-Za-z0-9._/-]{1,12}$/)
      const dir = join(scratch, 'order')
      mkdirSync(dir)
      fc.assert(
        fc.property(fc.uniqueArray(name, {minLength: 2, maxLength: 12}), (names) => {
          writeFileSync(join(dir, 'names'), names.map((n, i) => `${i + 1}\t${n}\n`).join(''))
          const order = execFileSync('dash', ['-c', `work=$1\n${fn}\nentry_order`, 'sh', dir], {
            encoding: 'utf8',
            env: {PATH: '/usr/bin:/bin', LC_ALL: 'C'},
          })
          const fromSh = order
            .split('\n')
            .filter(Boolean)
            .map((n) => names[Number(n) - 1])
          expect(fromSh).toEqual([...names].sort((a, b) => a.localeCompare(b)))
        }),
        {numRuns: 100, seed: 11},
      )
      // A hundred dash runs: on a loaded CI machine more than the default 30 s.
    }, 180_000)
  },
)
