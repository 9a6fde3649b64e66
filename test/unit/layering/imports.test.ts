// The layering of src/, read from the imports themselves (static and dynamic): who may import whom.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../../helpers.js'

const SRC = join(ROOT, 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : /\.c?ts$/.test(n) ? [p] : []
  })
}

/** Every relative import of a file, as a path under src/ (`engine/types.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specs = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]!)
  return specs.map((s) =>
    relative(SRC, resolve(dirname(file), s))
      .split(sep)
      .join('/')
      .replace(/\.c?js$/, '.ts'),
  )
}

const all = files(SRC).map((f) => ({file: relative(SRC, f).split(sep).join('/'), imports: importsOf(f)}))
const layer = (path: string) => path.split('/')[0]!

/**
 * What each layer may import besides itself. Plugins may import their own folder and src/plugins/*.ts, never another
 * plugin's.
 */
const ALLOWED: Record<string, string[]> = {
  util: [],
  parsers: ['util', 'engine/types.ts'],
  engine: ['util'],
  evidence: ['engine', 'parsers', 'util'],
  // reports/*.ts: a finding's policy marks (waived, adjusted) are part of what reports hold.
  reports: ['engine', 'util', 'policy/types.ts'],
  policy: ['engine', 'util'],
  // reports/pci-table.ts: the shape of the table `xenready pci` prints, which the pci plugin's facts fill in.
  plugins: ['engine', 'parsers', 'util', 'reports/pci-table.ts'],
  hooks: ['engine', 'util', 'plugins/index.ts'],
  cli: ['engine', 'evidence', 'policy', 'reports', 'util', 'plugins/index.ts'],
  commands: ['cli', 'engine', 'evidence', 'parsers', 'policy', 'reports', 'util'],
  startup: [],
}

function allowed(from: string, to: string): boolean {
  if (layer(from) === layer(to)) {
    if (layer(from) !== 'plugins') return true
    const [, a, fromRest] = from.split('/')
    const [, b, rest] = to.split('/')
    // The modules directly under src/plugins/ (the list of built-ins, the fact contracts) see each plugin's index and
    // facts.
    if (fromRest === undefined) return rest === 'index.ts' || rest === 'facts.ts' || rest === undefined
    // A plugin: its own folder, or the shared modules directly under src/plugins/ (contracts, shared evidence).
    return a === b || rest === undefined
  }

  return (ALLOWED[layer(from)] ?? []).some((a) => to === a || to.startsWith(`${a}/`))
}

describe('layering of src/', () => {
  it('reads the imports of every source file', () => {
    expect(all.length).toBeGreaterThan(50)
    expect(all.flatMap((f) => f.imports).length).toBeGreaterThan(200)
  })

  it('every import goes where its layer may go', () => {
    const violations = all.flatMap(({file, imports}) =>
      imports.filter((to) => !allowed(file, to)).map((to) => `${file} -> ${to}`),
    )
    expect([...new Set(violations)].sort()).toEqual([])
  })

  it('the rules bite: parsers importing plugins, reports importing evidence, plugins importing each other are refused', () => {
    expect(allowed('parsers/xen-config.ts', 'plugins/facts.ts')).toBe(false)
    expect(allowed('reports/checks-doc.ts', 'evidence/catalog.ts')).toBe(false)
    expect(allowed('commands/pci.ts', 'plugins/pci/table.ts')).toBe(false)
    expect(allowed('engine/run.ts', 'evidence/catalog.ts')).toBe(false)
    expect(allowed('plugins/pci/facts.ts', 'plugins/boot/facts.ts')).toBe(false)
    expect(allowed('plugins/pci/facts.ts', 'plugins/facts.ts')).toBe(true)
  })

  it('test-only code is not under src/ (the sh collector generator lives in test/)', () => {
    expect(all.some((f) => f.file === 'evidence/collect-sh.ts')).toBe(false)
  })
})
