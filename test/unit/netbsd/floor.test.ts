import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseEtcRelease} from '../../../src/parsers/etc-release.js'
import {machineArch, xentoolsBuildsOn} from '../../../src/plugins/netbsd/floor.js'

describe('xentoolsBuildsOn (pkgsrc xentools418/420 ONLY_FOR_PLATFORM)', () => {
  it('accepts 9.0_STABLE, 9.1 and later, -current and 10/11 on x86_64 only', () => {
    for (const r of ['9.0_STABLE', '9.1', '9.3', '9.3_STABLE', '9.99.100', '10.0', '10.1_STABLE', '11.0'])
      expect(xentoolsBuildsOn(r, 'x86_64').ok, r).toBe(true)
    for (const r of ['9.0', '8.2', '5.1_STABLE', '7.2']) expect(xentoolsBuildsOn(r, 'x86_64').ok, r).toBe(false)
    expect(xentoolsBuildsOn('10.0', 'i386').ok).toBe(false)
    expect(xentoolsBuildsOn('10.0', 'x86_64').pattern).toBe('NetBSD-1[0-9]*-x86_64')
    expect(machineArch('amd64')).toBe('x86_64')
    expect(machineArch('i386')).toBe('i386')
  })

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (r, a) => {
        xentoolsBuildsOn(r, a)
      }),
    )
  })
})

describe('parseEtcRelease', () => {
  it('reads the first line of /etc/release', () => {
    expect(
      parseEtcRelease('NetBSD 10.0/amd64\n\nThis system was built by the NetBSD release engineering team.\n'),
    ).toEqual({release: '10.0', machine: 'amd64', line: 1, text: 'NetBSD 10.0/amd64'})
    expect(parseEtcRelease('NetBSD 9.3_STABLE/amd64\n')?.release).toBe('9.3_STABLE')
  })

  it('is undefined for empty, truncated or garbage text', () => {
    expect(parseEtcRelease('')).toBeUndefined()
    expect(parseEtcRelease('NetB')).toBeUndefined()
    expect(parseEtcRelease('\u0000\u0001 zzz')).toBeUndefined()
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseEtcRelease(s)
      }),
    )
  })
})
