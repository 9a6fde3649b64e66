// Every report of every fixture dump, compared with golden files made by the build before issue 14
// reshaped the plugin tree and API: the reshaping must not change a single finding, message, evidence line
// or remedy. `XENREADY_GOLDEN=write npx vitest run test/unit/golden` rewrites them (only for an intended change).
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import {TARGETS} from '../../../src/engine/types.js'
import {evidenceCatalog} from '../../../src/evidence/catalog.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {renderJunit} from '../../../src/reports/junit.js'
import {renderMarkdown} from '../../../src/reports/markdown.js'
import {buildReport} from '../../../src/reports/report.js'
import {checkInfos} from '../../../src/reports/rules.js'
import {renderSarif} from '../../../src/reports/sarif.js'
import {renderText} from '../../../src/reports/text.js'
import {builtinRegistry, FIXTURES, ROOT} from '../../helpers.js'

const GOLDEN = join(FIXTURES, 'golden')
const SARIF = new Set(['howto-core2-vmx', 'synthetic-netbsd10-xen420-dom0', 'synthetic-netbsd51-xen31-pciback-qemu-broken', 'synthetic-netbsd51-dom0-broken-domus'])
const write = process.env.XENREADY_GOLDEN === 'write'
const dumpDirs = [join(FIXTURES, 'dumps'), join(ROOT, 'examples/dumps')].flatMap((dir) =>
  readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name)),
)

function compare(name: string, actual: string): void {
  const file = join(GOLDEN, name)
  if (write) {
    mkdirSync(join(file, '..'), {recursive: true})
    writeFileSync(file, actual)
    return
  }

  expect(existsSync(file), `${name} has no golden file`).toBe(true)
  expect(actual, name).toBe(readFileSync(file, 'utf8'))
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
        if (SARIF.has(name)) compare(`${base}.sarif`, renderSarif([report], checkInfos(registry), {cwd: ROOT}).replaceAll(pathToFileURL(ROOT).href, 'file:///CHECKOUT'))
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
