#!/usr/bin/env node
// Fleet benchmark: 1000 generated dumps (bench/gen-dumps.mjs, variants of test/fixtures/dumps) checked by
// `xenready check --from <dir> --recursive --format json`. Prints dumps per second and the peak RSS, and the
// ratio of the wall time to two floors measured in the same run: `node -e 0`, and bench/fleet-floor.mjs, which
// finds and reads the same dumps and writes a report's JSON for each without checking anything (what is left
// above it is the CLI's start-up and the checks). Goals (issue 14): >= 1,000 dumps/s, < 150 MB peak RSS.
// Peak RSS is the whole process (worker threads share it), from /usr/bin/time -v when present, else from the
// child's own resource usage report (getrusage via process.resourceUsage()).
// Usage: node bench/fleet.mjs [--count N] [--runs N] [--json]
import {spawnSync} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {generateDumps} from './gen-dumps.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const count = option('--count', 1000)
const runs = option('--runs', 5)
const work = mkdtempSync(join(tmpdir(), 'xenready-fleet-bench-'))
const fleetDir = generateDumps(join(work, 'fleet'), count)
const outFile = join(work, 'out.json')
// A private plugin data dir: user-linked plugins must not skew the figure.
const env = {...process.env, XDG_DATA_HOME: join(work, 'data'), NO_COLOR: '1'}
const gnuTime =
  existsSync('/usr/bin/time') &&
  spawnSync('/usr/bin/time', ['-v', 'true'], {encoding: 'utf8'}).stderr.includes('Maximum resident')

/**
 * One run: wall ms and peak RSS in KiB of the measured process. Its standard output goes to a file, as a fleet's
 * JSON does in use (`> fleet.json`): a pipe to this process would add the cost of this process buffering 30 MB.
 */
function measure(argv) {
  const output = openSync(outFile, 'w')
  const stdio = ['ignore', output, 'pipe']
  const start = process.hrtime.bigint()
  let r
  let rssKb
  let cpuS = Number.NaN
  if (gnuTime) {
    r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], {env, encoding: 'utf8', stdio})
    rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1])
    cpuS =
      Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]) +
      Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1])
  } else {
    // Without GNU time: the child reports its own peak (ru_maxrss covers its worker threads) on exit.
    const wrapped = [
      '--import',
      `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss='+process.resourceUsage().maxRSS+'\\n'))`,
      ...argv,
    ]
    r = spawnSync(process.execPath, wrapped, {env, encoding: 'utf8', stdio})
    rssKb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1])
  }

  const ms = Number(process.hrtime.bigint() - start) / 1e6
  closeSync(output)
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`)
  return {ms, rssKb, cpuS}
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const cli = [join(root, 'bin/run.js'), 'check', '--from', fleetDir, '--recursive', '--format', 'json']
const first = measure(cli) // also warms the file cache
const fleet = JSON.parse(readFileSync(outFile, 'utf8'))
if (fleet.summary.dumps !== count) throw new Error(`expected ${count} dumps, the report has ${fleet.summary.dumps}`)
// A report of the run, as the no-check floor writes it for every dump.
const sampleReport = join(work, 'report.json')
writeFileSync(sampleReport, JSON.stringify(fleet.reports[0]))
const noCheckFloor = []
const floor = []
const checks = []
const rss = [first.rssKb]
const cpu = []
for (let i = 0; i < runs; i++) {
  floor.push(measure(['-e', '0']).ms)
  noCheckFloor.push(measure([join(root, 'bench/fleet-floor.mjs'), fleetDir, sampleReport]).ms)
  const m = measure(cli)
  checks.push(m.ms)
  rss.push(m.rssKb)
  cpu.push(m.cpuS)
}

rmSync(work, {recursive: true, force: true})
export const result = {
  dumps: count,
  runs,
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  floorMs: median(floor),
  noCheckFloorMs: median(noCheckFloor),
  checkMs: median(checks),
  dumpsPerSecond: count / (median(checks) / 1000),
  peakRssMb: Math.max(...rss) / 1024,
  rssSource: gnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS',
  // CPU seconds (user + system) of the whole run: with the machine busy with other work, wall time overstates the cost.
  cpuSeconds: median(cpu),
  loadAverage: loadavg()[0],
}
result.ratio = result.checkMs / result.floorMs
result.noCheckRatio = result.checkMs / result.noCheckFloorMs
if (args.includes('--json')) console.log(JSON.stringify(result))
else {
  console.log(
    `fleet: ${count} dumps in ${result.checkMs.toFixed(0)} ms (median of ${runs}): ${result.dumpsPerSecond.toFixed(0)} dumps/s (goal >= 1000), peak RSS ${result.peakRssMb.toFixed(1)} MB (goal < 150, ${result.rssSource})`,
  )
  console.log(
    `fleet: node -e 0 median ${result.floorMs.toFixed(1)} ms; ratio ${result.ratio.toFixed(1)}; ${result.cores} cores, ${result.cpu}, load average ${result.loadAverage.toFixed(1)}`,
  )
  console.log(
    `fleet: reading the same dumps and writing their JSON without checks (bench/fleet-floor.mjs) median ${result.noCheckFloorMs.toFixed(0)} ms: ${(count / (result.noCheckFloorMs / 1000)).toFixed(0)} dumps/s at most without checks; the check takes ${result.noCheckRatio.toFixed(2)}x that`,
  )
  if (Number.isFinite(result.cpuSeconds))
    console.log(
      `fleet: ${result.cpuSeconds.toFixed(2)} CPU s per run: ${(count / result.cpuSeconds).toFixed(0)} dumps per CPU second, ${((count / result.cpuSeconds) * result.cores).toFixed(0)} dumps/s on ${result.cores} idle cores`,
    )
}
