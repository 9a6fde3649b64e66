// Issue 20, "never lose data, never go green on nothing": the bars, run through the built CLI as a user would.
import {createHash} from 'node:crypto'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {dumpPath, ROOT} from '../helpers.js'
import {xenready} from './run.js'

const tmp = mkdtempSync(join(tmpdir(), 'xenready-e2e-safety-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const HOWTO = dumpPath('howto-core2-vmx')
const EXAMPLE = join(ROOT, 'examples/dumps/synthetic-netbsd10-xen420-dom0')

/** A real bundle (what `collect` writes), made by `bundle redact` from the example dump. */
function bundle(name: string): string {
  const path = join(tmp, name)
  const r = xenready(['bundle', 'redact', EXAMPLE, '--output', path])
  expect(r.status).toBe(0)
  return path
}

/** Exit 2 and exactly one line on stderr, matching `line`. */
function refused(r: {status: number | null; stdout: string; stderr: string}, line: RegExp): void {
  expect(r.status).toBe(2)
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(r.stderr).toMatch(line)
}

describe('report files never replace anything else', () => {
  it('check --json existing.tar.gz leaves the bundle byte-identical and exits 2 with one line', () => {
    const b = bundle('mybundle.tar.gz')
    const before = sha256(b)
    const r = xenready(['check', '--json', b])
    refused(r, /--json takes no value .*use --json-file FILE; to check a dump or bundle use --from /)
    expect(r.stdout).toBe('')
    expect(sha256(b)).toBe(before)
    // What the user meant works, and still leaves it alone.
    const meant = xenready(['check', '--from', b, '--json'])
    expect(JSON.parse(meant.stdout).source).toBe(b)
    expect(sha256(b)).toBe(before)
  })

  it('a report flag naming a bundle, a config or an input is refused before the run; an earlier report is replaced', () => {
    const b = bundle('other.tar.gz')
    const before = sha256(b)
    refused(
      xenready(['check', '--from', HOWTO, '--json-file', b]),
      /--json-file .*other\.tar\.gz: exists and is a gzip file \(a bundle\?\), not a JSON report; refusing to overwrite it/,
    )
    refused(xenready(['check', '--from', HOWTO, '--junit', b]), /refusing to overwrite it/)
    refused(xenready(['check', '--from', b, '--format', 'markdown', '--output', b]), /is also an input of this run/)
    expect(sha256(b)).toBe(before)
    const conf = join(tmp, 'nbsd')
    writeFileSync(conf, 'kernel = "/netbsd-XEN3_DOMU"\n')
    refused(xenready(['check', '--from', HOWTO, '--markdown', conf]), /not a Markdown report; refusing/)
    const report = join(tmp, 'r.json')
    expect(xenready(['check', '--from', HOWTO, '--json-file', report]).status).toBe(0)
    expect(xenready(['check', '--from', HOWTO, '--json-file', report]).status).toBe(0)
    expect(JSON.parse(readFileSync(report, 'utf8')).source).toBe(HOWTO)
  })

  it("a destination that cannot be written is refused before anything runs, naming the user's path", () => {
    const bad = join(tmp, 'no/such/dir/r.xml')
    const r = xenready(['check', '--junit', bad])
    refused(
      r,
      new RegExp(
        `^xenready: --junit ${bad}: cannot write there: directory ${join(tmp, 'no/such/dir')} does not exist\\n$`,
      ),
    )
    expect(r.stdout).toBe('')
  })
})

describe('collect and bundle redact never replace their input or an existing file', () => {
  it('collect --output on an existing file refuses without --force, before collecting', () => {
    const existing = bundle('existing.tar.gz')
    const before = sha256(existing)
    refused(xenready(['collect', '--quiet', '--output', existing]), /already exists; add --force to replace it/)
    const config = join(tmp, 'config.tar.gz')
    writeFileSync(config, 'memory = 256\n')
    refused(xenready(['collect', '--quiet', '--output', config, '--force']), /not a bundle; refusing to overwrite it/)
    refused(
      xenready(['collect', '--quiet', '--output', join(tmp, 'missing/b.tar.gz')]),
      /cannot write there: directory .* does not exist/,
    )
    expect(sha256(existing)).toBe(before)
    expect(readFileSync(config, 'utf8')).toBe('memory = 256\n')
  })

  it('bundle redact B -o B refuses, also through a symbolic link', () => {
    const b = bundle('b.tar.gz')
    const before = sha256(b)
    refused(xenready(['bundle', 'redact', b, '-o', b]), /is the input of this run/)
    refused(xenready(['bundle', 'redact', b, '-o', b, '--force']), /is the input of this run/)
    const link = join(tmp, 'link.tar.gz')
    symlinkSync(b, link)
    refused(xenready(['bundle', 'redact', link, '-o', b, '--force']), /is the input of this run/)
    expect(sha256(b)).toBe(before)
  })
})

describe('never green on nothing', () => {
  it('check --from <empty dir>, a directory of unrelated files, or /etc: exit 2 with one line pointing to docs/dump-format.md', () => {
    const empty = join(tmp, 'empty')
    mkdirSync(empty)
    const r = xenready(['check', '--from', empty])
    refused(r, /is not a dump: it holds no files \(expected files such as uname\.txt, .*see docs\/dump-format\.md\)/)
    expect(r.stdout).toBe('')
    const unrelated = join(tmp, 'unrelated')
    mkdirSync(unrelated)
    writeFileSync(join(unrelated, 'notes.txt'), 'hello\n')
    refused(xenready(['check', unrelated, '--json']), /holds none of the evidence files xenready reads/)
    refused(xenready(['check', '--from', '/etc']), /^xenready: \/etc is not a dump/)
  })

  it('an empty source named in a fleet makes the run exit 2; --recursive still skips empty directories', () => {
    const empty = join(tmp, 'fleet-empty')
    mkdirSync(empty)
    const named = xenready(['check', '--from', empty, '--from', HOWTO])
    expect(named.status).toBe(2)
    expect(named.stdout).toMatch(/UNREADABLE: .*is not a dump/)
    const root = join(tmp, 'fleet')
    mkdirSync(join(root, 'nothing'), {recursive: true})
    cpSync(HOWTO, join(root, 'howto'), {recursive: true})
    const recursive = xenready(['check', '-r', root, '--json'])
    expect(recursive.status).toBe(0)
    expect(JSON.parse(recursive.stdout).summary.dumps).toBe(1)
  })

  it('evidence that exists but cannot be read is unknown with the reason; the rest is checked', () => {
    const dump = join(tmp, 'dir-as-file')
    cpSync(HOWTO, dump, {recursive: true})
    writeFileSync(
      join(dump, 'uname.txt'),
      'NetBSD h 10.1 NetBSD 10.1 (GENERIC) #0: Mon Dec 16 13:08:11 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC amd64\n',
    )
    rmSync(join(dump, 'cpuctl-identify.txt'))
    mkdirSync(join(dump, 'cpuctl-identify.txt'))
    symlinkSync(join(tmp, 'nowhere'), join(dump, 'dmesg.boot'))
    const r = xenready(['check', dump, '--only', 'cpu.hvm', '--target', 'hvm', '--json'])
    expect(r.status).toBe(0)
    const f = JSON.parse(r.stdout).findings[0]
    expect(f.status).toBe('unknown')
    expect(f.message).toContain('cpuctl-identify.txt is a directory in the dump, where a file was expected')
    expect(f.message).toContain('dmesg.boot is a symbolic link, which a dump may not contain')
  })
})

describe('a PATH argument is --from', () => {
  it('check DUMP gives the report of check --from DUMP; several paths are a fleet', () => {
    const a = JSON.parse(xenready(['check', HOWTO, '--json']).stdout)
    const b = JSON.parse(xenready(['check', '--from', HOWTO, '--json']).stdout)
    expect({...a, generated: ''}).toEqual({...b, generated: ''})
    const fleet = JSON.parse(xenready(['check', HOWTO, EXAMPLE, '--json']).stdout)
    expect(fleet).toMatchObject({kind: 'fleet', summary: {dumps: 2}})
  })
})

describe('--domu FILE and explain errors', () => {
  it('check --domu web.txt checks the file whatever its name', () => {
    const web = join(tmp, 'web.txt')
    writeFileSync(web, 'name = "web"\nkernel = "/netbsd-XEN3_DOMU"\nmemory = 128\n= broken\n')
    const r = xenready(['check', '--from', EXAMPLE, '--domu', web, '--only', 'domu.syntax', '--json'])
    expect(r.status).toBe(1)
    expect(JSON.parse(r.stdout).findings.find((f: {subject?: string}) => f.subject === 'web.txt')).toMatchObject({
      status: 'fail',
    })
  })

  it('explain X --json on an error: one line on stderr, nothing on stdout, exit 2, like every command', () => {
    const r = xenready(['explain', 'no.such', '--json'])
    refused(r, /^xenready: no check is named "no\.such"/)
    expect(r.stdout).toBe('')
    const parse = xenready(['probes', '--json', '--bogus'])
    expect(parse.status).toBe(2)
    expect(parse.stdout).toBe('')
  })
})
