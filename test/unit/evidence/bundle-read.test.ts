import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {gzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {UsageError} from '../../../src/engine/registry.js'
import {openSource} from '../../../src/evidence/source.js'
import {entrySegments, extractBundle} from '../../../src/evidence/bundle-read.js'
import {header, tarOf, tgzOf, type RawEntry} from './tar-craft.js'

// Every extraction goes under this dir, so the tests can see that nothing is left behind.
let scratch: string
let work: string
const savedTmp = process.env.TMPDIR
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'xenready-read-test-'))
  work = join(scratch, 'work')
  mkdirSync(work)
  mkdirSync(join(scratch, 'tmp'))
  process.env.TMPDIR = join(scratch, 'tmp')
})
afterAll(() => {
  process.env.TMPDIR = savedTmp
  rmSync(scratch, {recursive: true, force: true})
})

const leftovers = () => readdirSync(join(scratch, 'tmp'))
const uname =
  'NetBSD xen0 10.0 NetBSD 10.0 (XEN3_DOM0) #0: Thu Mar 28 08:33:33 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOM0 amd64\n'

function bundleFile(name: string, data: Buffer): string {
  const path = join(work, name)
  writeFileSync(path, data)
  return path
}

async function refusal(data: Buffer, limits = {}): Promise<string> {
  const path = bundleFile(`b-${Math.random().toString(36).slice(2)}.tar.gz`, data)
  try {
    await openSource(path, limits)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(leftovers()).toEqual([])
    return message
  }

  throw new Error('expected a refusal')
}

describe('openSource on a good bundle', () => {
  test('a flat bundle: evidence readable, temp dir private and removed on close', async () => {
    const path = bundleFile(
      'flat.tar.gz',
      tgzOf([
        {name: 'uname.txt', body: uname},
        {name: 'files/etc/', type: '5'},
        {name: 'files/etc/fstab', body: '/dev/wd0a / ffs rw 1 1\n'},
      ]),
    )
    const source = await openSource(path)
    const e = source.evidence.get('uname.txt')
    expect(e.present && e.text).toBe(uname)
    expect(source.evidence.names('files/etc/*')).toEqual(['files/etc/fstab'])
    expect(source.label).toBe(path)
    expect(leftovers()).toHaveLength(1)
    await source.close()
    expect(leftovers()).toEqual([])
  })

  test('a bundle with one top-level directory, made by the tar package', async () => {
    const tar = await import('tar')
    const stage = mkdtempSync(join(scratch, 'stage-'))
    mkdirSync(join(stage, 'xenready-xen0-20240101'))
    writeFileSync(join(stage, 'xenready-xen0-20240101', 'uname.txt'), uname)
    const path = join(work, 'top.tgz')
    await tar.c({gzip: true, cwd: stage, file: path, portable: true}, ['xenready-xen0-20240101'])
    const source = await openSource(path)
    expect(source.evidence.get('uname.txt').present).toBe(true)
    await source.close()
    expect(leftovers()).toEqual([])
  })

  test('`-` reads the bundle from stdin', async () => {
    const source = await openSource('-', {stdin: Readable.from([tgzOf([{name: './uname.txt', body: uname}])])})
    expect(source.evidence.get('uname.txt').present).toBe(true)
    expect(source.label).toBe('-')
    await source.close()
  })

  test('a directory is a dump; a missing path is a usage error', async () => {
    mkdirSync(join(work, 'dump'))
    writeFileSync(join(work, 'dump', 'uname.txt'), uname)
    const source = await openSource(join(work, 'dump'))
    expect(source.evidence.get('uname.txt').present).toBe(true)
    await expect(openSource(join(work, 'nope.tar.gz'))).rejects.toThrow(
      /cannot read .*nope\.tar\.gz: no such file or directory/,
    )
  })
})

