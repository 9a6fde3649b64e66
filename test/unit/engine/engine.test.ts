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

function plugin(
  name: string,
  checks: Array<Pick<CheckDefinition, 'id' | 'run'> & Partial<CheckDefinition>>,
  extra: Partial<PluginDefinition> = {},
): PluginDefinition {
  return {
    name,
    title: name,
    evidence: [{name: 'a.txt', description: 'a', argv: ['print-a']}],
    checks: checks.map((c) => ({...base, ...c})),
    ...extra,
  }
}

const registryOf = (...results: unknown[]) =>
  buildRegistry(
    results.map((result, i) => ({package: `pkg${i}`, result})),
    [],
  )
const empty = MemoryEvidenceSet.fromTexts({})

describe('registry', () => {
  it('keeps good plugins and reports nonsense ones', () => {
    const good = plugin('good', [{id: 'good.one', run: () => ({status: 'pass', message: 'ok'})}])
    const registry = registryOf(
      {
        apiVersion: 1,
        plugins: [
          good,
          {name: 'Bad Name'},
          plugin('dup', [{id: 'good.one', run: () => ({status: 'pass', message: ''})}]),
        ],
      },
      'not an object',
      {apiVersion: 3, plugins: []},
      {apiVersion: 1, plugins: [plugin('ids', [{id: 'NotDotted', run: () => ({status: 'pass', message: ''})}])]},
    )
    expect(registry.checks.map((c) => c.check.id)).toEqual(['good.one'])
    expect(registry.errors.map((e) => e.message)).toEqual([
      'plugin name "Bad Name" is not a lowercase word',
      'check id good.one is already registered by pkg0',
      'its xenready:register hook must return {apiVersion: 2, plugins: [...]} (or the older apiVersion 1)',
      'its xenready:register hook must return {apiVersion: 2, plugins: [...]} (or the older apiVersion 1) (it returned apiVersion 3)',
      'plugin ids: check id "NotDotted" is not lowercase and dotted',
    ])
  })

  it('reports a hook that threw', () => {
    const registry = buildRegistry([], [{package: 'broken', error: new Error('boom')}])
    expect(registry.errors).toEqual([{package: 'broken', message: 'its xenready:register hook failed: boom'}])
    expect(
      exitCodeFor({
        summary: buildReport({version: '0', source: 's', target: 'dom0', findings: [], pluginErrors: []}).summary,
        pluginErrors: registry.errors,
      }),
    ).toBe(1)
  })

  it('selects checks by id, plugin name or prefix, and refuses unknown selectors', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [
        plugin('p', [
          {id: 'p.a', run: () => []},
          {id: 'p.b', run: () => []},
        ]),
        plugin('q', [{id: 'q.a', run: () => []}]),
      ],
    })
    expect(selectChecks(registry, ['p']).map((c) => c.check.id)).toEqual(['p.a', 'p.b'])
    expect(selectChecks(registry, ['q.a', 'p.b']).map((c) => c.check.id)).toEqual(['p.b', 'q.a'])
    expect(selectChecks(registry, ['p.*']).map((c) => c.check.id)).toEqual(['p.a', 'p.b'])
    expect(() => selectChecks(registry, ['nope'])).toThrow(UsageError)
  })
})

