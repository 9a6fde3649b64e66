import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {domuEvidenceFromFiles, withDomuFiles} from '../../../src/evidence/domu-files.js'
import {recognizeGuestConfig} from '../../../src/plugins/domu/recognize.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {MAX_DOMU_FILE_BYTES} from '../../../src/evidence/domu-files.js'
import {builtinRegistry, dumpPath, finding} from '../../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'xenready-domu-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('domuEvidenceFromFiles (--domu FILE...)', () => {
  it('reads configs into domu/<name> evidence that the domu checks use', async () => {
    mkdirSync(join(dir, 'a'))
    mkdirSync(join(dir, 'b'))
    writeFileSync(join(dir, 'a', 'nbsd'), "name = 'one'\nkernel = '/netbsd-XEN3_DOMU'\nmemory = 64\n")
    writeFileSync(join(dir, 'b', 'nbsd'), "name = 'one'\nmemory = 64\n")
    writeFileSync(join(dir, 'big'), 'x'.repeat(MAX_DOMU_FILE_BYTES + 1))
    const ev = await domuEvidenceFromFiles([
      join(dir, 'a', 'nbsd'),
      join(dir, 'b', 'nbsd'),
      join(dir, 'missing'),
      join(dir, 'a'),
      join(dir, 'big'),
    ])
    expect([...ev.keys()]).toEqual(['domu/nbsd', 'domu/nbsd~2', 'domu/missing', 'domu/a', 'domu/big'])
    expect(ev.get('domu/nbsd')).toMatchObject({present: true, origin: `--domu ${join(dir, 'a', 'nbsd')}`})
    expect(ev.get('domu/missing')).toMatchObject({present: false, reason: `no such file ${join(dir, 'missing')}`})
    expect(ev.get('domu/a')).toMatchObject({
      present: false,
      reason: expect.stringMatching(/is a directory|cannot read/),
    })
    expect(ev.get('domu/big')).toMatchObject({present: false, reason: expect.stringMatching(/larger than/)})

    const {findings} = runChecks(builtinRegistry(), new MemoryEvidenceSet(ev), {target: 'dom0'})
    expect(finding(findings, 'domu.name', 'nbsd').status).toBe('fail')
    expect(finding(findings, 'domu.name', 'nbsd~2').message).toMatch(/also used by nbsd/)
    const kernel = finding(findings, 'domu.kernel', 'nbsd')
    expect(kernel).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/ls-paths.txt is not in the evidence/),
    })
  })

  it('the Howto config given with --domu checks the same as in the dump', async () => {
    const ev = await domuEvidenceFromFiles([
      join(dumpPath('synthetic-netbsd51-dom0-howto-domus'), 'files/usr/pkg/etc/xen/nbsd'),
    ])
    expect(ev.get('domu/nbsd')?.present).toBe(true)
    const {findings} = runChecks(builtinRegistry(), new MemoryEvidenceSet(ev), {
      target: 'dom0',
      only: ['domu.syntax', 'domu.name', 'domu.root'],
    })
    expect(findings.map((f) => [f.id, f.subject, f.status])).toEqual([
      ['domu.syntax', 'nbsd', 'pass'],
      ['domu.name', 'nbsd', 'pass'],
      ['domu.root', 'nbsd', 'pass'],
    ])
  })
})

describe('--domu FILE is checked whatever its name', () => {
  it('web.txt and nbsd.bak given with --domu are configs; in the dump directory web.txt is one by its content, the backup copy nbsd.bak is not', async () => {
    const text = 'name = "web"\nkernel = "/netbsd-XEN3_DOMU"\nmemory = 128\n'
    writeFileSync(join(dir, 'web.txt'), text)
    writeFileSync(join(dir, 'nbsd.bak'), text.replace('web', 'old'))
    const files = await domuEvidenceFromFiles([join(dir, 'web.txt'), join(dir, 'nbsd.bak')])
    const {findings} = runChecks(builtinRegistry(), new MemoryEvidenceSet(files), {
      target: 'dom0',
      only: ['domu.syntax'],
    })
    expect(findings.map((f) => [f.subject, f.status])).toEqual([
      ['nbsd.bak', 'pass'],
      ['web.txt', 'pass'],
    ])
    const dump = MemoryEvidenceSet.fromTexts({
      'files/usr/pkg/etc/xen/web.txt': text,
      'files/usr/pkg/etc/xen/nbsd.bak': text,
    })
    expect(
      runChecks(builtinRegistry(), dump, {target: 'dom0', only: ['domu.syntax']}).findings.map((f) => [
        f.subject,
        f.status,
      ]),
    ).toEqual([['web.txt', 'pass']])
  })
})

