import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import {baseName, buildTable, parseConfigText, provenance, rcsId} from '../../../scripts/gen-driver-tables.mjs'

// Short excerpts in the shape of sys/arch/amd64/conf/XEN3_DOM0 (netbsd-10, rev 1.197.4.3).
const files: Record<string, string> = {
  'arch/amd64/conf/XEN3_DOM0': [
    '# $NetBSD: XEN3_DOM0,v 1.197.4.3 2023/10/18 16:53:04 martin Exp $',
    'include \t"arch/amd64/conf/std.xen"',
    'mainbus0 at root',
    'pci*\tat hypervisor? bus ?',
    'pci*\tat ppb? bus ?\t# comment after a device',
    '#agp*\tat pchb?\t\t\t# INTENTIONAL OMISSION - crashes reported with agp',
    '#i915drmkms*\tat pci? dev ? function ?\t# also require disabled agp',
    'wm*\tat pci? dev ? function ?\t# Intel 82543/82544 gigabit',
    'ld*\tat nvme? nsid ?',
    'ld*\tat sdmmc?',
    '#com0\tat isa? port 0x3f8 irq 4\t# Standard PC serial ports',
    'com1\tat isa? port 0x2f8 irq 3',
    'options \tMSGBUFSIZE=24576',
    'no options\tSVS',
    'no ld* at sdmmc?',
    'no wm',
    'pseudo-device\txbdback',
    'cinclude "arch/amd64/conf/XEN3_DOM0.local"',
  ].join('\n'),
  'arch/amd64/conf/std.xen':
    '# $NetBSD: std.xen,v 1.7.2.1 2016/10/05 20:55:23 skrll Exp $\nmachine xen amd64\ninclude "conf/std"\n',
  'conf/std': 'options\tSOMETHING\nvirtio*\tat pci? dev ? function ?\t# only to prove includes are followed\n',
}
const read = (p: string) => files[p]

describe('gen-driver-tables parser', () => {
  it('drops commented lines, options and keeps device attachments by base name', () => {
    const s = parseConfigText(files['arch/amd64/conf/XEN3_DOM0'])
    const devices = s
      .filter((x: {kind: string}) => x.kind === 'device')
      .map((x: {name: string; parent: string}) => `${x.name}@${x.parent}`)
    expect(devices).toEqual(['mainbus@root', 'pci@hypervisor', 'pci@ppb', 'wm@pci', 'ld@nvme', 'ld@sdmmc', 'com@isa'])
    expect(devices.join(' ')).not.toMatch(/agp|i915drmkms/)
  })

  it('follows include and cinclude, applies `no` lines and records provenance', () => {
    const t = buildTable('arch/amd64/conf/XEN3_DOM0', read)
    expect(t.drivers.virtio).toEqual(['pci'])
    expect(t.drivers.ld).toEqual(['nvme'])
    expect(t.drivers.wm).toBeUndefined()
    expect(t.drivers.com).toEqual(['isa'])
    expect(t.pseudo).toEqual(['xbdback'])
    expect(t.files.map((f: {path: string}) => f.path)).toEqual([
      'sys/arch/amd64/conf/XEN3_DOM0',
      'sys/arch/amd64/conf/std.xen',
      'sys/conf/std',
    ])
    expect(t.files[0].revision).toBe('1.197.4.3')
    expect(t.unread).toBeUndefined()
  })

  it('a missing include is an error on a source tree, recorded as unread in lenient mode; a missing cinclude is fine', () => {
    const partial = (p: string) => (p === 'conf/std' ? undefined : files[p])
    expect(() => buildTable('arch/amd64/conf/XEN3_DOM0', partial)).toThrow(/conf\/std: included but not found/)
    const t = buildTable('arch/amd64/conf/XEN3_DOM0', partial, {lenient: true})
    expect(t.unread).toEqual(['conf/std'])
    expect(t.drivers.virtio).toBeUndefined()
  })

  it('names, quotes and RCS ids', () => {
    expect(['wm*', 'com1', 'isa0', 'pci?', 'ieee1394if*'].map(baseName)).toEqual([
      'wm',
      'com',
      'isa',
      'pci',
      'ieee1394if',
    ])
    expect(parseConfigText('include "a # b"\n')).toEqual([{kind: 'include', path: 'a # b', line: 1}])
    expect(parseConfigText('')).toEqual([])
    expect(rcsId('# $NetBSD: GENERIC,v 1.599.4.5 2024/01/01 00:00:00 x Exp $')?.revision).toBe('1.599.4.5')
    expect(rcsId('garbage')).toBeUndefined()
  })
})

