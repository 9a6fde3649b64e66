#!/usr/bin/env node
// Builds xenready's dom0 driver tables (src/plugins/hardware/tables/<branch>.json) from NetBSD kernel
// configuration files: which device drivers GENERIC and the PV dom0 kernel (XEN3_DOM0, i386 XEN3PAE_DOM0)
// carry, and what each attaches at.
//
//   node scripts/gen-driver-tables.mjs /usr/src --branch netbsd-10        # a NetBSD source tree
//   node scripts/gen-driver-tables.mjs --fetched DIR                       # DIR/<branch>/sys/... files saved by hand
//
// In --fetched mode DIR/<branch>/commits.json may map a path (sys/arch/amd64/conf/XEN3_DOM0) to the
// commit it was read at, either as a plain commit hash (a NetBSD/src commit) or as {repo, commit, note} for a
// copy read in a mirror or fork of NetBSD/src (note: how its branch was identified); an include that is not
// there is recorded under `unread` instead of failing (a source tree has every file, so there a missing
// `include` is an error, as it is for config(1)). DIR/<branch>/branch.json may add {"note": "..."}: what the
// table as a whole stands for (for HEAD, the date it was read at).
// NetBSD's own files are never copied into xenready: only the derived table and their provenance.
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The kernel configurations each table describes, by `arch/NAME`. */
export const KERNELS = ['amd64/GENERIC', 'amd64/XEN3_DOM0', 'i386/GENERIC', 'i386/XEN3PAE_DOM0']

/** `foo*`, `foo0`, `foo?` → `foo`: config(1) instance names end in a unit number or a wildcard. */
export function baseName(word) {
  return word.replace(/[*?]$/, '').replace(/\d+$/, '')
}

/** Splits one configuration line into words, keeping quoted strings whole; `#` starts a comment outside quotes. */
export function words(line) {
  const out = []
  const re = /"((?:[^"\\]|\\.)*)"|(#.*)|(\S+)/g
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[2] !== undefined) break
    out.push(m[1] !== undefined ? m[1] : m[3])
  }

  return out
}

/**
 * Parses configuration text into statements. Pure: `include`/`cinclude` come back as statements for the
 * caller to follow. Unknown keywords (options, makeoptions, file-system, maxusers, config, ident...) are
 * ignored: they add no device.
 */
export function parseConfigText(text) {
  const out = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const w = words(lines[i])
    if (w.length === 0) continue
    const line = i + 1
    if ((w[0] === 'include' || w[0] === 'cinclude') && w[1]) {
      out.push({kind: w[0], path: w[1], line})
    } else if (w[0] === 'pseudo-device' && w[1]) {
      out.push({kind: 'pseudo', name: w[1], line})
    } else if (w[0] === 'no' && w[1] === 'pseudo-device' && w[2]) {
      out.push({kind: 'no-pseudo', name: w[2], line})
    } else if (w[0] === 'no' && w[1] && !/^(options|makeoptions|file-system|config|select)$/.test(w[1])) {
      // `no wd* at atabus?` removes one attachment; `no wd` (or `no wd*`) removes the device everywhere.
      const parent = w[2] === 'at' && w[3] ? baseName(w[3]) : undefined
      out.push({kind: 'no-device', name: baseName(w[1]), parent, line})
    } else if (w.length >= 3 && w[1] === 'at' && /^[a-z_][a-z0-9_]*[0-9*?]?$/i.test(w[0])) {
      out.push({kind: 'device', name: baseName(w[0]), parent: baseName(w[2]), line})
    }
  }

  return out
}

/** The $NetBSD$ RCS id line of a file, and the revision in it. */
export function rcsId(text) {
  const m = /\$NetBSD: (\S+),v (\S+) (\S+ \S+) (\S+) Exp \$/.exec(text)
  return m ? {id: m[0], revision: m[2], date: m[3]} : undefined
}

/**
 * Reads one kernel configuration with everything it includes. `read(path)` returns the text of a path
 * relative to sys/ or undefined when there is no such file. config(1) resolves include paths against the
 * source tree's sys/ directory (`include "arch/amd64/conf/std.amd64"`); a bare name is tried next to the
 * including file as well.
 */
export function buildTable(rootPath, read, {lenient = false} = {}) {
  const drivers = new Map()
  const pseudo = new Set()
  const files = []
  const unread = []
  const seen = new Set()
  const visit = (path, fromDir, optional) => {
    const candidates = [path, join(fromDir, path)]
    const found = candidates.find((p) => read(p) !== undefined)
    if (found === undefined) {
      if (optional) return
      if (!lenient) throw new Error(`${path}: included but not found (looked in sys/ and ${fromDir})`)
      unread.push(path)
      return
    }

    if (seen.has(found)) return
    seen.add(found)
    const text = read(found)
    const id = rcsId(text)
    files.push({path: `sys/${found}`, ...(id ? {revision: id.revision, rcsid: id.id} : {})})
    for (const s of parseConfigText(text)) {
      if (s.kind === 'include' || s.kind === 'cinclude') visit(s.path, dirname(found), s.kind === 'cinclude')
      else if (s.kind === 'pseudo') pseudo.add(s.name)
      else if (s.kind === 'no-pseudo') pseudo.delete(s.name)
      else if (s.kind === 'device') {
        const parents = drivers.get(s.name) ?? new Set()
        parents.add(s.parent)
        drivers.set(s.name, parents)
      } else if (s.kind === 'no-device') {
        if (s.parent) drivers.get(s.name)?.delete(s.parent)
        if (!s.parent || drivers.get(s.name)?.size === 0) drivers.delete(s.name)
      }
    }
  }
  visit(rootPath, dirname(rootPath), false)
  const sorted = Object.fromEntries([...drivers.keys()].sort().map((k) => [k, [...drivers.get(k)].sort()]))
  return {files, ...(unread.length ? {unread} : {}), drivers: sorted, pseudo: [...pseudo].sort()}
}

