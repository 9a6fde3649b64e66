import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  dom0Mode,
  isKnownXenOption,
  parseXenCmdline,
  suggestXenOption,
  unknownXenOptions,
  xenBoolean,
  xenValue,
} from '../../../src/parsers/xen-cmdline.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const commandlineOf = (xlInfo: string) => /^xen_commandline\s*:\s*(.*)$/m.exec(xlInfo)?.[1] ?? ''

describe('parseXenCmdline', () => {
  it('reads the real Xen 4.20 PVH dom0 line of the boot.cfg sample', () => {
    const line = sample('boot.cfg-line-bouyer-2025-xen420-pvh-dom0.txt')
    const args = line.slice(line.indexOf('multiboot /xen420-debug.gz') + 'multiboot /xen420-debug.gz'.length)
    const options = parseXenCmdline(args)
    expect(options.map((o) => o.name)).toEqual([
      'dom0_mem',
      'console',
      'com1',
      'loglvl',
      'guest_loglvl',
      'gnttab_max_nr_frames',
      'sync_console',
      'dom0',
    ])
    expect(dom0Mode(options).mode).toBe('pvh')
    expect(xenValue(options, 'dom0_mem')?.value).toBe('1024M')
    expect(xenBoolean(options, 'sync_console')).toBe(true)
    expect(unknownXenOptions(options)).toEqual([])
  })

  it('reads the real xl info command lines and flags the misspelt ones', () => {
    const alpine = parseXenCmdline(commandlineOf(sample('xl-info-alpine-xen419-linux-dom0.txt')))
    expect(alpine.map((o) => o.raw)).toEqual([
      'placeholder',
      'loglevel=0',
      'console=null',
      'dom0_mem=512M,max:1024M',
      'no-real-mode',
      'edd=off',
    ])
    // `no-real-mode` is an option of its own, not the negation of `real-mode`.
    expect(alpine.find((o) => o.raw === 'no-real-mode')).toMatchObject({name: 'no-real-mode', negated: false})
    const unknown = unknownXenOptions(alpine)
    expect(unknown.map((u) => [u.option.name, u.suggestion])).toEqual([['loglevel', 'loglvl']])
    expect(dom0Mode(alpine).mode).toBe('pv')
  })

  it('reads booleans as Xen does: bare name, no- prefix, yes/no words, last one wins', () => {
    expect(xenBoolean(parseXenCmdline('pv-linear-pt=false'), 'pv-linear-pt')).toBe(false)
    expect(xenBoolean(parseXenCmdline('no-pv-linear-pt'), 'pv-linear-pt')).toBe(false)
    expect(xenBoolean(parseXenCmdline('pv-linear-pt=0 pv-linear-pt'), 'pv-linear-pt')).toBe(true)
    expect(xenBoolean(parseXenCmdline('pv-linear-pt=off'), 'pv-linear-pt')).toBe(false)
    expect(xenBoolean(parseXenCmdline('pv-linear-pt=maybe'), 'pv-linear-pt')).toBeUndefined()
    expect(xenBoolean(parseXenCmdline('dom0_mem=1G'), 'pv-linear-pt')).toBeUndefined()
  })

  it('reads dom0= as a list: pvh with sub-options, pv by default', () => {
    expect(dom0Mode(parseXenCmdline('dom0=pvh,shadow=0')).mode).toBe('pvh')
    expect(dom0Mode(parseXenCmdline('dom0=verbose=1,pvh')).mode).toBe('pvh')
    expect(dom0Mode(parseXenCmdline('dom0=pvh dom0=pv')).mode).toBe('pv')
    expect(dom0Mode(parseXenCmdline('dom0_mem=1G')).mode).toBe('pv')
    expect(dom0Mode(parseXenCmdline('dom0=pvhx')).mode).toBe('pv')
  })

  it('suggests close documented names and nothing for far ones', () => {
    expect(suggestXenOption('consle')).toBe('console')
    expect(suggestXenOption('dom0-mem')).toBe('dom0_mem')
    expect(suggestXenOption('pv_linear_pt')).toBe('pv-linear-pt')
    expect(suggestXenOption('quiet')).toBeUndefined()
    expect(isKnownXenOption('ivrs_ioapic[4]')).toBe(true)
  })

  it('counts two swapped letters as one edit, as the other "did you mean" suggestions do (util/nearest.ts)', () => {
    // Plain Levenshtein made `sxm` two edits from `xsm`, past the one edit a short name is allowed.
    expect(suggestXenOption('sxm')).toBe('xsm')
    expect(suggestXenOption('lgolvl')).toBe('loglvl')
  })

  it('never throws, keeps every word, on empty, truncated and garbage input', () => {
    expect(parseXenCmdline('')).toEqual([])
    expect(parseXenCmdline('   \n\t')).toEqual([])
    expect(parseXenCmdline('dom0_mem=')).toEqual([{name: 'dom0_mem', value: '', negated: false, raw: 'dom0_mem='}])
    expect(parseXenCmdline('=== \u0000 no-')).toHaveLength(3)
    fc.assert(
      fc.property(fc.string(), (s) => {
        const options = parseXenCmdline(s)
        expect(options.map((o) => o.raw)).toEqual(s.split(/\s+/).filter(Boolean))
        dom0Mode(options)
        unknownXenOptions(options)
        xenBoolean(options, 'pv-linear-pt')
      }),
    )
  })
})
