#!/usr/bin/env node
// Generates a fleet of fixture dumps for bench/fleet.mjs: variants of test/fixtures/dumps, so the
// checks meet the real outputs they were built on, with changes that move findings around
// (files dropped, dumps merged, lines appended, features removed). Deterministic: same N, same tree.
// Usage: node bench/gen-dumps.mjs OUT_DIR [--count N]
import {mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {buildOverlays} from '../test/support/dump-overlays.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = join(root, 'test/fixtures/dumps')

function filesOf(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesOf(path, base) : [relative(base, path)]
  })
}

/** A small LCG: reproducible without a dependency. */
function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

const evidenceOf = (files) =>
  Object.keys(files)
    .filter((f) => f !== 'README.md')
    .sort()

export function generateDumps(out, count) {
  // Fixture dumps stored as overlays exist only once built.
  buildOverlays()
  const bases = readdirSync(fixtures)
    .filter((d) => statSync(join(fixtures, d)).isDirectory())
    .sort()
    .map((name) => ({
      name,
      files: Object.fromEntries(
        filesOf(join(fixtures, name)).map((f) => [f, readFileSync(join(fixtures, name, f), 'utf8')]),
      ),
    }))
  if (bases.length === 0) throw new Error(`no fixture dumps in ${fixtures}`)
  rmSync(out, {recursive: true, force: true})
  mkdirSync(out, {recursive: true})
  const random = rng(count)
  for (let i = 0; i < count; i++) {
    const base = bases[i % bases.length]
    const files = {...base.files}
    const variant = Math.floor(random() * 5)
    if (variant === 1) {
      // Merge another dump's files: more evidence, different CPU sources competing.
      const other = bases[Math.floor(random() * bases.length)]
      for (const [name, text] of Object.entries(other.files)) files[name] ??= text
    } else if (variant === 2 && evidenceOf(files).length > 1) {
      // Drop one evidence file: some checks go unknown (never the last one: a README alone is not a dump).
      const names = evidenceOf(files)
      delete files[names[Math.floor(random() * names.length)]]
    } else if (variant === 3) {
      // Lose the virtualisation features: cpu.hvm fails.
      for (const name of Object.keys(files)) files[name] = files[name].replace(/\b(VMX|SVM|vmx|svm)\b/g, 'XXX')
    } else if (variant === 4) {
      // Trailing noise, as a truncated or concatenated capture would have.
      for (const name of Object.keys(files)) files[name] += `\n# host ${i} <&"|>\n`
    }

    // Group them like a real fleet: site/rack/host.
    const dir = join(
      out,
      `site${i % 4}`,
      `rack${Math.floor(i / 4) % 10}`,
      `host${String(i).padStart(4, '0')}-${base.name}`,
    )
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), {recursive: true})
      writeFileSync(join(dir, name), text)
    }
  }

  return out
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const out = args.find((a) => !a.startsWith('--') && a !== args[args.indexOf('--count') + 1])
  if (!out) {
    console.error('usage: node bench/gen-dumps.mjs OUT_DIR [--count N]')
    process.exit(2)
  }

  const count = args.includes('--count') ? Number(args[args.indexOf('--count') + 1]) : 1000
  generateDumps(resolve(out), count)
  console.log(`${count} dumps in ${out}`)
}
