import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {UsageError} from '../../../src/engine/registry.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {tempDir} from '../../support/temp.js'

function dump(files: Record<string, string>): string {
  const dir = tempDir('xenready-dump-')
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), text)
  }

  return dir
}

describe('DumpEvidenceSet', () => {
  it('reads files by dump-relative name, including files/ paths', () => {
    const set = new DumpEvidenceSet(
      dump({
        'uname.txt': 'NetBSD x 10.0\n',
        'files/usr/pkg/etc/xen/nbsd': 'name = "nbsd"\n',
        'files/usr/pkg/etc/xen/linux': '',
      }),
    )
    expect(set.get('uname.txt')).toMatchObject({present: true, text: 'NetBSD x 10.0\n', origin: 'uname.txt'})
    expect(set.names('files/usr/pkg/etc/xen/*')).toEqual(['files/usr/pkg/etc/xen/linux', 'files/usr/pkg/etc/xen/nbsd'])
    expect(set.get('files/usr/pkg/etc/xen/linux')).toMatchObject({present: true, text: ''})
  })

  it('says why evidence is missing, from manifest.json when it knows', () => {
    const manifest = {
      schemaVersion: 1,
      tool: 'xenready',
      toolVersion: '0',
      created: '',
      entries: [
        {
          name: 'cpuctl-identify.txt',
          argv: ['cpuctl', 'identify', '0'],
          exitCode: 1,
          signal: null,
          durationMs: 3,
          timedOut: false,
          error: 'permission denied (run as root)',
        },
        {
          name: 'xl-info.txt',
          argv: ['xl', 'info'],
          exitCode: null,
          signal: 'SIGKILL',
          durationMs: 10000,
          timedOut: true,
        },
      ],
    }
    const set = new DumpEvidenceSet(dump({'manifest.json': JSON.stringify(manifest)}))
    expect(set.get('cpuctl-identify.txt')).toEqual({
      name: 'cpuctl-identify.txt',
      present: false,
      reason: '`cpuctl identify 0`: permission denied (run as root)',
    })
    expect(set.get('xl-info.txt')).toMatchObject({present: false, reason: '`xl info` timed out after 10 s'})
    expect(set.get('mount.txt')).toMatchObject({present: false, reason: 'not in the dump'})
  })

  it('ignores a broken manifest rather than failing', () => {
    const set = new DumpEvidenceSet(dump({'manifest.json': '{not json', 'uname.txt': 'x'}))
    expect(set.manifest).toBeUndefined()
    expect(set.get('uname.txt').present).toBe(true)
  })

  it('never follows a symbolic link out of the dump', () => {
    const dir = dump({'uname.txt': 'x'})
    symlinkSync('/etc/passwd', join(dir, 'mount.txt'))
    const set = new DumpEvidenceSet(dir)
    expect(set.get('mount.txt')).toMatchObject({
      present: false,
      reason: 'mount.txt is a symbolic link, which a dump may not contain',
    })
  })

  it('refuses a path that is not a directory, and too many files', () => {
    expect(() => new DumpEvidenceSet('/nonexistent')).toThrow(UsageError)
    const dir = dump({'a.txt': '', 'b.txt': '', 'c.txt': ''})
    expect(() => new DumpEvidenceSet(join(dir, 'a.txt'))).toThrow(/not a directory/)
    expect(() => new DumpEvidenceSet(dir, {maxFiles: 2, maxFileBytes: 10, maxDepth: 4})).toThrow(/more than 2 files/)
  })

  it('reads at most maxFileBytes of a file', () => {
    const set = new DumpEvidenceSet(dump({'dmesg.boot': 'x'.repeat(100)}), {
      maxFiles: 10,
      maxFileBytes: 10,
      maxDepth: 4,
    })
    expect(set.get('dmesg.boot')).toMatchObject({present: true, text: 'x'.repeat(10)})
  })

  it('reads files larger than its read buffer whole, up to maxFileBytes, and never mixes two files', () => {
    // Lines numbered so that a chunk read twice or left out shows; the read buffer is 256 KiB.
    const big = Array.from({length: 40_000}, (_, i) => `line ${i}`).join('\n')
    const exact = 'y'.repeat(256 * 1024)
    const dir = dump({'big.txt': big, 'exact.txt': exact, 'small.txt': 'short\n'})
    const set = new DumpEvidenceSet(dir)
    expect(big.length).toBeGreaterThan(300 * 1024)
    expect(set.get('big.txt')).toMatchObject({present: true, text: big})
    expect(set.get('small.txt')).toMatchObject({present: true, text: 'short\n'})
    expect(set.get('exact.txt')).toMatchObject({present: true, text: exact})
    const capped = new DumpEvidenceSet(dir, {maxFiles: 10, maxFileBytes: 300 * 1024, maxDepth: 4})
    expect(capped.get('big.txt')).toMatchObject({present: true, text: big.slice(0, 300 * 1024)})
    expect(capped.get('small.txt')).toMatchObject({present: true, text: 'short\n'})
  })
})
