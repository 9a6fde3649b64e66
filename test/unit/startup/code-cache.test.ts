import {spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import ts from 'typescript'
import {crc32} from 'node:zlib'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {loadWithCodeCache} from '../../../src/startup/code-cache.cjs'
import {ROOT} from '../../helpers.js'
import {tempDir} from '../../support/temp.js'

// A bundle shaped like dist/xenready.cjs: CommonJS, with its import() calls turned into __xenreadyImport.
const BUNDLE = `
exports.answer = 42
exports.where = __filename + '|' + __dirname
exports.hasRequire = typeof require('node:path').join
exports.importPath = async () => Object.keys(await __xenreadyImport('node:path')).includes('join')
`

function fixture(source = BUNDLE): {file: string; cacheFile: string} {
  const dir = tempDir('xenready-cache-')
  const file = join(dir, 'bundle.cjs')
  writeFileSync(file, source)
  return {file, cacheFile: `${file}.v8cache`}
}

/**
 * Loads the bundle in a new Node process with the built loader (dist/, made by `pretest`): V8 can serve
 * a script from its in-process compilation cache, so only another process shows what a cold start sees.
 */
function loadElsewhere(
  file: string,
  cacheFile: string,
  env: NodeJS.ProcessEnv = {},
): {cache: string; answer: number; imported: boolean} {
  const loader = join(ROOT, 'dist/startup/code-cache.cjs')
  const script = `const {loadWithCodeCache} = require(${JSON.stringify(loader)})
const l = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)})
l.exports.importPath().then((imported) => {
  process.stdout.write(JSON.stringify({cache: l.cache, answer: l.exports.answer, imported}))
  l.save()
})`
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: {...process.env, XENREADY_CODE_CACHE: '', ...env},
  })
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout)
}

