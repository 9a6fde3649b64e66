#!/usr/bin/env node
// Writes docs/checks.md from the registered built-in checks (id, title, targets, evidence, remedy).
// Reads the compiled code: run `npm run build` first. `--check` only compares and exits 1 when stale.
import {readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const {renderChecksDoc} = await import(join(root, 'dist/reports/checks-doc.js'))
const {builtinPlugins} = await import(join(root, 'dist/plugins/index.js'))
const file = join(root, 'docs/checks.md')
const text = renderChecksDoc(builtinPlugins)
if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(file, 'utf8')
  } catch {}

  if (current !== text) {
    console.error('docs/checks.md is stale: run `npm run build && node scripts/gen-checks-doc.mjs`')
    process.exit(1)
  }

  console.log('docs/checks.md is up to date')
} else {
  writeFileSync(file, text)
  console.log(`docs/checks.md: ${text.split('\n').filter((l) => l.startsWith('### ')).length} checks`)
}
