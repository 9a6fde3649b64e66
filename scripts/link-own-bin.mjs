#!/usr/bin/env node
// Run by `prepare` (npm install / npm ci in a clone): links the package's own command into its
// node_modules/.bin, which npm does only for dependencies. Without it, `npx xenready` in a clone finds no
// local `xenready`, and npm exec installs the clone itself into its cache as a file: dependency, running
// this package's prepare (the whole build) again: 30 to 90 seconds on the first run, a few seconds on each
// later one. With it, npx runs bin/run.js at once, as it runs any dependency's command.
import {existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync} from 'node:fs'
import {dirname, join, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// Installed as somebody's dependency (a git dependency's prepare runs in a clone; npm links its bin itself).
if (root.split(sep).includes('node_modules') || !existsSync(join(root, 'node_modules'))) process.exit(0)
const binDir = join(root, 'node_modules/.bin')
const link = join(binDir, 'xenready')
const target = join('..', '..', 'bin', 'run.js')
try {
  mkdirSync(binDir, {recursive: true})
  let current
  try {
    current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined
  } catch {}

  if (current !== target) {
    rmSync(link, {force: true})
    symlinkSync(target, link)
  }
} catch (error) {
  // Not fatal: `node bin/run.js` works anyway, and npx falls back to installing the clone.
  console.warn(`link-own-bin: could not link ${link}: ${error.message}`)
}
