#!/usr/bin/env node
// Fixture dumps as overlays (issue 14 item 12). A "broken variant of X" is stored in test/fixtures/overlays/<name>/
// as overlay.json ({"base": "X", "remove": [...], "note": "..."}) plus only the files it replaces or adds, in
// the dump's own layout. Before the tests (vitest globalSetup) and the benchmarks, each overlay is built into
// test/fixtures/dumps/<name>/ (ignored by git through test/fixtures/.gitignore), so every test, report and
// golden file keeps naming test/fixtures/dumps/<name>, and a change to the base reaches its variants.
//
//   node test/support/dump-overlays.mjs            build every overlay that changed
//   node test/support/dump-overlays.mjs make NAME BASE [NOTE]
//                                                  turn the plain dump NAME into an overlay of BASE
import {createHash} from 'node:crypto'
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures')
const SPEC = 'overlay.json'
/** What was built, with a hash of its inputs: an unchanged overlay is not rebuilt (concurrent runs stay safe). */
const STAMPS = '.overlays-built.json'
const IGNORE_HEAD =
  '# Generated from overlays/ by test/support/dump-overlays.mjs: built before the tests, never committed.'

/** Every regular file under dir, by relative path ('/'-separated); symbolic links are refused. */
function treeOf(dir, rel = '') {
  const out = new Map()
  for (const e of readdirSync(join(dir, rel), {withFileTypes: true})) {
    const name = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) for (const [k, v] of treeOf(dir, name)) out.set(k, v)
    else if (e.isFile()) out.set(name, join(dir, name))
    else throw new Error(`${join(dir, name)}: a fixture may hold only regular files and directories`)
  }

  return out
}