/** A cache file with the given tag and the bundle's right CRC-32 in a header of `size` bytes, then data V8 refuses. */
function badCache(file: string, tag: string, size: number): Buffer {
  const header = Buffer.alloc(size)
  header.write(tag, 0, 'latin1')
  header.writeUInt32LE(crc32(readFileSync(file)), 4)
  return Buffer.concat([header, Buffer.alloc(4096, 0xa5)])
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('loadWithCodeCache', () => {
  it('writes a cache on the first load and uses it on the next cold start, import() included', async () => {
    vi.stubEnv('XENREADY_CODE_CACHE', '')
    const {file, cacheFile} = fixture()
    const first = loadWithCodeCache(file, cacheFile)
    const exports = first.exports as {answer: number; where: string; hasRequire: string; importPath(): Promise<boolean>}
    expect(first.cache).toBe('written')
    expect(existsSync(cacheFile)).toBe(false)
    expect(exports.answer).toBe(42)
    expect(exports.where).toBe(`${file}|${join(file, '..')}`)
    expect(exports.hasRequire).toBe('function')
    // Compiled before the cache is made, so the next process runs it from the cache: the case Node 20 breaks
    // for a script's own import().
    expect(await exports.importPath()).toBe(true)
    first.save()
    expect(readFileSync(cacheFile).length).toBeGreaterThan(0)

    expect(loadElsewhere(file, cacheFile)).toEqual({cache: 'used', answer: 42, imported: true})
  })

  it('rejects a corrupt cache, still loads, and replaces the cache', () => {
    const {file, cacheFile} = fixture()
    writeFileSync(cacheFile, 'not a V8 code cache at all')
    expect(loadElsewhere(file, cacheFile)).toEqual({cache: 'rejected', answer: 42, imported: true})
    expect(loadElsewhere(file, cacheFile)).toEqual({cache: 'used', answer: 42, imported: true})
  })

  it('rejects a cache whose header fits but whose V8 data does not (another Node, or damage)', () => {
    const {file, cacheFile} = fixture()
    // Tag, the right CRC-32, an identity of no file (so the CRC decides), then bad V8 data.
    writeFileSync(cacheFile, badCache(file, 'XRC2', 48))
    expect(loadElsewhere(file, cacheFile)).toEqual({cache: 'rejected', answer: 42, imported: true})
    expect(loadElsewhere(file, cacheFile).cache).toBe('used')
  })

  // V8 itself compares only the source's length: 42 -> 43 keeps it, the CRC-32 in the cache header does not.
  it('rejects a cache made for other source of the same length (a rebuilt bundle)', () => {
    const {file, cacheFile} = fixture()
    expect(loadElsewhere(file, cacheFile).cache).toBe('written')
    writeFileSync(file, BUNDLE.replace('42', '43'))
    expect(loadElsewhere(file, cacheFile)).toEqual({cache: 'rejected', answer: 43, imported: true})
    expect(loadElsewhere(file, cacheFile).cache).toBe('used')
  })

  it('uses a cache for a copied bundle (an install) by its CRC, then stamps the copy in its header', () => {
    const {file, cacheFile} = fixture()
    expect(loadElsewhere(file, cacheFile).cache).toBe('written')
    const copy = fixture()
    cpSync(cacheFile, copy.cacheFile)
    const before = readFileSync(copy.cacheFile)
    expect(loadElsewhere(copy.file, copy.cacheFile)).toEqual({cache: 'used', answer: 42, imported: true})
    const after = readFileSync(copy.cacheFile)
    // The same CRC and V8 data; the identity (bytes 8-47: device, inode, size, times) is now the copy's.
    expect(after.subarray(0, 8)).toEqual(before.subarray(0, 8))
    expect(after.subarray(48)).toEqual(before.subarray(48))
    expect(after.subarray(8, 48).equals(before.subarray(8, 48))).toBe(false)
    expect(loadElsewhere(copy.file, copy.cacheFile).cache).toBe('used')
    expect(readFileSync(copy.cacheFile)).toEqual(after)
  })

  it('refuses a cache of an older format (XRC1) and replaces it', () => {
    const {file, cacheFile} = fixture()
    writeFileSync(cacheFile, badCache(file, 'XRC1', 8))
    expect(loadElsewhere(file, cacheFile).cache).toBe('rejected')
    expect(readFileSync(cacheFile).subarray(0, 4).toString('latin1')).toBe('XRC2')
  })

  it('neither reads nor writes a cache with XENREADY_CODE_CACHE=off', () => {
    const {file, cacheFile} = fixture()
    writeFileSync(cacheFile, 'garbage that must stay as it is')
    expect(loadElsewhere(file, cacheFile, {XENREADY_CODE_CACHE: 'off'})).toEqual({
      cache: 'off',
      answer: 42,
      imported: true,
    })
    expect(readFileSync(cacheFile, 'utf8')).toBe('garbage that must stay as it is')
  })

  it.skipIf(process.getuid?.() === 0)('leaves an unwritable directory alone', () => {
    const {file, cacheFile} = fixture()
    chmodSync(join(file, '..'), 0o555)
    try {
      expect(loadElsewhere(file, cacheFile)).toEqual({cache: 'unwritable', answer: 42, imported: true})
      expect(existsSync(cacheFile)).toBe(false)
    } finally {
      chmodSync(join(file, '..'), 0o755)
    }
  })

  // The same branch, reachable as root too: a cache path whose directory cannot be written (it is a file).
  it('runs without a cache, and writes none, where the cache cannot go', () => {
    const {file} = fixture()
    expect(loadElsewhere(file, join(file, 'cache.v8cache'))).toEqual({cache: 'unwritable', answer: 42, imported: true})
  })

  it('never throws from save(), which runs at exit, when the cache cannot be written after all', () => {
    vi.stubEnv('XENREADY_CODE_CACHE', '')
    const {file, cacheFile} = fixture()
    const loaded = loadWithCodeCache(file, cacheFile)
    expect(loaded.cache).toBe('written')
    // The directory is gone by exit time and a file stands in its place: writing and cleaning up both fail.
    const dir = join(file, '..')
    rmSync(dir, {recursive: true})
    writeFileSync(dir, 'not a directory')
    expect(() => loaded.save()).not.toThrow()
    rmSync(dir)
  })

  it('lets an error thrown while loading reach the caller', () => {
    const {file, cacheFile} = fixture('throw new Error("broken bundle")')
    expect(() => loadWithCodeCache(file, cacheFile)).toThrow('broken bundle')
  })
})

describe('the built CLI', () => {
  it('starts from the code cache the build made', () => {
    const cli = join(ROOT, 'dist/startup/cli.cjs')
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `const m = require(${JSON.stringify(cli)}); process.stdout.write(m.codeCache + ' ' + Object.keys(m.COMMANDS).join(','))`,
      ],
      {
        encoding: 'utf8',
        env: {...process.env, XENREADY_CODE_CACHE: ''},
      },
    )
    expect(r.stderr).toBe('')
    const [cache, commands] = r.stdout.split(' ')
    expect(cache).toBe('used')
    expect(commands!.split(',')).toEqual(expect.arrayContaining(['check', 'collect', 'bundle:inspect']))
  })

  it('holds no import() of its own: Node 20 would lose its callback when the script comes from the cache', () => {
    const path = join(ROOT, 'dist/xenready.cjs')
    const source = readFileSync(path, 'utf8')
    const file = ts.createSourceFile(path, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS)
    const calls: string[] = []
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
        calls.push(node.getText(file))
      ts.forEachChild(node, visit)
    }
    visit(file)
    expect(calls).toEqual([])
    expect(source).toContain('__xenreadyImport(')
  })
})
