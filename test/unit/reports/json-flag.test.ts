import {describe, expect, it} from 'vitest'
import {misplacedJsonValue} from '../../../src/commands/check.js'

describe('--json is a plain boolean', () => {
  it('refuses a word right after --json (a file the user meant to write, or a bundle they meant to check)', () => {
    expect(misplacedJsonValue(['--json', 'mybundle.tar.gz'])).toBe(
      '--json takes no value (got "mybundle.tar.gz"): to write the JSON report to a file use --json-file FILE; to check a dump or bundle use --from mybundle.tar.gz --json',
    )
    expect(misplacedJsonValue(['--from', 'd', '--json', 'r.json', '--junit', 'r.xml'])).toMatch(
      /^--json takes no value \(got "r.json"\)/,
    )
    expect(misplacedJsonValue(['--json=r.json'])).toMatch(/^--json takes no value \(got "r.json"\)/)
  })

  it('leaves a bare --json, a path before it, a flag after it and anything after -- alone', () => {
    expect(misplacedJsonValue(['--from', 'd', '--json'])).toBeUndefined()
    expect(misplacedJsonValue(['--json', '--from', 'd'])).toBeUndefined()
    expect(misplacedJsonValue(['dump/', '--json'])).toBeUndefined()
    expect(misplacedJsonValue(['--', '--json', 'x'])).toBeUndefined()
    expect(misplacedJsonValue(['--json-file', 'r.json'])).toBeUndefined()
  })
})
