// Small clear modules (issue 14 bars): no source file under src/ is longer than 350 lines.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../../helpers.js'

const SRC = join(ROOT, 'src')
const MAX_LINES = 350

/** Source code, not data: the driver tables (src/plugins/hardware/tables/*.json) are generated and not read as code. */
const CODE = /\.(?:c|m)?[jt]s$/

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : CODE.test(n) ? [p] : []
  })
}

/** Lines as `wc -l` counts them, plus a last line without its newline. */
function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

const lengths = files(SRC).map((f) => ({
  file: relative(SRC, f).split(sep).join('/'),
  lines: lineCount(readFileSync(f, 'utf8')),
}))

describe('length of the files under src/', () => {
  it('reads every source file', () => {
    expect(lengths.length).toBeGreaterThan(50)
    expect(lengths.some((l) => l.file === 'engine/types.ts' && l.lines > 100)).toBe(true)
  })

  it('counts lines as wc -l does', () => {
    expect(lineCount('')).toBe(0)
    expect(lineCount('a\n')).toBe(1)
    expect(lineCount('a\nb')).toBe(2)
    expect(lineCount('a\n'.repeat(351))).toBe(351)
  })

  it(`no file is longer than ${MAX_LINES} lines`, () => {
    const long = lengths.filter((l) => l.lines > MAX_LINES)
    expect(long.map((l) => `${l.file}: ${l.lines} lines`)).toEqual([])
  })
})