describe('plugin API v2', () => {
  const v2 = (name: string, evidence: unknown[], checks: Array<Partial<CheckDefinition>> = []) => ({
    name,
    title: name,
    evidence,
    checks: checks.map((c) => ({
      title: 't',
      evidence: [],
      description: 'd',
      why: 'w',
      remedy: 'r',
      run: () => ({status: 'pass', message: 'ok'}),
      ...c,
    })),
  })

  it('loads a v1 plugin through the adapter: argv, path and probe become kinds, lsPaths a listing', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [
        plugin('old', [{id: 'old.one', run: () => ({status: 'pass', message: ''})}], {
          lsPaths: ['/xen.gz'],
        } as Partial<PluginDefinition>),
      ],
    })
    expect(registry.errors).toEqual([])
    expect(registry.plugins[0]!.definition.evidence).toEqual([
      {kind: 'command', name: 'a.txt', description: 'a', argv: ['print-a']},
      {kind: 'listing', paths: ['/xen.gz']},
    ])
  })

  it('refuses what the adapter cannot translate, and a v2 spec that is not one, with one line naming the fix', () => {
    const registry = registryOf(
      {apiVersion: 1, plugins: [{...plugin('old', []), evidence: [{name: 'x.txt', description: 'x'}]}]},
      {apiVersion: 2, plugins: [v2('shell', [{kind: 'command', name: 's.txt', description: 's', argv: ['uname -a']}])]},
      {apiVersion: 2, plugins: [v2('rel', [{kind: 'file', name: 'f.txt', description: 'f', path: 'etc/fstab'}])]},
      {apiVersion: 2, plugins: [v2('nokind', [{name: 'n.txt', description: 'n', argv: ['ls']}])]},
    )
    expect(registry.plugins).toEqual([])
    expect(registry.errors.map((e) => e.message)).toEqual([
      'plugin old (API v1): evidence "x.txt" has no argv, path or probe; give it one, or move to apiVersion 2 (kind command, file, library or listing)',
      'plugin shell, evidence s.txt: argv[0] "uname -a" must be a program name or path, not a shell string',
      'plugin rel, evidence f.txt: path must be an absolute path',
      'plugin nokind, evidence n.txt: kind must be command, file, library or listing',
    ])
  })

  it('one evidence name, one definition: a second plugin declaring it differently is refused, the same declaration is shared', () => {
    const uname = {kind: 'command', name: 'uname.txt', description: 'u', argv: ['uname', '-a']}
    const registry = registryOf({
      apiVersion: 2,
      plugins: [
        v2('a', [uname]),
        v2('b', [{...uname, description: 'same command, other words'}]),
        v2('c', [{...uname, argv: ['uname', '-s']}]),
      ],
    })
    expect(registry.plugins.map((p) => p.definition.name)).toEqual(['a', 'b'])
    expect(registry.errors.map((e) => e.message)).toEqual([
      'evidence uname.txt is already declared differently by plugin a (share one spec: src/plugins/evidence.ts)',
    ])
  })

  it('the engine writes the n/a of declared applicability: targets (default all), hostOs and applies', () => {
    const host = {
      name: 'host',
      derive: () => ({os: {value: 'Linux', source: 'uname.txt', line: 1, text: 'Linux box 6.1'}}),
    }
    const registry = registryOf({
      apiVersion: 2,
      plugins: [
        {
          ...v2(
            'p',
            [],
            [
              {id: 'p.all'},
              {id: 'p.hvm', targets: ['hvm']},
              {id: 'p.netbsd', hostOs: ['NetBSD']},
              {id: 'p.pred', applies: () => 'nothing to check here'},
            ],
          ),
          facts: [host],
        },
      ],
    })
    const byId = Object.fromEntries(runChecks(registry, empty, {target: 'dom0'}).findings.map((f) => [f.id, f]))
    expect(byId['p.all']).toMatchObject({status: 'pass'})
    expect(byId['p.hvm']).toMatchObject({status: 'n/a', message: 'applies to --target hvm, not dom0'})
    expect(byId['p.netbsd']).toMatchObject({
      status: 'n/a',
      message: 'this host runs Linux, not NetBSD yet: this applies once NetBSD is installed as the dom0',
      evidence: [{source: 'uname.txt', line: 1, text: 'Linux box 6.1'}],
      pending: 'install NetBSD',
    })
    expect(byId['p.pred']).toMatchObject({status: 'n/a', message: 'nothing to check here'})
  })

  it('facts a check needs and cannot get make it unknown (one policy); optionalFacts gives the reason instead', () => {
    const registry = registryOf({
      apiVersion: 2,
      plugins: [
        {
          ...v2(
            'p',
            [],
            [
              {
                id: 'p.needs',
                run: (ctx) => ({status: 'pass', message: String((ctx.facts as (n: string) => unknown)('broken'))}),
              },
              {
                id: 'p.copes',
                run: (ctx) => ({
                  status: 'warn',
                  message: (ctx.optionalFacts as (n: string) => {reason?: string})('missing').reason!,
                }),
              },
            ],
          ),
          facts: [
            {
              name: 'broken',
              derive: () => {
                throw new Error('parse failed')
              },
            },
          ],
        },
      ],
    })
    const [needs, copes] = runChecks(registry, empty, {target: 'dom0'}).findings
    expect(needs).toMatchObject({status: 'unknown', message: 'cannot tell: the broken facts failed: parse failed'})
    expect(copes).toMatchObject({
      status: 'warn',
      message: 'the missing facts are unavailable (no plugin provides the facts "missing")',
    })
  })

  it("findings carry actor (the check's, or the outcome's), expected and observed; a pass names no actor", () => {
    const registry = registryOf({
      apiVersion: 2,
      plugins: [
        v2(
          'p',
          [],
          [
            {
              id: 'p.fail',
              actor: 'firmware',
              since: '0.2.0',
              run: () => ({status: 'fail', message: 'no VT-x', expected: 'VMX', observed: 'none'}),
            },
            {id: 'p.pass', actor: 'firmware', run: () => ({status: 'pass', message: 'ok'})},
            {id: 'p.other', actor: 'firmware', run: () => ({status: 'warn', message: 'm', actor: 'packages'})},
            {id: 'p.bad', run: () => ({status: 'warn', message: 'm', actor: 'nobody'}) as never},
          ],
        ),
      ],
    })
    const [fail, pass, other, bad] = runChecks(registry, empty, {target: 'dom0'}).findings
    expect(fail).toMatchObject({actor: 'firmware', expected: 'VMX', observed: 'none'})
    expect(pass!.actor).toBeUndefined()
    expect(other!.actor).toBe('packages')
    expect(bad).toMatchObject({
      status: 'error',
      message: 'the check returned nonsense: actor must be one of firmware, hardware, os-config, packages',
    })
  })
})

