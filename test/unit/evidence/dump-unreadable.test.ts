import {chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {check, checkTexts, finding} from '../../helpers.js'

// Root reads any file whatever its mode, and the tests run as root in CI: the read errors are injected here.
const denied = vi.hoisted(() => ({open: new Set<string>(), list: new Set<string>()}))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const eacces = (path: unknown) =>
    Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), {code: 'EACCES'})
  const openSync = ((path: string, ...rest: unknown[]) => {
    if (denied.open.has(String(path))) throw eacces(path)
    return (fs.openSync as (...a: unknown[]) => number)(path, ...rest)
  }) as typeof fs.openSync
  const readdirSync = ((path: string, ...rest: unknown[]) => {
    if (denied.list.has(String(path))) throw eacces(path)
    return (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest)
  }) as typeof fs.readdirSync
  return {...fs, default: {...fs, openSync, readdirSync}, openSync, readdirSync}
})

const made: string[] = []
afterEach(() => {
  denied.open.clear()
  denied.list.clear()
  for (const d of made.splice(0)) rmSync(d, {recursive: true, force: true})
})

function dump(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'xenready-unreadable-'))
  made.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), text)
  }

  return dir
}

const UNAME =
  'NetBSD xen0 10.1 NetBSD 10.1 (GENERIC) #0: Mon Dec 16 13:08:11 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC amd64\n'

describe('evidence that exists but cannot be read', () => {
  it('a file that cannot be opened is unknown with the reason, and the rest of the dump is read', () => {
    const dir = dump({'uname.txt': UNAME, 'cpuctl-identify.txt': 'cpu0: features1 0xbfebfbff<FPU,VME,DE,PSE>\n'})
    denied.open.add(join(dir, 'cpuctl-identify.txt'))
    const set = new DumpEvidenceSet(dir)
    expect(set.get('cpuctl-identify.txt')).toEqual({
      name: 'cpuctl-identify.txt',
      present: false,
      reason: 'cpuctl-identify.txt cannot be read: permission denied',
    })
    expect(set.get('uname.txt')).toMatchObject({present: true, text: UNAME})
    const hvm = finding(check(set, 'hvm', ['cpu.hvm']), 'cpu.hvm')
    expect(hvm.status).toBe('unknown')
    expect(`${hvm.message} ${hvm.remedy}`).toContain('cpuctl-identify.txt cannot be read: permission denied')
  })

  it('a directory where a file should be is unknown with the reason', () => {
    const dir = dump({'uname.txt': UNAME, 'cpuctl-identify.txt/oops': 'x'})
    const set = new DumpEvidenceSet(dir)
    expect(set.get('cpuctl-identify.txt')).toMatchObject({
      present: false,
      reason: 'cpuctl-identify.txt is a directory in the dump, where a file was expected',
    })
    const hvm = finding(check(set, 'hvm', ['cpu.hvm']), 'cpu.hvm')
    expect(hvm.status).toBe('unknown')
    expect(`${hvm.message} ${hvm.remedy}`).toContain('is a directory in the dump, where a file was expected')
  })

  it('a subdirectory that cannot be listed makes its files unknown, not the whole check an error', () => {
    const dir = dump({'uname.txt': UNAME, 'files/etc/rc.conf': 'xend=YES\n'})
    denied.list.add(join(dir, 'files', 'etc'))
    const set = new DumpEvidenceSet(dir)
    expect(set.get('files/etc/rc.conf')).toMatchObject({
      present: false,
      reason: 'files/etc/rc.conf cannot be read: directory files/etc of the dump is unreadable (permission denied)',
    })
    expect(set.get('uname.txt').present).toBe(true)
  })

  it('a dangling symbolic link in a dump directory is unknown with the reason', () => {
    const dir = dump({'uname.txt': UNAME})
    symlinkSync(join(dir, 'nowhere'), join(dir, 'cpuctl-identify.txt'))
    const hvm = finding(check(new DumpEvidenceSet(dir), 'hvm', ['cpu.hvm']), 'cpu.hvm')
    expect(hvm.status).toBe('unknown')
    expect(`${hvm.message} ${hvm.remedy}`).toContain(
      'cpuctl-identify.txt is a symbolic link, which a dump may not contain',
    )
  })

  // Without the injection above: a real mode 000 file. Root reads it anyway, so this runs only as another user.
  it.skipIf(process.getuid?.() === 0)(
    'a mode 000 file is unknown with "permission denied" (skipped as root: root reads any file)',
    () => {
      const dir = dump({'uname.txt': UNAME, 'cpuctl-identify.txt': 'x'})
      chmodSync(join(dir, 'cpuctl-identify.txt'), 0o000)
      expect(new DumpEvidenceSet(dir).get('cpuctl-identify.txt')).toMatchObject({
        present: false,
        reason: 'cpuctl-identify.txt cannot be read: permission denied',
      })
    },
  )

  it('checkTexts still works beside the mock (sanity)', () => {
    expect(checkTexts({'uname.txt': UNAME}, 'dom0', ['cpu.hvm']).length).toBe(1)
  })
})
