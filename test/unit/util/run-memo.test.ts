import {describe, expect, it} from 'vitest'
import {runMemo, withRunMemo} from '../../../src/util/run-memo.js'

describe('runMemo', () => {
  const counted = () => {
    const calls: string[][] = []
    const fn = runMemo((text: string, source: string) => {
      calls.push([text, source])
      return {text, source}
    })
    return {calls, fn}
  }

  it('calls the parser once per distinct arguments within a run, and shares its result', () => {
    const {calls, fn} = counted()
    withRunMemo(() => {
      const a = fn('cpu0: Intel', 'dmesg.boot')
      expect(fn('cpu0: Intel', 'dmesg.boot')).toBe(a)
      // The same text from another file, or another text from the same file, is another call.
      expect(fn('cpu0: Intel', 'dmesg-native.boot')).not.toBe(a)
      expect(fn('cpu0: AMD', 'dmesg.boot')).toEqual({text: 'cpu0: AMD', source: 'dmesg.boot'})
    })
    expect(calls).toEqual([
      ['cpu0: Intel', 'dmesg.boot'],
      ['cpu0: Intel', 'dmesg-native.boot'],
      ['cpu0: AMD', 'dmesg.boot'],
    ])
  })

  it('keeps nothing outside a run, and no run sees another run: each dump is parsed afresh', () => {
    const {calls, fn} = counted()
    fn('x', 'a')
    fn('x', 'a')
    const first = withRunMemo(() => fn('x', 'a'))
    const second = withRunMemo(() => fn('x', 'a'))
    expect(second).not.toBe(first)
    withRunMemo(() => {
      const outer = fn('y', 'a')
      // A nested run (a command checking another source inside a run) has its own memos, and the outer run's
      // are back when it returns.
      expect(withRunMemo(() => fn('y', 'a'))).not.toBe(outer)
      expect(fn('y', 'a')).toBe(outer)
    })
    expect(calls).toHaveLength(6)
  })

  it('drops the run memos when the run throws', () => {
    const {calls, fn} = counted()
    expect(() =>
      withRunMemo(() => {
        fn('z', 'a')
        throw new Error('boom')
      }),
    ).toThrow('boom')
    fn('z', 'a')
    expect(calls).toHaveLength(2)
  })
})

describe('runMemo under the tests', () => {
  it('freezes shared results (XENREADY_FREEZE_RUN_MEMO=1), so a caller that changes one throws', () => {
    expect(process.env.XENREADY_FREEZE_RUN_MEMO).toBe('1')
    const fn = runMemo((text: string) => ({lines: text.split('\n').map((t) => ({text: t}))}))
    withRunMemo(() => {
      const shared = fn('a\nb')
      expect(() => shared.lines.push({text: 'c'})).toThrow(TypeError)
      expect(() => {
        shared.lines[0]!.text = 'changed'
      }).toThrow(TypeError)
      expect(fn('a\nb').lines.map((l) => l.text)).toEqual(['a', 'b'])
    })
  })
})
