/**
 * Loads the CommonJS bundle of the CLI with a V8 code cache beside it: the cache holds the bytecode of
 * every function a typical run compiled, so a cold start skips parsing and compiling the CLI. Node 20
 * has no module compile cache of its own (`module.enableCompileCache` came in Node 22), so the bundle goes
 * through `vm.Script`, whose `cachedData` is the stable way to hand V8 a cache.
 *
 * The cache is written only beside the bundle, never to a shared temporary directory: V8 checks that a
 * cache fits the V8 build, not who wrote it, so it must be as trusted as the code itself. Of the source,
 * V8 checks only the length, so the cache file starts with a CRC-32 of the bundle it was made from (the
 * check Node 22's own compile cache makes) and the bundle file's identity when the cache was written
 * (device, inode, size, and modification and change times in nanoseconds). While that identity holds,
 * the bundle has not been written since (any write moves its change time, which no program can set), so
 * the CRC is not computed: loading node:zlib and hashing the bundle was 2% of a start-up. A bundle that was
 * copied (an install) is checked by its CRC, and the header gets its new identity at exit. A cache made by
 * another Node version or for another bundle is not used: the bundle compiles as usual and the cache is
 * rewritten at exit (atomically), when the directory is writable.
 *
 * The bundle holds no import() of its own (scripts/build.mjs turns each into a call of the
 * `__xenreadyImport` it is given): Node 20 loses a script's import() callback when the script comes from
 * a cache. This module's own import() resolves what the bundle asks for.
 */
import {isAscii} from 'node:buffer'
import {accessSync, constants as fsConstants, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import vm from 'node:vm'

/** What loading did: for tests and for bench/startup.mjs's check that the cache is in use. */
export type CacheState = 'used' | 'written' | 'rejected' | 'unwritable' | 'off'

export interface Loaded {
  exports: unknown
  cache: CacheState
  /**
   * Writes the cache when this load made none it could use ('written', 'rejected'); otherwise does
   * nothing. Best called at exit, when the cache also holds the functions the run compiled lazily.
   */
  save(): void
}

/** XENREADY_CODE_CACHE=off loads without a cache and writes none (for debugging, and to measure the difference). */
export function loadWithCodeCache(file: string, cacheFile: string): Loaded {
  const bytes = readFileSync(file)
  const enabled = process.env.XENREADY_CODE_CACHE !== 'off'
  let found: Buffer | undefined
  if (enabled) {
    try {
      found = readFileSync(cacheFile)
    } catch {
      found = undefined
    }
  }

  const id = enabled ? identity(file) : undefined
  let crc: number | undefined | null = null
  const bundleCrc = () => (crc === null ? (crc = crc32(bytes)) : crc)
  let cachedData: Buffer | undefined
  let restamp = false
  if (found && id && found.length > HEADER_BYTES && found.toString('latin1', 0, 4) === TAG) {
    if (found.subarray(8, HEADER_BYTES).equals(id)) cachedData = found.subarray(HEADER_BYTES)
    else if (found.readUInt32LE(4) === bundleCrc()) {
      cachedData = found.subarray(HEADER_BYTES)
      restamp = true
    }
  }

  // The build makes the bundle all ASCII: a one-byte string, decoded without UTF-8's work.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')

  // Node's CommonJS wrapper, plus the import function: the bundle sees exactly what `require` would give it.
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __xenreadyImport) {${source}\n})`,
    {
      filename: file,
      ...(cachedData ? {cachedData} : {}),
    },
  )
  const module = {exports: {} as unknown}
  const importer = (specifier: string): Promise<unknown> => import(specifier)
  ;(script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
    importer,
  )

  let cache: CacheState
  if (!enabled) cache = 'off'
  else if (cachedData && !script.cachedDataRejected) cache = 'used'
  else if (writable(dirname(cacheFile))) cache = found ? 'rejected' : 'written'
  else cache = 'unwritable'

  const save = () => {
    const data =
      cache === 'used' && restamp && writable(dirname(cacheFile))
        ? cachedData!
        : cache === 'written' || cache === 'rejected'
          ? script.createCachedData()
          : undefined
    const sum = data && bundleCrc()
    // zlib.crc32 came in Node 20.15: an older Node runs on without writing a cache it could not check.
    if (data && sum !== undefined && id) writeCache(cacheFile, Buffer.concat([cacheHeader(sum, id), data]))
  }

  return {exports: module.exports, cache, save}
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, fsConstants.W_OK)
    // For root, access() says yes to a regular file too.
    return statSync(dir).isDirectory()
  } catch {
    return false
  }
}

const TAG = 'XRC2'
/** Tag, CRC-32, then the identity: five 64-bit numbers. */
const HEADER_BYTES = 8 + 5 * 8

/** The bundle file as the file system knows it: device, inode, size, modification and change times (ns). */
function identity(file: string): Buffer | undefined {
  try {
    const st = statSync(file, {bigint: true})
    const out = Buffer.alloc(5 * 8)
    for (const [i, n] of [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].entries()) out.writeBigUInt64LE(n, i * 8)
    return out
  } catch {
    return undefined
  }
}

/** CRC-32 of the bundle; node:zlib is loaded only when an identity does not settle it. */
function crc32(bytes: Buffer): number | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require('node:zlib') as typeof import('node:zlib')
  return typeof zlib.crc32 === 'function' ? zlib.crc32(bytes) : undefined
}

/** The cache file's first bytes: a format tag, the CRC-32 of the bundle the cache was made from, its identity. */
function cacheHeader(crc: number, id: Buffer): Buffer {
  const header = Buffer.alloc(8)
  header.write(TAG, 0, 'latin1')
  header.writeUInt32LE(crc, 4)
  return Buffer.concat([header, id])
}

function writeCache(cacheFile: string, contents: Buffer): void {
  // Unique per process and thread ('wx' refuses to reuse a name); the rename replaces the cache atomically.
  const temp = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`
  try {
    writeFileSync(temp, contents, {flag: 'wx'})
    renameSync(temp, cacheFile)
  } catch {
    // A cache is an optimisation: a full disk or a concurrent install must not fail the run (this runs at exit).
    try {
      rmSync(temp, {force: true})
    } catch {
      // Nothing was written, or nothing can be removed: either way nothing more to do.
    }
  }
}
