import {describe, expect, it} from 'vitest'
import {wantsProgress} from '../../../src/cli/progress.js'
import {useColor} from '../../../src/reports/style.js'

describe('terminal conventions', () => {
  it('progress only on a terminal, never in CI or with --quiet', () => {
    expect(wantsProgress(false, {isTTY: true}, {})).toBe(true)
    expect(wantsProgress(true, {isTTY: true}, {})).toBe(false)
    expect(wantsProgress(false, {isTTY: true}, {CI: 'true'})).toBe(false)
    expect(wantsProgress(false, {isTTY: false}, {})).toBe(false)
  })

  it('colour only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR forces it', () => {
    expect(useColor({isTTY: true}, {})).toBe(true)
    expect(useColor({isTTY: true}, {NO_COLOR: '1'})).toBe(false)
    expect(useColor({isTTY: true}, {TERM: 'dumb'})).toBe(false)
    expect(useColor({isTTY: false}, {})).toBe(false)
    expect(useColor({isTTY: false}, {FORCE_COLOR: '1'})).toBe(true)
    expect(useColor({isTTY: true}, {FORCE_COLOR: '1', TERM: 'dumb'})).toBe(true)
  })

  it('NO_COLOR wins over FORCE_COLOR, as the README says; --color and --no-color win over both', () => {
    expect(useColor({isTTY: true}, {NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(false)
    expect(useColor({isTTY: false}, {NO_COLOR: '', FORCE_COLOR: '1'})).toBe(true)
    expect(useColor({isTTY: false}, {FORCE_COLOR: '0'})).toBe(false)
    expect(useColor({isTTY: false}, {NO_COLOR: '1'}, true)).toBe(true)
    expect(useColor({isTTY: true}, {FORCE_COLOR: '1'}, false)).toBe(false)
  })
})
