#!/usr/bin/env node
// The floor under a fleet check, for bench/fleet.mjs: what any checker must do for the same fleet and the same
// output, with no check at all. It finds the dumps (dist/cli/discover.js, as `check --recursive` does), reads
// every file of each (as src/evidence/dump.ts does: one readdir per directory, each file whole) and writes one
// report's JSON per dump, indented as the fleet JSON is, to stdout. The report is a real one from the fleet run,
// given as a file. What the fleet check takes beyond this floor is the CLI's start-up and the checks themselves.
// Usage: node bench/fleet-floor.mjs FLEET_DIR REPORT_JSON_FILE
import {readdirSync, readFileSync, writeSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const {findDumps} = await import(join(root, 'dist/cli/discover.js'))
const [fleet, reportFile] = process.argv.slice(2)
const report = JSON.parse(readFileSync(reportFile, 'utf8'))
const readAll = (dir) => {
  let bytes = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) bytes += readAll(path)
    else if (entry.isFile()) bytes += readFileSync(path, 'utf8').length
  }

  return bytes
}

for (const dump of findDumps(fleet)) {
  readAll(dump)
  writeSync(1, `${JSON.stringify({r: [{...report, source: dump}]}, null, 2)}\n`)
}