describe('gen-driver-tables provenance', () => {
  const hash = 'b49a09d3d34ac45c41fe9561b0934940ade1b913'

  it('a bare hash is a NetBSD/src commit; an object names the mirror and how its branch was identified', () => {
    expect(provenance(undefined)).toEqual({})
    expect(provenance(hash)).toEqual({commit: hash})
    expect(provenance({repo: 'yamt/netbsd-src', commit: hash, note: 'branch revision 1.599.4.x'})).toEqual({
      repo: 'yamt/netbsd-src',
      commit: hash,
      note: 'branch revision 1.599.4.x',
    })
    // NetBSD/src is the default repository and is not repeated.
    expect(provenance({repo: 'NetBSD/src', commit: hash})).toEqual({commit: hash})
  })

  it('refuses provenance nobody can follow', () => {
    for (const bad of [
      'HEAD',
      'b49a09d',
      42,
      null,
      {commit: 'x'},
      {repo: '../etc', commit: hash},
      {commit: hash, note: 1},
    ])
      expect(() => provenance(bad), JSON.stringify(bad)).toThrow(/commits.json/)
  })

  it('--fetched writes each branch with per-file repository, commit and note, and the branch note', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-driver-tables-'))
    try {
      const put = (path: string, text: string) => {
        mkdirSync(dirname(join(dir, path)), {recursive: true})
        writeFileSync(join(dir, path), text)
      }
      put(
        'HEAD/sys/arch/amd64/conf/GENERIC',
        '# $NetBSD: GENERIC,v 1.617 2025/08/04 20:03:12 skrll Exp $\nmainbus0 at root\nvirtio* at pci? dev ? function ?\ninclude "dev/virtio/virtio.config"\n',
      )
      put(
        'HEAD/sys/dev/virtio/virtio.config',
        '#\t$NetBSD: virtio.config,v 1.2 2025/07/26 14:18:14 martin Exp $\nld* at virtio?\n',
      )
      put(
        'HEAD/commits.json',
        JSON.stringify({
          'sys/arch/amd64/conf/GENERIC': {repo: 'ivadasz/NetBSD', commit: hash, note: 'trunk revision'},
          'sys/dev/virtio/virtio.config': hash,
        }),
      )
      put('HEAD/branch.json', JSON.stringify({note: 'HEAD as of 2025/08/04'}))
      const out = join(dir, 'out')
      const r = spawnSync(process.execPath, ['scripts/gen-driver-tables.mjs', '--fetched', dir, '--out', out], {
        encoding: 'utf8',
      })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      const t = JSON.parse(readFileSync(join(out, 'HEAD.json'), 'utf8'))
      expect(t.note).toBe('HEAD as of 2025/08/04')
      expect(t.missing).toEqual([
        'sys/arch/amd64/conf/XEN3_DOM0',
        'sys/arch/i386/conf/GENERIC',
        'sys/arch/i386/conf/XEN3PAE_DOM0',
      ])
      const k = t.kernels['amd64/GENERIC']
      expect(k.files).toEqual([
        expect.objectContaining({
          path: 'sys/arch/amd64/conf/GENERIC',
          revision: '1.617',
          repo: 'ivadasz/NetBSD',
          commit: hash,
          note: 'trunk revision',
        }),
        {
          path: 'sys/dev/virtio/virtio.config',
          revision: '1.2',
          rcsid: expect.stringContaining('virtio.config,v 1.2'),
          commit: hash,
        },
      ])
      expect(k.drivers.ld).toEqual(['virtio'])

      put('HEAD/commits.json', JSON.stringify({'sys/arch/amd64/conf/GENERIC': 'not-a-commit'}))
      const bad = spawnSync(process.execPath, ['scripts/gen-driver-tables.mjs', '--fetched', dir, '--out', out], {
        encoding: 'utf8',
      })
      expect(bad.status).toBe(2)
      expect(bad.stderr.trim().split('\n')).toHaveLength(1)
      expect(bad.stderr).toMatch(/^gen-driver-tables: commits.json: /)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
