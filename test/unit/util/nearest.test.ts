import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {didYouMean, editDistance, nearest} from '../../../src/util/nearest.js'

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['check', 'check', 0],
    ['chek', 'check', 1],
    ['cpu.hmv', 'cpu.hvm', 1],
    ['frm', 'from', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j to %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })

  it('is zero only for equal strings, and never more than the longer length', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 12}), fc.string({maxLength: 12}), (a, b) => {
        const d = editDistance(a, b)
        expect(d === 0).toBe(a === b)
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length))
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length))
      }),
    )
  })
})

describe('nearest', () => {
  const commands = [
    'check',
    'collect',
    'diff',
    'explain',
    'help',
    'pci',
    'plugins',
    'probes',
    'version',
    'bundle inspect',
    'bundle redact',
  ]

  it.each([
    ['chek', ['check']],
    ['CHECK', []],
    ['colect', ['collect']],
    ['plugin', ['plugins']],
    ['probe', ['probes']],
    ['expl', ['explain']],
    ['versoin', ['version']],
    ['bundle inspekt', ['bundle inspect']],
    ['zzzzzz', []],
    ['x', []],
    ['', []],
  ])('%j -> %j', (typed, expected) => {
    expect(nearest(typed, commands)).toEqual(expected)
  })

  it('a word that begins several candidates suggests none of them', () => {
    expect(nearest('pr', ['probes', 'progress'])).toEqual([])
  })

  it('ties are all given, best first', () => {
    expect(nearest('cpu.hxm', ['cpu.hvm', 'cpu.hxp', 'boot.xen'])).toEqual(['cpu.hvm', 'cpu.hxp'])
  })
})

describe('didYouMean', () => {
  it('phrases one or several suggestions, and nothing when none is close', () => {
    expect(didYouMean('frm', ['from', 'format'], (f) => `--${f}`)).toBe('did you mean --from?')
    expect(didYouMean('cpu.hxm', ['cpu.hvm', 'cpu.hxp'])).toBe('did you mean cpu.hvm or cpu.hxp?')
    expect(didYouMean('qqqq', ['from'])).toBe('')
  })
})
