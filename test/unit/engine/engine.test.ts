import {describe, expect, it} from 'vitest'
import {buildRegistry, selectChecks, UsageError} from '../../../src/engine/registry.js'
import {runChecks} from '../../../src/engine/run.js'
import type {CheckDefinition, PluginDefinition} from '../../../src/engine/types.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {exitCodeFor, buildReport, summaryLine} from '../../../src/reports/report.js'

const base: Omit<CheckDefinition, 'id' | 'run'> = {
  title: 't',
  targets: ['dom0', 'hvm', 'pci-passthrough'],
  evidence: ['a.txt'],
  description: 'd',
  why: 'w',
  remedy: 'generic remedy',
}

function plugin(name: string, checks: Array<Pick<CheckDefinition, 'id' | 'run'> & Partial<CheckDefinition>>, extra: Partial<PluginDefinition> = {}): PluginDefinition {
  return {name, title: name, evidence: [{name: 'a.txt', description: 'a', argv: ['print-a']}], checks: checks.map((c) => ({...base, ...c})), ...extra}
}

const registryOf = (...results: unknown[]) => buildRegistry(results.map((result, i) => ({package: `pkg${i}`, result})), [])
const empty = MemoryEvidenceSet.fromTexts({})

describe('registry', () => {
  it('keeps good plugins and reports nonsense ones', () => {
    const good = plugin('good', [{id: 'good.one', run: () => ({status: 'pass', message: 'ok'})}])
    const registry = registryOf(
      {apiVersion: 1, plugins: [good, {name: 'Bad Name'}, plugin('dup', [{id: 'good.one', run: () => ({status: 'pass', message: ''})}])]},
      'not an object',
      {apiVersion: 2, plugins: []},
      {apiVersion: 1, plugins: [plugin('ids', [{id: 'NotDotted', run: () => ({status: 'pass', message: ''})}])]},
    )
    expect(registry.checks.map((c) => c.check.id)).toEqual(['good.one'])
    expect(registry.errors.map((e) => e.message)).toEqual([
      'plugin name "Bad Name" is not a lowercase word',
      'check id good.one is already registered by pkg0',
      'its xenready:register hook must return {apiVersion: 1, plugins: [...]}',
      'its xenready:register hook must return {apiVersion: 1, plugins: [...]}',
      'plugin ids: check id "NotDotted" is not lowercase and dotted',
    ])
  })

  it('reports a hook that threw', () => {
    const registry = buildRegistry([], [{package: 'broken', error: new Error('boom')}])
    expect(registry.errors).toEqual([{package: 'broken', message: 'its xenready:register hook failed: boom'}])
    expect(exitCodeFor({summary: buildReport({version: '0', source: 's', target: 'dom0', findings: [], pluginErrors: []}).summary, pluginErrors: registry.errors})).toBe(1)
  })

  it('selects checks by id, plugin name or prefix, and refuses unknown selectors', () => {
    const registry = registryOf({apiVersion: 1, plugins: [plugin('p', [{id: 'p.a', run: () => []}, {id: 'p.b', run: () => []}]), plugin('q', [{id: 'q.a', run: () => []}])]})
    expect(selectChecks(registry, ['p']).map((c) => c.check.id)).toEqual(['p.a', 'p.b'])
    expect(selectChecks(registry, ['q.a', 'p.b']).map((c) => c.check.id)).toEqual(['p.b', 'q.a'])
    expect(selectChecks(registry, ['p.*']).map((c) => c.check.id)).toEqual(['p.a', 'p.b'])
    expect(() => selectChecks(registry, ['nope'])).toThrow(UsageError)
  })
})

