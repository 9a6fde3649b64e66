#!/usr/bin/env node
// Live collection on this host: the wall time of gathering every evidence the plugins declare
// (what `xenready check` does before checking), against the slowest single evidence command measured
// in the same run. Collection runs in parallel, so the ratio should stay near 1 (goal <= 1.5).
// Also prints the whole `xenready check` process against `node -e 0`, for reference.
// Usage: node bench/live.mjs [--runs N] [--json]     (needs `npm run build` first)
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 7
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href)
const {collect, hostOs} = await dist('evidence/collect.js')
const {evidenceCatalog} = await dist('engine/catalog.js')
const {buildRegistry} = await dist('engine/registry.js')
const hook = await dist('xenready-register.mjs')
const registry = buildRegistry([{package: 'xenready', result: await hook.default({apiVersion: 1})}], [])
const specs = evidenceCatalog(registry)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const walls = []
const slowest = []
let last
for (let i = 0; i < runs + 1; i++) {
  const start = performance.now()
  const {entries} = await collect(specs, {os: hostOs(), timeoutMs: 10_000, concurrency: 8})
  const wall = performance.now() - start
  if (i === 0) continue // warm-up: the first run pays for loading execa and systeminformation
  walls.push(wall)
  const top = entries.reduce((a, b) => (b.durationMs > a.durationMs ? b : a))
  slowest.push(top.durationMs)
  last = {entries: entries.length, slowestName: top.name}
}

const env = {...process.env, XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'xenready-bench-')), NO_COLOR: '1'}
const time = (argv) => {
  const start = process.hrtime.bigint()
  spawnSync(process.execPath, argv, {env, stdio: 'ignore'})
  return Number(process.hrtime.bigint() - start) / 1e6
}

const floor = []
const check = []
for (let i = 0; i < runs; i++) {
  floor.push(time(['-e', '0']))
  check.push(time([join(root, 'bin/run.js'), 'check', '--format', 'json']))
}

export const result = {
  os: hostOs(),
  evidence: last.entries,
  collectMs: median(walls),
  slowestCommandMs: median(slowest),
  slowestCommand: last.slowestName,
  checkProcessMs: median(check),
  floorMs: median(floor),
}
result.ratio = result.collectMs / Math.max(1, result.slowestCommandMs)
if (args.includes('--json')) console.log(JSON.stringify(result))
else {
  console.log(
    `live: collecting ${result.evidence} pieces of evidence on ${result.os} took ${result.collectMs.toFixed(0)} ms; the slowest single one (${result.slowestCommand}) ${result.slowestCommandMs} ms: ratio ${result.ratio.toFixed(2)} (goal <= 1.5)`,
  )
  console.log(
    `live: the whole \`xenready check\` process ${result.checkProcessMs.toFixed(0)} ms against node -e 0 ${result.floorMs.toFixed(0)} ms (${(result.checkProcessMs / result.floorMs).toFixed(2)}x)`,
  )
}
