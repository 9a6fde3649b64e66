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

  it('colour only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR wins', () => {
    expect(useColor({isTTY: true}, {})).toBe(true)
    expect(useColor({isTTY: true}, {NO_COLOR: '1'})).toBe(false)
    expect(useColor({isTTY: true}, {TERM: 'dumb'})).toBe(false)
    expect(useColor({isTTY: false}, {})).toBe(false)
    expect(useColor({isTTY: false}, {FORCE_COLOR: '1'})).toBe(true)
  })
})
