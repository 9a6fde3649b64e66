import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {UsageError} from '../../../src/engine/registry.js'
import {
  checkBundleDestination,
  checkDestinations,
  isOutputOfKind,
  refuseToClobber,
  writeFileAtomic,
} from '../../../src/reports/output.js'
import {buildReport} from '../../../src/reports/report.js'
import {renderJunit} from '../../../src/reports/junit.js'
import {renderSarif} from '../../../src/reports/sarif.js'
import {renderMarkdown} from '../../../src/reports/markdown.js'
import {renderText} from '../../../src/reports/text.js'

const tmp = mkdtempSync(join(tmpdir(), 'xenready-clobber-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const report = buildReport({
  version: '0.1.0',
  source: 'dump/',
  target: 'dom0',
  findings: [{id: 'cpu.hvm', plugin: 'cpu', title: 'HVM', status: 'pass', message: 'ok', evidence: [], remedy: ''}],
  pluginErrors: [],
})
const buf = (text: string) => Buffer.from(text)
const GZIP = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0])

describe('isOutputOfKind: only an earlier report of the same kind may be replaced', () => {
  it('recognises what xenready writes, kind by kind', () => {
    expect(isOutputOfKind(buf(JSON.stringify(report, null, 2)), 'json')).toBe(true)
    expect(isOutputOfKind(buf(renderJunit([report], {failOn: 'fail'})), 'junit')).toBe(true)
    expect(isOutputOfKind(buf(renderSarif([report], [])), 'sarif')).toBe(true)
    expect(isOutputOfKind(buf(renderMarkdown(report)), 'markdown')).toBe(true)
    expect(isOutputOfKind(buf(renderText(report, {color: false})), 'text')).toBe(true)
    expect(isOutputOfKind(GZIP, 'bundle')).toBe(true)
  })

  it("refuses other kinds, bundles, configs and strangers' JSON", () => {
    expect(isOutputOfKind(buf(renderSarif([report], [])), 'json')).toBe(false)
    expect(isOutputOfKind(buf(JSON.stringify(report)), 'sarif')).toBe(false)
    expect(isOutputOfKind(GZIP, 'json')).toBe(false)
    expect(isOutputOfKind(GZIP, 'text')).toBe(false)
    expect(isOutputOfKind(buf('{"name": "my-app", "version": "1.0.0"}'), 'json')).toBe(false)
    expect(isOutputOfKind(buf('kernel = "/netbsd-XEN3_DOMU"\nmemory = 256\n'), 'markdown')).toBe(false)
    expect(isOutputOfKind(buf('<?xml version="1.0"?>\n<project/>\n'), 'junit')).toBe(false)
    expect(isOutputOfKind(buf('cpu0: features1 0xbfebfbff\n'), 'bundle')).toBe(false)
  })
})

describe('refuseToClobber and checkDestinations', () => {
  it('refuses a bundle, a config or a directory as a report file, and leaves the file untouched', () => {
    const bundle = join(tmp, 'mybundle.tar.gz')
    writeFileSync(bundle, GZIP)
    expect(() => refuseToClobber({path: bundle, kind: 'json', flag: '--json-file'})).toThrow(
      '--json-file ' +
        bundle +
        ': exists and is a gzip file (a bundle?), not a JSON report; refusing to overwrite it (remove it or choose another name)',
    )
    expect(readFileSync(bundle)).toEqual(GZIP)
    const conf = join(tmp, 'nbsd')
    writeFileSync(conf, 'kernel = "/netbsd"\n')
    expect(() => refuseToClobber({path: conf, kind: 'markdown', flag: '--markdown'})).toThrow(UsageError)
    expect(() => refuseToClobber({path: tmp, kind: 'junit', flag: '--junit'})).toThrow(/is a directory/)
  })

  it('replaces an earlier report of the same kind, an empty file, or nothing', () => {
    const earlier = join(tmp, 'r.json')
    writeFileAtomic(earlier, JSON.stringify(report, null, 2))
    expect(() => refuseToClobber({path: earlier, kind: 'json', flag: '--json-file'})).not.toThrow()
    const empty = join(tmp, 'empty.xml')
    writeFileSync(empty, '')
    expect(() =>
      checkDestinations([
        {path: empty, kind: 'junit', flag: '--junit'},
        {path: join(tmp, 'new.sarif'), kind: 'sarif', flag: '--sarif'},
      ]),
    ).not.toThrow()
  })

  it('refuses an input, the same file twice, and a place that cannot be written, before anything runs', () => {
    const input = join(tmp, 'in.tar.gz')
    writeFileSync(input, GZIP)
    expect(() => checkDestinations([{path: input, kind: 'json', flag: '--json-file'}], [input])).toThrow(
      /is also an input of this run/,
    )
    expect(() =>
      checkDestinations([
        {path: join(tmp, 'a.json'), kind: 'json', flag: '--json-file'},
        {path: join(tmp, 'a.json'), kind: 'sarif', flag: '--sarif'},
      ]),
    ).toThrow('--json-file and --sarif name the same file')
    expect(() => checkDestinations([{path: join(tmp, 'no/such/dir/r.xml'), kind: 'junit', flag: '--junit'}])).toThrow(
      `--junit ${join(tmp, 'no/such/dir/r.xml')}: cannot write there: directory ${join(tmp, 'no/such/dir')} does not exist`,
    )
  })
})

describe('checkBundleDestination', () => {
  it('an existing bundle needs --force; another kind of file, or the input (also through a link), never', () => {
    const b = join(tmp, 'b.tar.gz')
    writeFileSync(b, GZIP)
    expect(() => checkBundleDestination({path: b, flag: '--output'})).toThrow(
      `--output ${b}: already exists; add --force to replace it`,
    )
    expect(() => checkBundleDestination({path: b, flag: '--output', force: true})).not.toThrow()
    const notBundle = join(tmp, 'x.tar.gz')
    writeFileSync(notBundle, 'name = "x"\n')
    expect(() => checkBundleDestination({path: notBundle, flag: '--output', force: true})).toThrow(
      /refusing to overwrite it/,
    )
    const link = join(tmp, 'link.tar.gz')
    symlinkSync(b, link)
    expect(() => checkBundleDestination({path: b, flag: '--output', force: true}, [link])).toThrow(
      /is the input of this run/,
    )
    expect(() => checkBundleDestination({path: join(tmp, 'b.zip'), flag: '--output'})).toThrow(
      /a bundle name ends in .tar.gz or .tgz/,
    )
    const full = join(tmp, 'full')
    mkdirSync(full)
    writeFileSync(join(full, 'f'), '')
    expect(() => checkBundleDestination({path: full, flag: '--dir', dir: true})).toThrow(/not an empty directory/)
  })
})
