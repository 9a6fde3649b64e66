import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {parseSha256File, verifyBundleChecksum} from '../../../src/evidence/bundle-checksum.js'
import {caseIdProblem} from '../../../src/evidence/manifest.js'

const scratch = mkdtempSync(join(tmpdir(), 'xenready-checksum-test-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))
// sha256 of the three bytes "abc".
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

describe('.sha256 beside a bundle', () => {
  test("reads sha256sum's format, its binary mark, NetBSD's `SHA256 (name) = hex` and a bare digest", () => {
    expect(parseSha256File(`${ABC}  b.tar.gz\n`)).toBe(ABC)
    expect(parseSha256File(`${ABC} *b.tar.gz\n`)).toBe(ABC)
    expect(parseSha256File(`SHA256 (b.tar.gz) = ${ABC.toUpperCase()}\n`)).toBe(ABC)
    expect(parseSha256File(`${ABC}\n`)).toBe(ABC)
  })

  test('garbage, truncated or empty: no digest', () => {
    for (const text of [
      '',
      '\n',
      'hello',
      `${ABC.slice(0, 63)}  b.tar.gz\n`,
      `${ABC}x  b\n`,
      'MD5 (b) = 900150983cd24fb0d6963f7d28e17f72\n',
    ])
      expect(parseSha256File(text), text).toBeUndefined()
  })

  test('verifies: match, mismatch (exit 2), none, unreadable sum', async () => {
    const b = join(scratch, 'b.tar.gz')
    writeFileSync(b, 'abc')
    expect(await verifyBundleChecksum(b)).toBeUndefined()
    writeFileSync(`${b}.sha256`, `${ABC}  b.tar.gz\n`)
    expect(await verifyBundleChecksum(b)).toEqual({file: `${b}.sha256`, sha256: ABC, ok: true})
    writeFileSync(b, 'abd')
    await expect(verifyBundleChecksum(b)).rejects.toThrow(
      /b\.tar\.gz: checksum mismatch: the bundle is damaged or incomplete/,
    )
    writeFileSync(`${b}.sha256`, 'garbage\n')
    await expect(verifyBundleChecksum(b)).rejects.toThrow(/not a sha256 sum/)
    expect(await verifyBundleChecksum('-')).toBeUndefined()
    expect(await verifyBundleChecksum(scratch)).toBeUndefined()
  })
})

describe('case ids', () => {
  test('safe ids pass; anything that could leave a file name or a shell word is refused', () => {
    for (const ok of ['12345', 'SR-2026.12_01', 'a', 'x'.repeat(64)]) expect(caseIdProblem(ok), ok).toBeUndefined()
    for (const bad of ['', '-x', '.x', '../etc', 'a/b', 'a b', 'a;b', 'é', 'x'.repeat(65), 'a\nb'])
      expect(caseIdProblem(bad), bad).toMatch(/a case id is 1 to 64/)
  })
})
