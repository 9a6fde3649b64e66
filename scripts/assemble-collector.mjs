#!/usr/bin/env node
// Assembles the shipped sh collector, scripts/xenready-collect.sh, from its parts in scripts/collect/:
// the *.sh files in name order, where a line `#@include FILE` stands for FILE's text (redact.awk, the
// awk port of the redaction, which the tests also run on its own). One file ships, so a host without
// Node or git needs only that file; each piece is written once, here.
//   node scripts/assemble-collector.mjs           write the script when it differs (atomically)
//   node scripts/assemble-collector.mjs --check   exit 1 when the committed script is not the assembly
import {readFileSync, readdirSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const PARTS = join(root, 'scripts/collect')
export const SCRIPT = join(root, 'scripts/xenready-collect.sh')

/** The script's text from the parts in `dir`. */
export function assembleCollector(dir = PARTS) {
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith('.sh'))
    .sort()
  if (parts.length === 0) throw new Error(`no *.sh parts in ${dir}`)
  return parts
    .map((name) =>
      readFileSync(join(dir, name), 'utf8').replace(/^#@include (\S+)\n/gm, (_, file) => {
        const text = readFileSync(join(dir, file), 'utf8')
        if (!text.endsWith('\n')) throw new Error(`${file}: the included text must end with a newline`)
        return text
      }),
    )
    .join('')
}

/** Writes the script when it differs; in `check` mode only says whether it does. True when it was current. */
export function updateCollector({check = false} = {}) {
  const fresh = assembleCollector()
  let current = ''
  try {
    current = readFileSync(SCRIPT, 'utf8')
  } catch {}
  if (current === fresh) return true
  if (!check) {
    const tmp = `${SCRIPT}.${process.pid}.tmp`
    writeFileSync(tmp, fresh, {mode: 0o644})
    renameSync(tmp, SCRIPT)
  }
  return false
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  const current = updateCollector({check})
  if (check && !current) {
    console.error(
      'scripts/xenready-collect.sh is not the assembly of scripts/collect/: run `node scripts/assemble-collector.mjs` and commit it',
    )
    process.exit(1)
  }
  console.log(`scripts/xenready-collect.sh: ${current ? 'up to date' : 'assembled from scripts/collect/'}`)
}
