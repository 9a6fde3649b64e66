#!/usr/bin/env node
// Cold start-up of a single dump check, against the floor of starting Node itself (`node -e 0`),
// both measured in this run, interleaved so that machine load affects both alike. The same check without
// the V8 code cache (XENREADY_CODE_CACHE=off) is measured too, to show what the cache brings; the run
// stops if the built CLI does not use its cache (a stale or missing cache would make the figure a lie).
// Usage: node bench/startup.mjs [--runs N] [--json]
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 21
const fixture = join(root, 'test/fixtures/dumps/howto-core2-vmx')
// A private plugin data dir: user-linked plugins must not skew the figure.
const env = {...process.env, XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'xenready-bench-')), NO_COLOR: '1'}

function time(argv, extraEnv = {}) {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, argv, {env: {...env, ...extraEnv}, stdio: ['ignore', 'pipe', 'pipe']})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`)
  return ms
}

const cacheState = spawnSync(
  process.execPath,
  ['-e', `process.stdout.write(require(${JSON.stringify(join(root, 'dist/startup/cli.cjs'))}).codeCache)`],
  {env, encoding: 'utf8'},
)
if (cacheState.stdout !== 'used')
  throw new Error(
    `the built CLI does not start from its code cache (${cacheState.stdout || cacheState.stderr}): run npm run build`,
  )

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const floor = []
const check = []
const uncached = []
const cli = [join(root, 'bin/run.js'), 'check', '--from', fixture, '--format', 'json']
time(cli) // warm the file cache once
for (let i = 0; i < runs; i++) {
  floor.push(time(['-e', '0']))
  check.push(time(cli))
  uncached.push(time(cli, {XENREADY_CODE_CACHE: 'off'}))
}

export const result = {runs, floorMs: median(floor), checkMs: median(check), noCodeCacheMs: median(uncached)}
result.ratio = result.checkMs / result.floorMs
result.noCodeCacheRatio = result.noCodeCacheMs / result.floorMs
if (args.includes('--json')) console.log(JSON.stringify(result))
else {
  console.log(
    `startup: node -e 0 median ${result.floorMs.toFixed(1)} ms; xenready check --from <fixture> --format json median ${result.checkMs.toFixed(1)} ms`,
  )
  console.log(`startup: ratio ${result.ratio.toFixed(2)} (goal <= 2.0) over ${runs} interleaved runs`)
  console.log(
    `startup: without the code cache ${result.noCodeCacheMs.toFixed(1)} ms, ratio ${result.noCodeCacheRatio.toFixed(2)}`,
  )
}
