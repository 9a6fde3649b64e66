import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {displayWidth, wrapText} from '../../../src/reports/wrap.js'

const SENTENCE =
  'kernfs is mounted on /kern and in /etc/fstab; /kern/xen/privcmd exists and the dom0 kernel can reach xenstored'

describe('wrapping', () => {
  it('wraps to 40 and 80 columns with a hanging indent, between words only', () => {
    const at40 = wrapText('  PASS    ', SENTENCE, 40, 10)
    expect(at40).toEqual([
      '  PASS    kernfs is mounted on /kern and',
      '          in /etc/fstab;',
      '          /kern/xen/privcmd exists and',
      '          the dom0 kernel can reach',
      '          xenstored',
    ])
    const at80 = wrapText('  PASS    ', SENTENCE, 80, 10)
    expect(at80).toEqual([
      '  PASS    kernfs is mounted on /kern and in /etc/fstab; /kern/xen/privcmd exists',
      '          and the dom0 kernel can reach xenstored',
    ])
    expect(at40.every((l) => l.length <= 40)).toBe(true)
    expect(at80.every((l) => l.length <= 80)).toBe(true)
  })

  it('never breaks a long word (a path): it gets a line of its own', () => {
    const path = '/usr/pkg/share/examples/rc.d/xencommons-and-a-very-long-name-indeed'
    expect(wrapText('fix: ', `copy ${path} to /etc/rc.d`, 40, 5)).toEqual([
      'fix: copy',
      `     ${path}`,
      '     to /etc/rc.d',
    ])
    expect(wrapText('', path, 10, 2)).toEqual([path])
  })

  it('keeps blank runs inside a line (aligned evidence columns) and drops the one it breaks at', () => {
    expect(wrapText('', 'a:   3984588        63     4.2BSD', 80, 2)).toEqual(['a:   3984588        63     4.2BSD'])
    expect(wrapText('', 'a:   3984588        63     4.2BSD', 20, 2)).toEqual(['a:   3984588', '  63     4.2BSD'])
  })

  it('measures display columns: colour codes none, combining marks none, wide characters two', () => {
    expect(displayWidth('\u001B[31mFAIL\u001B[39m')).toBe(4)
    expect(displayWidth('e\u0301t\u00E9')).toBe(3)
    expect(displayWidth('日本語')).toBe(6)
    expect(wrapText('\u001B[32mPASS\u001B[39m ', '日本語 日本語 日本語', 16, 5)).toEqual([
      '\u001B[32mPASS\u001B[39m 日本語',
      '     日本語',
      '     日本語',
    ])
    expect(wrapText('', 'café crème brûlée déjà vu', 12, 0)).toEqual(['café crème', 'brûlée déjà', 'vu'])
  })

  it('without a width (not a terminal) keeps one line', () => {
    expect(wrapText('  PASS    ', SENTENCE, undefined, 10)).toEqual([`  PASS    ${SENTENCE}`])
  })

  it('never loses or splits a word, and no line is too wide unless it holds a single long word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z/é日]{1,30}$/), {maxLength: 30}),
        fc.integer({min: 10, max: 120}),
        fc.integer({min: 0, max: 8}),
        (words, width, hang) => {
          const lines = wrapText('', words.join(' '), width, hang)
          const out = lines.flatMap((l) => l.split(' ').filter(Boolean))
          const ok = lines.every((l) => displayWidth(l) <= width || l.trim().split(' ').length === 1)
          return JSON.stringify(out) === JSON.stringify(words) && ok
        },
      ),
    )
  })
})
