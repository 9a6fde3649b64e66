import {describe, expect, it} from 'vitest'
import {section} from '../support/help.js'
import {xenready} from './run.js'

// Wide enough that oclif wraps nothing: every line break left is one the text itself asks for.
const WIDE = {OCLIF_COLUMNS: '1000'}
const COMMANDS = ['check', 'collect', 'diff', 'explain', 'pci', 'checks', 'bundle inspect', 'bundle redact']

describe('help text', () => {
  it('lists plugins once in the root help (the command, not also a topic)', () => {
    const r = xenready(['--help'], {env: WIDE})
    expect(r.status).toBe(0)
    expect(r.stdout.split('\n').filter((l) => /^\s+plugins\s/.test(l))).toHaveLength(1)
    expect(section(r.stdout, 'TOPICS').filter((l) => l.startsWith('bundle '))).toHaveLength(1)
    expect(section(r.stdout, 'COMMANDS').filter((l) => l.startsWith('plugins '))).toHaveLength(1)
  })

  it('plugins --help still lists its subcommands', () => {
    const r = xenready(['plugins', '--help'], {env: WIDE})
    expect(r.status).toBe(0)
    expect(section(r.stdout, 'COMMANDS').some((l) => l.startsWith('plugins link '))).toBe(true)
  })

  it.each(COMMANDS)('%s --help: descriptions break between sentences, never inside one', (command) => {
    const r = xenready([...command.split(' '), '--help'], {env: WIDE})
    expect(r.status).toBe(0)
    // The summary heads the help; a command with a description repeats it first under DESCRIPTION.
    const description = [r.stdout.split('\n')[0]!, ...section(r.stdout, 'DESCRIPTION')].filter(Boolean)
    // A line ends a sentence (or introduces what follows, with a colon): a break inside a sentence would
    // leave a line without one.
    expect(description.length).toBeGreaterThan(0)
    for (const line of description) expect(line, `${command}: a line break inside a sentence`).toMatch(/[.:!?][)"'`]?$/)
  })

  it.each(COMMANDS)('%s --help: every flag summary is one sentence on one line', (command) => {
    const r = xenready([...command.split(' '), '--help'], {env: WIDE})
    // A flag line is `-x, --name=VALUE  Summary.`; a continuation line (no leading dash) would be a break.
    // Commands whose only flag is --json have just the GLOBAL FLAGS section.
    const flags = [...section(r.stdout, 'FLAGS'), ...section(r.stdout, 'GLOBAL FLAGS')].filter(Boolean)
    expect(flags.length, command).toBeGreaterThan(0)
    for (const line of flags) {
      if (line.startsWith('<options:')) continue
      expect(line, `${command}: ${line}`).toMatch(/^(-\w, )?--\S+ +\S.*$/)
    }
  })

  it('list flags read --only=ID[,ID...] and --device=BDF[,BDF...], in the flag list and the usage line', () => {
    const check = xenready(['check', '--help'], {env: WIDE}).stdout
    expect(check).toContain('--only=ID[,ID...]')
    expect(check).toContain('[--only ID[,ID...]]')
    expect(check).not.toContain('ID,...')
    const pci = xenready(['pci', '--help'], {env: WIDE}).stdout
    expect(pci).toContain('--device=BDF[,BDF...]')
    expect(pci).toContain('[-d BDF[,BDF...]]')
    // A repeatable flag that is not a comma list keeps oclif's `...`.
    expect(check).toContain('--from=DIR|BUNDLE...')
  })

  it('the list flags still take a comma list and repeat', () => {
    const r = xenready([
      'check',
      '--from',
      'examples/dumps/synthetic-netbsd10-xen420-dom0',
      '--only',
      'cpu.hvm,cpu.i686',
      '--only',
      'kernel',
      '--json',
    ])
    const ids = new Set(
      (JSON.parse(r.stdout).findings as Array<{id: string}>).map((f) => (f.id.startsWith('kernel.') ? 'kernel' : f.id)),
    )
    expect([...ids].sort()).toEqual(['cpu.hvm', 'cpu.i686', 'kernel'])
  })
})
