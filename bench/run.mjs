#!/usr/bin/env node
// `npm run bench`: every benchmark, each against a floor measured in the same run, then a table.
import {spawnSync} from 'node:child_process'
import {cpus, loadavg} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const run = (script, extra = []) => {
  const r = spawnSync(process.execPath, [join(here, script), '--json', ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (r.status !== 0) throw new Error(`${script} failed with status ${r.status}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1))
}

const startup = run('startup.mjs')
const fleet = run('fleet.mjs', ['--runs', '3'])
const live = run('live.mjs')
const rows = [
  [
    'cold single check (check --from <fixture> --format json)',
    `${startup.checkMs.toFixed(0)} ms`,
    `${startup.ratio.toFixed(2)}x node -e 0 (${startup.floorMs.toFixed(0)} ms); ${startup.noCodeCacheRatio.toFixed(2)}x without the code cache`,
    '<= 2.0',
  ],
  [
    'fleet: 1000 dumps, --recursive --format json',
    `${fleet.dumpsPerSecond.toFixed(0)} dumps/s, peak RSS ${fleet.peakRssMb.toFixed(0)} MB`,
    `${fleet.ratio.toFixed(1)}x node -e 0; ${fleet.noCheckRatio.toFixed(2)}x reading and writing the same without checks (${fleet.noCheckFloorMs.toFixed(0)} ms)`,
    '>= 1000 dumps/s, < 150 MB',
  ],
  [
    `live collection on ${live.os} (${live.evidence} pieces)`,
    `${live.collectMs.toFixed(0)} ms`,
    `${live.ratio.toFixed(2)}x the slowest command (${live.slowestCommand}, ${live.slowestCommandMs} ms)`,
    '<= 1.5',
  ],
]
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...rows.map((r) => r[i].length), ['benchmark', 'figure', 'ratio', 'goal'][i].length),
)
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
console.log(
  `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}\n`,
)
console.log(line(['benchmark', 'figure', 'ratio', 'goal']))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const r of rows) console.log(line(r))
