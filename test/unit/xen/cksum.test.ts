import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseCksum, sameCksum} from '../../../src/parsers/cksum.js'

describe('parseCksum', () => {
  it('reads cksum lines and merged error lines, keyed by path', () => {
    const m = parseCksum(
      '3083291021 2275311 /xen.gz\n1911206470 2281470 /usr/pkg/xen420-kernel/xen.gz\ncksum: /xen-debug.gz: No such file or directory\n',
      'cksum-xen.txt',
    )
    expect(m.get('/xen.gz')).toMatchObject({value: {exists: true, crc: '3083291021', size: 2275311}, line: 1})
    expect(m.get('/xen-debug.gz')).toMatchObject({value: {exists: false, error: 'No such file or directory'}, line: 3})
    expect(sameCksum(m.get('/xen.gz')!.value, m.get('/usr/pkg/xen420-kernel/xen.gz')!.value)).toBe(false)
    expect(sameCksum(m.get('/xen.gz')!.value, m.get('/xen.gz')!.value)).toBe(true)
    expect(sameCksum(m.get('/xen.gz')!.value, m.get('/xen-debug.gz')!.value)).toBeUndefined()
  })

  it('ignores empty, truncated and garbage lines', () => {
    expect(parseCksum('', 'c').size).toBe(0)
    expect(parseCksum('30832910', 'c').size).toBe(0)
    expect(parseCksum('3083291021 2275', 'c').size).toBe(0)
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseCksum(s, 'c')
      }),
    )
  })
})
