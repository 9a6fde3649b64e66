import {execFileSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers.js'
import {section} from '../support/help.js'
import {xenready} from './run.js'

/**
 * What the README and the commands' --help examples run must work from the npm package too, not only in a
 * clone: every repository path they name (examples/dumps/..., scripts/...) is in `npm pack`'s file list.
 * Placeholders for the user's own files (dump/, bundles/, report.json) are not repository paths.
 */
const COMMANDS = ['check', 'collect', 'diff', 'explain', 'pci', 'checks', 'bundle inspect', 'bundle redact']
const TOP = new Set(readdirSync(ROOT).filter((n) => !n.startsWith('.') && n !== 'node_modules'))

/** The words of a command line that name something in this repository. */
function repoPaths(command: string): string[] {
  return command
    .split(/\s+/)
    .flatMap((w) => w.split('='))
    .map((w) => w.replace(/^["'`(]+|["'`),;:]+$/g, '').replace(/\/$/, ''))
    .filter((w) => w.includes('/') && TOP.has(w.split('/')[0]!))
}

/** Command lines of the README: indented or fenced code lines and code spans that run xenready or a script. */
function readmeCommands(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)
  const lines = text.split('\n').map((l) => l.replace(/^\s*(- run: |- |\$ )?/, ''))
  return [...spans, ...lines].filter((l) =>
    /^(npm install && )?(npx xenready|xenready|sh scripts\/|node )/.test(l.trim()),
  )
}

let packed: Set<string>
beforeAll(() => {
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  packed = new Set((JSON.parse(json)[0].files as Array<{path: string}>).map((f) => f.path))
}, 60_000)

const inPackage = (path: string) => packed.has(path) || [...packed].some((f) => f.startsWith(`${path}/`))

describe('what the README and --help examples use ships in the package', () => {
  it('every repository path in a README command is packed', () => {
    const paths = readmeCommands().flatMap(repoPaths)
    // The README's own sample commands name the example dumps: a test that found none would prove nothing.
    expect(paths).toContain('examples/dumps/synthetic-netbsd10-xen420-dom0')
    for (const path of paths) expect(inPackage(path), `${path} (README.md) is not in npm pack's file list`).toBe(true)
  })

  it("every repository path in a command's --help examples is packed", () => {
    const paths: string[] = []
    for (const command of COMMANDS) {
      const r = xenready([...command.split(' '), '--help'], {env: {OCLIF_COLUMNS: '1000', npm_command: ''}})
      const examples = section(r.stdout, 'EXAMPLES').filter((l) => l.startsWith('$ '))
      expect(examples.length, `${command} --help has no examples`).toBeGreaterThan(0)
      for (const example of examples) for (const path of repoPaths(example)) paths.push(`${path} (${command} --help)`)
    }

    expect(paths.length).toBeGreaterThan(0)
    for (const p of paths) expect(inPackage(p.replace(/ \(.*$/, '')), `${p} is not in npm pack's file list`).toBe(true)
  })

  it('the example dumps and plugin are packed, the tests are not', () => {
    expect(inPackage('examples/dumps/synthetic-netbsd10-xen420-dom0/manifest.json')).toBe(true)
    expect(inPackage('examples/xenready-plugin-uname')).toBe(true)
    expect(inPackage('test')).toBe(false)
  })
})

describe('--help examples are written the way the command was run', () => {
  it('through npx: $ npx xenready ...; from PATH: $ xenready ...', () => {
    const viaNpx = section(
      xenready(['check', '--help'], {env: {OCLIF_COLUMNS: '1000', npm_command: 'exec'}}).stdout,
      'EXAMPLES',
    ).filter((l) => l.startsWith('$ '))
    const direct = section(
      xenready(['check', '--help'], {env: {OCLIF_COLUMNS: '1000', npm_command: ''}}).stdout,
      'EXAMPLES',
    ).filter((l) => l.startsWith('$ '))
    expect(viaNpx.length).toBeGreaterThan(2)
    expect(viaNpx.every((l) => l.startsWith('$ npx xenready check'))).toBe(true)
    expect(direct.every((l) => l.startsWith('$ xenready check'))).toBe(true)
    const explain = section(
      xenready(['explain', '--help'], {env: {OCLIF_COLUMNS: '1000', npm_command: 'exec'}}).stdout,
      'EXAMPLES',
    )
    expect(explain).toContain('$ npx xenready explain cpu.hvm')
  })
})