describe('runChecks', () => {
  it('turns a crash or a nonsense outcome into an error finding and runs the rest', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [
        plugin('p', [
          {
            id: 'p.crash',
            run: () => {
              throw new Error('kaput')
            },
          },
          {id: 'p.nonsense', run: () => ({status: 'great', message: 1}) as never},
          {id: 'p.fine', run: () => ({status: 'pass', message: 'ok'})},
        ]),
      ],
    })
    const {findings} = runChecks(registry, empty, {target: 'dom0'})
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['p.crash', 'error'],
      ['p.nonsense', 'error'],
      ['p.fine', 'pass'],
    ])
    expect(findings[0]!.message).toContain('kaput')
  })

  it('says n/a for targets a check does not apply to', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [plugin('p', [{id: 'p.hvm', targets: ['hvm'], run: () => ({status: 'fail', message: 'x'})}])],
    })
    const [f] = runChecks(registry, empty, {target: 'dom0'}).findings
    expect(f!.status).toBe('n/a')
    expect(f!.message).toContain('--target hvm')
  })

  it('writes the command that collects missing evidence into an unknown finding', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [plugin('p', [{id: 'p.u', run: () => ({status: 'unknown', message: 'no a'})}])],
    })
    const [f] = runChecks(registry, empty, {target: 'dom0'}).findings
    expect(f!.remedy).toBe('Collect the missing evidence: a.txt: not in the evidence; get it with `print-a > a.txt`.')
  })

  it('derives facts once, across plugins; facts that cannot be had (a cycle, no provider) make the check unknown, with why', () => {
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
    expect(findings.map((f) => f.status)).toEqual(['pass', 'pass', 'unknown', 'unknown'])
    expect(findings[2]!.message).toContain('depend on themselves')
    expect(findings[3]!.message).toContain('no plugin provides')
  })

  it('an empty outcome list is n/a, several outcomes keep their subjects', () => {
    const registry = registryOf({
      apiVersion: 1,
      plugins: [
        plugin('p', [
          {id: 'p.none', run: () => []},
          {
            id: 'p.many',
            run: () => [
              {status: 'pass', message: 'a', subject: 'x'},
              {status: 'warn', message: 'b', subject: 'y'},
            ],
          },
        ]),
      ],
    })
    const {findings} = runChecks(registry, empty, {target: 'dom0'})
    expect(findings.map((f) => [f.id, f.status, f.subject])).toEqual([
      ['p.none', 'n/a', undefined],
      ['p.many', 'pass', 'x'],
      ['p.many', 'warn', 'y'],
    ])
  })
})

describe('reports', () => {
  it('counts statuses and derives exit codes from the threshold', () => {
    const report = buildReport({
      version: '1',
      source: 'd',
      target: 'dom0',
      findings: [
        {id: 'a.b', plugin: 'a', status: 'warn', title: '', message: '', evidence: [], remedy: ''},
        {id: 'a.c', plugin: 'a', status: 'unknown', title: '', message: '', evidence: [], remedy: ''},
      ],
      pluginErrors: [],
    })
    expect(summaryLine(report.summary)).toBe('0 pass, 1 warn, 0 fail, 1 unknown')
    expect(exitCodeFor(report)).toBe(0)
    expect(exitCodeFor(report, 'warn')).toBe(1)
    expect(exitCodeFor(report, 'unknown')).toBe(1)
  })
})
