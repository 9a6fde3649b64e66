import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {renderChecksDoc} from '../../../src/reports/checks-doc.js'
import {builtinPlugins} from '../../../src/plugins/index.js'
import {TARGETS} from '../../../src/engine/types.js'
import {ROOT} from '../../helpers.js'

describe('docs/checks.md', () => {
  it('matches the registered checks (regenerate: npm run build && node scripts/gen-checks-doc.mjs)', () => {
    const current = readFileSync(join(ROOT, 'docs/checks.md'), 'utf8')
    const fresh = renderChecksDoc(builtinPlugins)
    if (current !== fresh)
      expect.fail('docs/checks.md is stale: run `npm run build && node scripts/gen-checks-doc.mjs` and commit it')
  })

  it('lists every check with its targets, evidence and remedy', () => {
    const doc = renderChecksDoc(builtinPlugins)
    for (const plugin of builtinPlugins) {
      for (const check of plugin.checks) {
        const section = doc.split(`### ${check.id}\n`)[1]?.split('\n### ')[0]
        expect(section, check.id).toBeDefined()
        expect(section).toContain(`- Targets: ${(check.targets ?? TARGETS).join(', ')}`)
        for (const e of check.evidence) expect(section).toContain(`\`${e}\``)
        expect(section).toContain(`Remedy: ${check.remedy.replace(/\r?\n/g, ' ').trim()}`)
      }
    }
  })

  it('shows the v2 metadata: who acts and the version that introduced the check, when the check declares them', () => {
    const doc = renderChecksDoc(builtinPlugins)
    const checks = builtinPlugins.flatMap((p) => p.checks)
    const withActor = checks.filter((c) => c.actor)
    const withSince = checks.filter((c) => c.since)
    expect(withActor.length).toBeGreaterThan(0)
    expect(withSince.length).toBeGreaterThan(0)
    for (const check of checks) {
      const section = doc.split(`### ${check.id}\n`)[1]?.split('\n### ')[0] ?? ''
      if (check.actor) expect(section, check.id).toMatch(new RegExp(`^- Who acts: ${check.actor} \\(.+\\)$`, 'm'))
      else expect(section, check.id).not.toContain('- Who acts:')
      if (check.since) expect(section, check.id).toContain(`- Since: xenready ${check.since}\n`)
      else expect(section, check.id).not.toContain('- Since:')
    }
  })
})