function tableForTree(sysDir, branch, commits, lenient, note) {
  const read = (p) => {
    const file = join(sysDir, p)
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined
  }
  const kernels = {}
  const missing = []
  for (const k of KERNELS) {
    const [arch, name] = k.split('/')
    const path = `arch/${arch}/conf/${name}`
    if (read(path) === undefined) {
      missing.push(`sys/${path}`)
      continue
    }

    const t = buildTable(path, read, {lenient})
    for (const f of t.files) Object.assign(f, provenance(commits[f.path]))
    kernels[k] = t
  }

  return {
    schema: 1,
    branch,
    generator: 'scripts/gen-driver-tables.mjs',
    ...(note ? {note} : {}),
    kernels,
    ...(missing.length ? {missing} : {}),
  }
}

/**
 * One commits.json entry as provenance fields: a bare hash is a NetBSD/src commit; an object names the
 * repository (a mirror or fork) and may say how the copy's branch was identified. Anything else is an error:
 * a table must not carry provenance nobody can follow.
 */
export function provenance(entry) {
  if (entry === undefined) return {}
  if (typeof entry === 'string' && /^[0-9a-f]{40}$/.test(entry)) return {commit: entry}
  if (
    entry &&
    typeof entry === 'object' &&
    typeof entry.commit === 'string' &&
    /^[0-9a-f]{40}$/.test(entry.commit) &&
    (entry.repo === undefined ||
      (typeof entry.repo === 'string' && /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(entry.repo))) &&
    (entry.note === undefined || typeof entry.note === 'string')
  ) {
    return {
      ...(entry.repo && entry.repo !== 'NetBSD/src' ? {repo: entry.repo} : {}),
      commit: entry.commit,
      ...(entry.note ? {note: entry.note} : {}),
    }
  }

  throw new Error(`commits.json: ${JSON.stringify(entry)} is neither a commit hash nor {repo, commit, note}`)
}

function writeJson(file, value) {
  mkdirSync(dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  // One line per driver and per file: small, and a regenerated table diffs line by line.
  const text = JSON.stringify(value, null, 1).replace(
    /\[\n\s*("[^"\n]*"(?:,\n\s*"[^"\n]*")*)\n\s*\]/g,
    (_, list) => `[${list.replace(/,\n\s*/g, ', ')}]`,
  )
  writeFileSync(tmp, `${text}\n`)
  renameSync(tmp, file)
}

function main(argv) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  let out = join(root, 'src/plugins/hardware/tables')
  let branch
  let fetched
  const rest = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = resolve(argv[++i] ?? '')
    else if (argv[i] === '--branch') branch = argv[++i]
    else if (argv[i] === '--fetched') fetched = resolve(argv[++i] ?? '')
    else if (argv[i] === '-h' || argv[i] === '--help') rest.push('--help')
    else rest.push(argv[i])
  }

  const usage =
    'usage: node scripts/gen-driver-tables.mjs SRCDIR --branch netbsd-10 [--out DIR] | --fetched DIR [--out DIR]'
  if (rest.includes('--help')) return void console.log(usage)
  if (fetched) {
    for (const b of readdirSync(fetched).sort()) {
      const sys = join(fetched, b, 'sys')
      if (!existsSync(sys)) continue
      const commitsFile = join(fetched, b, 'commits.json')
      const commits = existsSync(commitsFile) ? JSON.parse(readFileSync(commitsFile, 'utf8')) : {}
      const branchFile = join(fetched, b, 'branch.json')
      const note = existsSync(branchFile) ? JSON.parse(readFileSync(branchFile, 'utf8')).note : undefined
      if (note !== undefined && typeof note !== 'string') throw new Error(`${branchFile}: "note" must be a string`)
      const table = tableForTree(sys, b, commits, true, note)
      writeJson(join(out, `${b}.json`), table)
      console.log(
        `${b}: ${Object.keys(table.kernels).join(', ') || 'no kernel configuration'} → ${join(out, `${b}.json`)}`,
      )
    }

    return
  }

  if (rest.length !== 1 || !branch || !/^(netbsd-\d+|HEAD)$/.test(branch)) throw new Error(usage)
  const sys = join(resolve(rest[0]), 'sys')
  if (!existsSync(join(sys, 'arch'))) throw new Error(`${rest[0]}: not a NetBSD source tree (no sys/arch)`)
  const table = tableForTree(sys, branch, {}, false)
  writeJson(join(out, `${branch}.json`), table)
  console.log(`${branch}: ${Object.keys(table.kernels).join(', ')} → ${join(out, `${branch}.json`)}`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2))
  } catch (error) {
    console.error(`gen-driver-tables: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(2)
  }
}
