// Every report of every fixture dump, compared with golden files made by the build before issue 14
// reshaped the plugin tree and API: the reshaping must not change a single finding, message, evidence line
// or remedy. `XENREADY_GOLDEN=write npx vitest run test/unit/golden` rewrites them (only for an intended change).
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import {TARGETS} from '../../../src/engine/types.js'
import {evidenceCatalog} from '../../../src/engine/catalog.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {renderJunit} from '../../../src/reports/junit.js'
import {renderMarkdown} from '../../../src/reports/markdown.js'
import {buildReport} from '../../../src/reports/report.js'
import {checkInfos} from '../../../src/reports/rules.js'
import {renderSarif} from '../../../src/reports/sarif.js'
import {renderText} from '../../../src/reports/text.js'
import {builtinRegistry, FIXTURES, ROOT} from '../../helpers.js'

const GOLDEN = join(FIXTURES, 'golden')
const SARIF = new Set([
  'howto-core2-vmx',
  'synthetic-netbsd10-xen420-dom0',
  'synthetic-netbsd51-xen31-pciback-qemu-broken',
  'synthetic-netbsd51-dom0-broken-domus',
])
const write = process.env.XENREADY_GOLDEN === 'write'
const dumpDirs = [join(FIXTURES, 'dumps'), join(ROOT, 'examples/dumps')].flatMap((dir) =>
  readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name)),
)

/**
 * Goldens made before the plugin API v2 (issue 14) hold none of what it added on purpose: the report's
 * schemaVersion 2 and the findings' `actor`, `expected` and `observed`, the checks' `since` and `actor`, the
 * evidence specs' `kind` (v1's `probe` is now `library`). Against those goldens, the output is compared with
 * these taken out, so every other byte is still pinned; goldens written since (they have `kind` in
 * catalog.json) are compared as they are.
 */
const legacy =
  !write &&
  existsSync(join(GOLDEN, 'catalog.json')) &&
  !readFileSync(join(GOLDEN, 'catalog.json'), 'utf8').includes('"kind"')

function beforeV2(name: string, text: string): string {
  if (!/\.(json|sarif)$/.test(name)) return text
  const data = JSON.parse(text)
  const strip = (x: Record<string, unknown>, keys: string[]) => {
    for (const k of keys) delete x[k]
  }

  if (name === 'catalog.json') {
    for (const [i, s] of data.entries()) {
      if (s.kind === 'library') s.probe = s.library
      strip(s, ['kind', 'library'])
      data[i] = Object.fromEntries(Object.entries(s).sort(([a], [b]) => (a < b ? -1 : 1)))
    }
  } else if (name === 'checks.json') {
    for (const c of data) strip(c, ['since', 'actor'])
  } else if (name.endsWith('.sarif')) {
    for (const run of data.runs) {
      for (const rule of run.tool.driver.rules) if (rule.properties) strip(rule.properties, ['since', 'actor'])
      for (const r of run.results) if (r.properties) strip(r.properties, ['actor', 'expected', 'observed'])
    }
  } else if (Array.isArray(data.findings)) {
    data.schemaVersion = 1
    for (const f of data.findings) strip(f, ['actor', 'expected', 'observed'])
  }

  return `${JSON.stringify(data, null, 2)}\n`
}

function compare(name: string, actual: string): void {
  const file = join(GOLDEN, name)
  if (write) {
    mkdirSync(join(file, '..'), {recursive: true})
    writeFileSync(file, actual)
    return
  }

  expect(existsSync(file), `${name} has no golden file`).toBe(true)
  const golden = readFileSync(file, 'utf8')
  if (legacy) expect(beforeV2(name, actual), name).toBe(beforeV2(name, golden))
  else expect(actual, name).toBe(golden)
}

describe('golden reports', () => {
  const registry = builtinRegistry()
  it('covers every fixture dump', () => {
    expect(dumpDirs.length).toBeGreaterThan(20)
  })

  for (const dir of dumpDirs) {
    const source = relative(ROOT, dir)
    // examples/dumps holds a copy of a fixture under the same name: its goldens live apart.
    const name = source.startsWith('examples/') ? `examples/${source.split('/').at(-1)!}` : source.split('/').at(-1)!
    it(name, () => {
      for (const target of TARGETS) {
        const {findings, pluginErrors} = runChecks(registry, new DumpEvidenceSet(dir), {target})
        const report = buildReport({version: '0.0.0-golden', source, target, findings, pluginErrors, now: new Date(0)})
        const base = `${name}/${target}`
        compare(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`)
        if (target !== 'dom0') continue
        // SARIF repeats every rule's text per report: a few dumps show its mapping, the JSON covers the findings.
        // %SRCROOT% is the checkout's absolute path: the golden file holds a placeholder for it.
        if (SARIF.has(name))
          compare(
            `${base}.sarif`,
            renderSarif([report], checkInfos(registry), {cwd: ROOT}).replaceAll(
              pathToFileURL(ROOT).href,
              'file:///CHECKOUT',
            ),
          )
        compare(`${base}.junit.xml`, renderJunit([report], {failOn: 'fail'}))
        compare(`${base}.md`, renderMarkdown(report))
        compare(`${base}.txt`, renderText(report, {color: false, verbose: true}))
      }
    })
  }

  it('the evidence catalog and check metadata', () => {
    compare('catalog.json', `${JSON.stringify(evidenceCatalog(registry), null, 2)}\n`)
    compare('checks.json', `${JSON.stringify(checkInfos(registry), null, 2)}\n`)
  })
})