function readSpec(fixtures, name) {
  const file = join(fixtures, 'overlays', name, SPEC)
  let spec
  try {
    spec = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: ${error.message}`, {cause: error})
  }

  if (typeof spec.base !== 'string' || !spec.base) throw new Error(`${file}: "base" must name a dump`)
  const remove = spec.remove ?? []
  if (!Array.isArray(remove) || remove.some((r) => typeof r !== 'string'))
    throw new Error(`${file}: "remove" must be a list of file names`)
  return {base: spec.base, remove}
}

export function overlayNames(fixtures = FIXTURES) {
  const dir = join(fixtures, 'overlays')
  if (!existsSync(dir)) return []
  return readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
}

/** The files of overlay `name` as built: relative path -> absolute source path. */
export function overlayTree(fixtures, name) {
  const {base, remove} = readSpec(fixtures, name)
  if (existsSync(join(fixtures, 'overlays', base)))
    throw new Error(`overlay ${name}: its base ${base} is itself an overlay; a base must be a plain dump`)
  const baseDir = join(fixtures, 'dumps', base)
  if (!existsSync(baseDir)) throw new Error(`overlay ${name}: base dump ${base} is not in test/fixtures/dumps`)
  const files = treeOf(baseDir)
  for (const r of remove) {
    if (!files.delete(r)) throw new Error(`overlay ${name}: removes ${r}, which base ${base} does not have`)
  }

  for (const [rel, abs] of treeOf(join(fixtures, 'overlays', name))) {
    if (rel === SPEC) continue
    if (remove.includes(rel)) throw new Error(`overlay ${name}: both removes and provides ${rel}`)
    files.set(rel, abs)
  }

  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

export function ignoreText(names) {
  return `${IGNORE_HEAD}\n/${STAMPS}\n${names.map((n) => `/dumps/${n}/`).join('\n')}\n`
}

/**
 * Builds every overlay whose inputs changed since it was last built, each in a temporary directory renamed
 * into place. Returns the names built. Throws (one clear line) on a malformed overlay, a name that is also a
 * plain dump, or a stale test/fixtures/.gitignore.
 */
export function buildOverlays(fixtures = FIXTURES) {
  const names = overlayNames(fixtures)
  const ignore = join(fixtures, '.gitignore')
  const wantIgnore = ignoreText(names)
  if (names.length > 0 && (!existsSync(ignore) || readFileSync(ignore, 'utf8') !== wantIgnore))
    throw new Error(
      `test/fixtures/.gitignore does not list exactly the overlays; run: node test/support/dump-overlays.mjs ignore`,
    )
  const stampFile = join(fixtures, STAMPS)
  let stamps = {}
  try {
    stamps = JSON.parse(readFileSync(stampFile, 'utf8'))
  } catch {}

  const built = []
  for (const name of names) {
    const tree = overlayTree(fixtures, name)
    const hash = createHash('sha256')
    for (const [rel, abs] of tree) hash.update(`${rel}\0`).update(readFileSync(abs)).update('\0')
    const digest = hash.digest('hex')
    const target = join(fixtures, 'dumps', name)
    if (existsSync(target) && stamps[name] === undefined)
      throw new Error(
        `overlay ${name}: test/fixtures/dumps/${name} exists but was not built from overlays/${name}: if it is a plain dump, keep one of the two, else delete it`,
      )
    if (stamps[name] === digest && existsSync(target)) continue
    const tmp = join(fixtures, 'dumps', `.${name}.${process.pid}.tmp`)
    rmSync(tmp, {recursive: true, force: true})
    for (const [rel, abs] of tree) {
      mkdirSync(dirname(join(tmp, rel)), {recursive: true})
      writeFileSync(join(tmp, rel), readFileSync(abs))
    }

    rmSync(target, {recursive: true, force: true})
    renameSync(tmp, target)
    stamps[name] = digest
    built.push(name)
  }

  // Dumps built from overlays that no longer exist.
  for (const name of Object.keys(stamps)) {
    if (names.includes(name)) continue
    rmSync(join(fixtures, 'dumps', name), {recursive: true, force: true})
    delete stamps[name]
  }

  const tmpStamps = `${stampFile}.${process.pid}.tmp`
  writeFileSync(tmpStamps, `${JSON.stringify(stamps, null, 1)}\n`)
  renameSync(tmpStamps, stampFile)
  return built
}

/** Turns the plain dump `name` into an overlay of `base`: keeps only what differs, lists what base has and it lacks. */
export function makeOverlay(fixtures, name, base, note) {
  const dumps = join(fixtures, 'dumps')
  const own = treeOf(join(dumps, name))
  const theirs = treeOf(join(dumps, base))
  const same = (a, b) => readFileSync(a).equals(readFileSync(b))
  const remove = [...theirs.keys()].filter((rel) => !own.has(rel))
  const keep = [...own].filter(([rel, abs]) => !theirs.has(rel) || !same(abs, theirs.get(rel)))
  const dir = join(fixtures, 'overlays', name)
  if (existsSync(dir)) throw new Error(`overlays/${name} exists already`)
  for (const [rel, abs] of keep) {
    mkdirSync(dirname(join(dir, rel)), {recursive: true})
    writeFileSync(join(dir, rel), readFileSync(abs))
  }

  mkdirSync(dir, {recursive: true})
  const spec = {base, ...(remove.length > 0 ? {remove} : {}), ...(note ? {note} : {})}
  writeFileSync(join(dir, SPEC), `${JSON.stringify(spec, null, 2)}\n`)
  rmSync(join(dumps, name), {recursive: true, force: true})
  return {kept: keep.length, removed: remove.length, shared: own.size - keep.length}
}

function writeIgnore(fixtures) {
  writeFileSync(join(fixtures, '.gitignore'), ignoreText(overlayNames(fixtures)))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2)
  try {
    if (cmd === 'make') {
      const [name, base, note] = args
      if (!name || !base) throw new Error('usage: dump-overlays.mjs make NAME BASE [NOTE]')
      if (lstatSync(join(FIXTURES, 'dumps', name)).isSymbolicLink()) throw new Error(`${name} is a symbolic link`)
      console.log(`${name}: ${JSON.stringify(makeOverlay(FIXTURES, name, base, note))}`)
      writeIgnore(FIXTURES)
    } else if (cmd === 'ignore') {
      writeIgnore(FIXTURES)
    } else if (cmd === undefined) {
      const built = buildOverlays(FIXTURES)
      console.log(`built ${built.length} of ${overlayNames(FIXTURES).length} overlays`)
    } else {
      throw new Error(`unknown command ${cmd}; commands: make NAME BASE [NOTE], ignore, or none to build`)
    }
  } catch (error) {
    console.error(`dump-overlays: ${error.message}`)
    process.exit(2)
  }
}