describe('the dom0 paths a config refers to', () => {
  // Known only from the configs, so the collector cannot list them ahead: domu.kernel and domu.disk name each
  // one missing from ls-paths.txt with the `ls -ld` that settles it.
  const config =
    "name = 'sol'\nkernel = '/root/solaris/unix'\nramdisk = '/root/solaris/x86.microroot'\ndisk = [ 'phy:/dev/wd0k,0,w' ]\ndisk += [ 'phy:/dev/vnd0d,6:cdrom,r', 'file:/var/xen/a.img,0x1,w', 'phy:wd0e,0x2,w' ]\n"
  const run = (texts: Record<string, string>) =>
    runChecks(builtinRegistry(), MemoryEvidenceSet.fromTexts(texts), {
      target: 'dom0',
      only: ['domu.kernel', 'domu.disk'],
    }).findings

  it('asks for the kernel, the ramdisk and every disk target (phy:, file:, after +=, a bare device name)', () => {
    const [kernel, disk] = ['domu.kernel', 'domu.disk'].map((id) =>
      run({'files/usr/pkg/etc/xen/sol': config}).find((f) => f.id === id),
    )
    expect(kernel).toMatchObject({
      status: 'unknown',
      remedy: expect.stringContaining('`ls -ld /root/solaris/unix /root/solaris/x86.microroot >> ls-paths.txt`'),
    })
    expect(disk?.status).toBe('unknown')
    for (const path of ['/dev/wd0k', '/dev/vnd0d', '/var/xen/a.img', '/dev/wd0e'])
      expect(disk?.remedy).toContain(`\`ls -ld ${path} >> ls-paths.txt\``)
  })

  it('a file that is not a config names no path', () => {
    const findings = run({'files/usr/pkg/etc/xen/bad': 'garbage (('})
    expect(findings.map((f) => f.status)).toEqual(['n/a', 'n/a'])
    for (const f of findings) expect(f.remedy ?? '').not.toContain('ls -ld')
  })
})

describe('withDomuFiles', () => {
  it('lays --domu configs over a dump; same file names get the evidence names as subjects', async () => {
    const base = new DumpEvidenceSet(dumpPath('synthetic-netbsd51-dom0-howto-domus'))
    const extra = await domuEvidenceFromFiles([
      join(dumpPath('synthetic-netbsd51-dom0-howto-linux-solaris-install'), 'files/usr/pkg/etc/xen/linux'),
      join(dumpPath('synthetic-netbsd51-dom0-howto-domus'), 'files/usr/pkg/etc/xen/nbsd'),
    ])
    const ev = withDomuFiles(base, extra)
    expect(ev.names('domu/*')).toEqual(['domu/linux', 'domu/nbsd'])
    expect(ev.get('mount.txt').present).toBe(true)
    const {findings} = runChecks(builtinRegistry(), ev, {target: 'dom0', only: ['domu.name', 'domu.disk']})
    expect(findings.filter((f) => f.id === 'domu.name').map((f) => [f.subject, f.status])).toEqual([
      ['linux', 'pass'],
      ['domu/nbsd', 'fail'],
      ['files/usr/pkg/etc/xen/nbsd', 'fail'],
      ['solaris.cfg', 'pass'],
    ])
    // The linux config and the dump's nbsd both write /dev/wd0e.
    expect(finding(findings, 'domu.disk', 'linux').message).toMatch(/\/dev\/wd0e is also given to/)
    expect(withDomuFiles(base, new Map())).toBe(base)
  })
})

describe('guest configs are recognised by content (recognizeGuestConfig)', () => {
  it.each([
    ['xend-config.sxp', '(xend-relocation-server no)'],
    ['xl.conf', '#autoballoon="auto"\n'],
    ['vif-bridge', '#!/bin/sh\n'],
    ['anything', '#!/usr/pkg/bin/python\n'],
    ['README.NetBSD', 'text'],
    ['nbsd~', 'name = "x"\nkernel = "/netbsd"\n'],
    ['nbsd.orig', 'name = "x"\nkernel = "/netbsd"\n'],
    ['blob', 'a\u0000b'],
  ])('%s is skipped', (file, text) => expect(recognizeGuestConfig(text, undefined, file).guest).toBe(false))

  it.each(['nbsd', 'solaris.cfg', 'linux', 'guest.py', 'win.hvm', 'xl.conf'])(
    '%s is read as a config when it sets name and kernel',
    (file) => expect(recognizeGuestConfig('name = "x"\nkernel = "/netbsd"\n', undefined, file).guest).toBe(true),
  )
})
