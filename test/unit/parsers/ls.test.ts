import {describe, expect, it} from 'vitest'
import {listedPath, listedPaths, parseLsLd} from '../../../src/parsers/ls.js'

// NetBSD ls -ld lines and error lines, as the collector writes them into ls-paths.txt.
const LS = [
  '-r--r--r--  1 root  wheel  8436011 Jun  4  2024 /netbsd-XEN3_DOM0.gz',
  'ls: /netbsd-XEN3_DOM0: No such file or directory',
  'ls: /xen.gz: No such file or directory',
].join('\n')

describe('listedPath: the one lookup of a path in ls-paths.txt', () => {
  const paths = parseLsLd(LS)

  it('tells no listing, not listed, listed missing and there apart', () => {
    expect(listedPath(undefined, '/xen.gz')).toEqual({state: 'no-ls'})
    expect(listedPath(paths, '/netbsd')).toEqual({state: 'unlisted'})
    expect(listedPath(paths, '/xen.gz')).toMatchObject({state: 'missing', fact: {line: 3}})
    expect(listedPath(paths, '/netbsd-XEN3_DOM0.gz')).toMatchObject({state: 'exists', fact: {line: 1}})
  })

  it('takes another name of the file when it exists (a gzipped kernel), else reports the name asked for', () => {
    expect(listedPath(paths, '/netbsd-XEN3_DOM0')).toMatchObject({state: 'missing', fact: {line: 2}})
    expect(listedPath(paths, '/netbsd-XEN3_DOM0', ['/netbsd-XEN3_DOM0.gz'])).toMatchObject({
      state: 'exists',
      fact: {line: 1},
    })
    expect(listedPath(paths, '/xen.gz', ['/xen.gz.gz'])).toMatchObject({state: 'missing', fact: {line: 3}})
  })
})

describe('listedPaths: several paths at once', () => {
  it('splits the paths into listed lines (existing or not) and paths with no line', () => {
    const r = listedPaths(parseLsLd(LS), ['/netbsd-XEN3_DOM0.gz', '/netbsd', '/xen.gz'])
    expect(r.listed.map((l) => [l.path, l.fact.line, l.fact.value.exists])).toEqual([
      ['/netbsd-XEN3_DOM0.gz', 1, true],
      ['/xen.gz', 3, false],
    ])
    expect(r.unlisted).toEqual(['/netbsd'])
  })

  it('has every path unlisted without ls-paths.txt, or with garbage or empty text in it', () => {
    for (const paths of [undefined, parseLsLd(''), parseLsLd('\u0000garbage\n-rw- ')])
      expect(listedPaths(paths, ['/xen.gz', '/dev/xenevt'])).toEqual({listed: [], unlisted: ['/xen.gz', '/dev/xenevt']})
  })
})
