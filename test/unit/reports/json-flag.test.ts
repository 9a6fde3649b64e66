import {describe, expect, it} from 'vitest'
import {rewriteJsonFileArgv} from '../../../src/commands/check.js'

describe('--json FILE', () => {
  it('reads a word after --json as the JSON report file, and leaves a bare --json alone', () => {
    expect(rewriteJsonFileArgv(['--from', 'd', '--json', 'r.json', '--junit', 'r.xml'])).toEqual(['--from', 'd', '--json-file', 'r.json', '--junit', 'r.xml'])
    expect(rewriteJsonFileArgv(['--json=r.json'])).toEqual(['--json-file=r.json'])
    expect(rewriteJsonFileArgv(['--from', 'd', '--json'])).toEqual(['--from', 'd', '--json'])
    expect(rewriteJsonFileArgv(['--json', '--from', 'd'])).toEqual(['--json', '--from', 'd'])
    expect(rewriteJsonFileArgv(['--', '--json', 'x'])).toEqual(['--', '--json', 'x'])
  })
})