describe('refusals, each one line naming the entry', () => {
  test('absolute path', async () => {
    expect(await refusal(tgzOf([{name: '/etc/passwd', body: 'x'}]))).toMatch(
      /entry "\/etc\/passwd" is an absolute path/,
    )
  })

  test('`..` segments, at the start or in the middle', async () => {
    expect(await refusal(tgzOf([{name: '../evil', body: 'x'}]))).toMatch(/entry "\.\.\/evil" has a `\.\.` segment/)
    expect(await refusal(tgzOf([{name: 'files/../../evil', body: 'x'}]))).toMatch(
      /entry "files\/\.\.\/\.\.\/evil" has a `\.\.` segment/,
    )
  })

  test('symbolic links, outside and inside alike', async () => {
    expect(await refusal(tgzOf([{name: 'passwd', type: '2', linkname: '/etc/passwd'}]))).toMatch(
      /entry "passwd" is a symbolic link \(to \/etc\/passwd\)/,
    )
    expect(
      await refusal(
        tgzOf([
          {name: 'uname.txt', body: uname},
          {name: 'u2', type: '2', linkname: 'uname.txt'},
        ]),
      ),
    ).toMatch(/entry "u2" is a symbolic link/)
  })

  test('hard links', async () => {
    expect(await refusal(tgzOf([{name: 'shadow', type: '1', linkname: '/etc/shadow'}]))).toMatch(
      /entry "shadow" is a hard link \(to \/etc\/shadow\)/,
    )
  })

  test('device files and FIFOs', async () => {
    expect(await refusal(tgzOf([{name: 'zero', type: '3'}]))).toMatch(/entry "zero" is a device file/)
    expect(await refusal(tgzOf([{name: 'wd0', type: '4'}]))).toMatch(/entry "wd0" is a device file/)
    expect(await refusal(tgzOf([{name: 'pipe', type: '6'}]))).toMatch(/entry "pipe" is a FIFO/)
  })

  test('a duplicate entry, and a file clashing with a directory', async () => {
    expect(
      await refusal(
        tgzOf([
          {name: 'uname.txt', body: 'a'},
          {name: 'uname.txt', body: 'b'},
        ]),
      ),
    ).toMatch(/entry "uname.txt" appears twice/)
    expect(
      await refusal(
        tgzOf([
          {name: 'files', body: 'a'},
          {name: 'files/etc/fstab', body: 'b'},
        ]),
      ),
    ).toMatch(/entry "files\/etc\/fstab" clashes with another entry/)
    expect(
      await refusal(
        tgzOf([
          {name: 'files', body: 'a'},
          {name: 'files/etc/', type: '5'},
        ]),
      ),
    ).toMatch(/entry "files\/etc\/" clashes with another entry/)
  })

  test('too many entries', async () => {
    const many = Array.from({length: 6}, (_, i) => ({name: `f${i}.txt`, body: 'x'}))
    expect(await refusal(tgzOf(many), {maxBundleFiles: 5})).toMatch(/entry "f5.txt" is past the cap of 5 entries/)
  })

  test('too many bytes: refused on the header, before its content', async () => {
    expect(
      await refusal(
        tgzOf([
          {name: 'a', body: Buffer.alloc(600)},
          {name: 'b', body: Buffer.alloc(600)},
        ]),
        {maxBundleBytes: 1000},
      ),
    ).toMatch(/entry "b" takes the content past the cap of 1000 bytes/)
    // A header claiming 8 GB is refused without reading any of it.
    expect(await refusal(gzipSync(header({name: 'huge', size: 8 * 1024 ** 3})))).toMatch(
      /entry "huge" takes the content past the cap of 256 MB/,
    )
  })

  test('a gzip bomb stops as soon as the cap is crossed, without inflating the rest', async () => {
    // 1000 files of 1 MB of zeros: 1 GB inflated, ~1 MB compressed (gzip members concatenate).
    const zeros = gzipSync(Buffer.alloc(1024 * 1024))
    const members: Buffer[] = []
    for (let i = 0; i < 1000; i++) members.push(gzipSync(header({name: `z${i}`, size: 1024 * 1024})), zeros)
    const bomb = Buffer.concat(members)
    let consumed = 0
    const input = Readable.from(
      (function* () {
        for (let off = 0; off < bomb.length; off += 16 * 1024) {
          consumed = off
          yield bomb.subarray(off, off + 16 * 1024)
        }
      })(),
    )
    const started = performance.now()
    await expect(extractBundle(input, 'bomb', {maxBundleBytes: 10 * 1024 * 1024})).rejects.toThrow(
      /entry "z10" takes the content past the cap of 10 MB/,
    )
    expect(consumed).toBeLessThan(bomb.length / 10)
    expect(performance.now() - started).toBeLessThan(5000)
    expect(leftovers()).toEqual([])
  })

  test('a bomb of padding after the archive end is stopped too', async () => {
    const chunks = [gzipSync(tarOf([{name: 'uname.txt', body: uname}])), gzipSync(Buffer.alloc(64 * 1024 * 1024))]
    expect(await refusal(Buffer.concat(chunks), {maxBundleBytes: 1024 * 1024, maxBundleFiles: 10})).toMatch(
      /inflates to more than .*a gzip bomb/,
    )
  })

  test('corrupt, truncated and non-gzip input', async () => {
    const good = tgzOf([{name: 'uname.txt', body: uname.repeat(200)}])
    const corrupt = Buffer.from(good)
    for (let i = 20; i < 60; i++) corrupt[i] = corrupt[i]! ^ 0xff
    expect(await refusal(corrupt)).toMatch(/^bundle .*: the gzip stream is corrupt/)
    expect(await refusal(good.subarray(0, Math.floor(good.length / 2)))).toMatch(
      /^bundle .*: the gzip stream is truncated/,
    )
    expect(await refusal(Buffer.from('uname.txt\nnot a bundle\n'))).toMatch(/^bundle .*: it is not gzip-compressed/)
    expect(await refusal(Buffer.alloc(0))).toMatch(/^bundle .*: the gzip stream is truncated/)
  })

  test('a truncated or garbage tar inside a good gzip', async () => {
    const cut = tarOf([{name: 'uname.txt', body: 'x'.repeat(100), size: 4000}], false)
    expect(await refusal(gzipSync(cut))).toMatch(/^bundle .*: not a valid tar archive/)
    expect(await refusal(gzipSync(Buffer.alloc(2048, 'garbage ')))).toMatch(/^bundle .*: not a valid tar archive/)
    expect(await refusal(gzipSync(Buffer.alloc(1024)))).toMatch(/not a valid tar archive|is empty/)
  })

  test('the refusal names the bundle on stdin too', async () => {
    await expect(openSource('-', {stdin: Readable.from([tgzOf([{name: '/x', body: 'x'}])])})).rejects.toThrow(
      /^bundle on stdin: entry "\/x" is an absolute path$/,
    )
    expect(leftovers()).toEqual([])
  })
})

describe('entrySegments', () => {
  test('normalizes harmless spellings and refuses the rest', () => {
    expect(entrySegments('./a//b/./c')).toEqual({segments: ['a', 'b', 'c']})
    for (const bad of [
      '/a',
      'C:/x',
      'a\\..\\b',
      'a/\0',
      '..',
      'a/..',
      ...[Array.from({length: 40}, () => 'd').join('/')],
    ]) {
      expect(entrySegments(bad)).toHaveProperty('refusal')
    }
  })

  test('never throws and never lets `..` or an absolute path through', async () => {
    const fc = await import('fast-check')
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = entrySegments(s)
        if ('segments' in r) {
          expect(r.segments).not.toContain('..')
          expect(s.startsWith('/')).toBe(false)
        }
      }),
    )
  })
})

test('nothing was left in the temp dir', () => {
  expect(existsSync(join(scratch, 'tmp'))).toBe(true)
  expect(leftovers()).toEqual([])
})

export type {RawEntry}