describe('runChecks', () => {
  it('turns a crash or a nonsense outcome into an error finding and runs the rest', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [
        plugin('p', [
          {id: 'p.crash', run: () => { throw new Error('kaput') }},
          {id: 'p.nonsense', run: () => ({status: 'great', message: 1}) as never},
          {id: 'p.fine', run: () => ({status: 'pass', message: 'ok'})},
        ]),
      ],
    })
    const {findings} = runChecks(registry, empty, {target: 'dom0'})
    expect(findings.map((f) => [f.id, f.status])).toEqual([['p.crash', 'error'], ['p.nonsense', 'error'], ['p.fine', 'pass']])
    expect(findings[0]!.message).toContain('kaput')
  })

  it('says n/a for targets a check does not apply to', () => {
    const registry = registryOf({apiVersion: 1, plugins: [plugin('p', [{id: 'p.hvm', targets: ['hvm'], run: () => ({status: 'fail', message: 'x'})}])]})
    const [f] = runChecks(registry, empty, {target: 'dom0'}).findings
    expect(f!.status).toBe('n/a')
    expect(f!.message).toContain('--target hvm')
  })

  it('writes the command that collects missing evidence into an unknown finding', () => {
    const registry = registryOf({apiVersion: 1, plugins: [plugin('p', [{id: 'p.u', run: () => ({status: 'unknown', message: 'no a'})}])]})
    const [f] = runChecks(registry, empty, {target: 'dom0'}).findings
    expect(f!.remedy).toBe('Collect the missing evidence: a.txt: not in the evidence; get it with `print-a > a.txt`.')
  })

  it('derives facts once, across plugins, and reports cycles as errors', () => {
    let derived = 0
    const provider = plugin('prov', [], {
      facts: [
        {name: 'n', derive: () => ++derived},
        {name: 'loop', derive: (ctx) => ctx.facts('loop')},
      ],
    })
    const consumer = plugin('cons', [
      {id: 'cons.a', run: (ctx) => ({status: 'pass', message: String(ctx.facts('n'))})},
      {id: 'cons.b', run: (ctx) => ({status: 'pass', message: String(ctx.facts('n'))})},
      {id: 'cons.c', run: (ctx) => ({status: 'pass', message: String(ctx.facts('loop'))})},
      {id: 'cons.d', run: (ctx) => ({status: 'pass', message: String(ctx.facts('absent'))})},
    ])
    const {findings} = runChecks(registryOf({apiVersion: 1, plugins: [provider, consumer]}), empty, {target: 'dom0'})
    expect(derived).toBe(1)
    expect(findings.map((f) => f.status)).toEqual(['pass', 'pass', 'error', 'error'])
    expect(findings[2]!.message).toContain('depend on themselves')
    expect(findings[3]!.message).toContain('no plugin provides')
  })

  it('an empty outcome list is n/a, several outcomes keep their subjects', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [plugin('p', [
        {id: 'p.none', run: () => []},
        {id: 'p.many', run: () => [{status: 'pass', message: 'a', subject: 'x'}, {status: 'warn', message: 'b', subject: 'y'}]},
      ])],
    })
    const {findings} = runChecks(registry, empty, {target: 'dom0'})
    expect(findings.map((f) => [f.id, f.status, f.subject])).toEqual([['p.none', 'n/a', undefined], ['p.many', 'pass', 'x'], ['p.many', 'warn', 'y']])
  })
})

describe('reports', () => {
  it('counts statuses and derives exit codes from the threshold', () => {
    const report = buildReport({version: '1', source: 'd', target: 'dom0', findings: [
      {id: 'a.b', plugin: 'a', status: 'warn', title: '', message: '', evidence: [], remedy: ''},
      {id: 'a.c', plugin: 'a', status: 'unknown', title: '', message: '', evidence: [], remedy: ''},
    ], pluginErrors: []})
    expect(summaryLine(report.summary)).toBe('0 pass, 1 warn, 0 fail, 1 unknown')
    expect(exitCodeFor(report)).toBe(0)
    expect(exitCodeFor(report, 'warn')).toBe(1)
    expect(exitCodeFor(report, 'unknown')).toBe(1)
  })
})
