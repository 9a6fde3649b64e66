import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {filesystemOf, parseDf} from '../../../src/parsers/df.js'
import {blockPathOf, parseDiskDevice, rawPartitionLetter} from '../../../src/parsers/disk-device.js'
import {parseListwedges, rawPartitionOfHeader} from '../../../src/parsers/dkctl.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')

describe('parseListwedges (dkctl <disk> listwedges)', () => {
  it('reads the real GPT listing of wd0: UUID names, ffs and swap, 64-bit sizes', () => {
    const w = parseListwedges(sample('dkctl-listwedges-wd0-gpt-ffs-swap-blog.txt'), 'dkctl-wd0.txt')
    expect(w.device?.value).toBe('/dev/rwd0')
    expect(w.disk).toBe('wd0')
    expect(w.declared?.value).toBe(2)
    expect(w.wedges.map((x) => x.value)).toEqual([
      {
        name: 'dk0',
        label: 'aefb383d-5c26-4d11-bbaa-735447bcafcb',
        sizeSectors: 1936911725n,
        offsetSectors: 2048n,
        ptype: 'ffs',
      },
      {
        name: 'dk1',
        label: '5721838e-34ee-4255-bc34-6eb569e5fce8',
        sizeSectors: 16610703n,
        offsetSectors: 1936914432n,
        ptype: 'swap',
      },
    ])
    expect(w.wedges[1]!.line).toBe(3)
    expect(w.errors).toEqual([])
    expect(w.unreadable).toEqual([])
  })

  it('reads the singular header and a GPT label; the ld4 listing with root on dk1', () => {
    const one = parseListwedges(sample('dkctl-listwedges-wd1-one-wedge-blog.txt'), 'dkctl-wd1.txt')
    expect([one.disk, one.declared?.value, one.wedges[0]?.value.label]).toEqual(['wd1', 1, 'Packages'])
    const ld4 = parseListwedges(sample('dkctl-listwedges-ld4-gpt-efi-root.txt'), 'dkctl-ld4.txt')
    expect(ld4.disk).toBe('ld4')
    expect(ld4.wedges.map((x) => [x.value.name, x.value.label, x.value.ptype])).toEqual([
      ['dk0', 'EFI', 'msdos'],
      ['dk1', 'netbsd-root', 'ffs'],
    ])
  })

  it('keeps commas and spaces inside a wedge name (GPT labels are free text), reading the line from its end', () => {
    const w = parseListwedges(
      '/dev/rwd0d: 1 wedge:\ndk3: guest, disk 1, 2097152 blocks at 4196352, type: ffs\n',
      'dkctl-wd0.txt',
    )
    expect(w.wedges[0]!.value).toMatchObject({
      name: 'dk3',
      label: 'guest, disk 1',
      sizeSectors: 2097152n,
      offsetSectors: 4196352n,
    })
    expect(rawPartitionOfHeader(w.device!.value)).toBe('d')
    expect(rawPartitionOfHeader('/dev/rwd0')).toBeUndefined()
  })

  it('says "no wedges", errors and garbage apart; a cut-off file has fewer wedges than declared', () => {
    const none = parseListwedges('/dev/rwd1d: no wedges configured\n', 'dkctl-wd1.txt')
    expect([none.disk, none.none?.line, none.wedges.length]).toEqual(['wd1', 1, 0])
    const err = parseListwedges('dkctl: /dev/rwd9: No such file or directory\n', 'dkctl-wd9.txt')
    expect(err.errors.map((e) => e.line)).toEqual([1])
    expect(err.disk).toBeUndefined()
    const cut = parseListwedges(
      sample('dkctl-listwedges-wd0-gpt-ffs-swap-blog.txt').split('\n').slice(0, 2).join('\n'),
      'dkctl-wd0.txt',
    )
    expect([cut.declared?.value, cut.wedges.length]).toEqual([2, 1])
    const half = parseListwedges('/dev/rwd0: 2 wedges:\ndk0: root, 1000 blocks at', 'dkctl-wd0.txt')
    expect(half.wedges).toEqual([])
    expect(half.unreadable.map((u) => u.line)).toEqual([2])
    expect(parseListwedges('', 'x')).toMatchObject({wedges: [], errors: [], unreadable: []})
    expect(parseListwedges('\u0000\u0001garbage\n<html>', 'x').wedges).toEqual([])
  })

  it('never throws and never invents a wedge from arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 400}), (s) => {
        const w = parseListwedges(s, 'x')
        for (const x of w.wedges) expect(x.text).toMatch(/^dk\d+: .*, \d+ blocks at \d+, type: /)
      }),
    )
  })
})

describe('parseDf', () => {
  it('reads NetBSD df (512-blocks) with root on a wedge', () => {
    const d = parseDf(sample('df-netbsd-gpt-dk11-512blocks.txt'), 'df.txt')
    expect(d.blockSize).toBe(512)
    expect(d.entries).toHaveLength(7)
    expect(d.entries[0]!.value).toEqual({
      filesystem: '/dev/dk11',
      mountPoint: '/',
      sizeBytes: 607675824 * 512,
      usedBytes: 10673184 * 512,
      availBytes: 566618856 * 512,
      capacityPercent: 1,
    })
    expect(d.entries[1]!.value.mountPoint).toBe('/mnt/EFI/boot')
    expect(d.unreadable).toEqual([])
  })

  it("reads df -h sizes and df -k with a negative Avail and %Cap above 100 (bin/df's own test output)", () => {
    const h = parseDf(sample('df-h-netbsd92-hyperv-dk1.txt'), 'df.txt')
    expect(h.blockSize).toBeUndefined()
    expect(h.entries[0]!.value).toMatchObject({
      filesystem: '/dev/dk1',
      mountPoint: '/',
      sizeBytes: 60 * 1024 ** 3,
      capacityPercent: 3,
    })
    expect(h.entries[2]!.value.availBytes).toBe(0)
    const k = parseDf(sample('df-k-netbsd-tests-t_df-excerpt.txt'), 'df.txt')
    expect(k.blockSize).toBe(1024)
    expect(k.entries[2]!.value).toMatchObject({availBytes: -60135833 * 1024, capacityPercent: 105})
    expect(k.entries.at(-1)!.value.mountPoint).toBe('/mount/windows/C')
    expect(k.entries).toHaveLength(6)
  })

  it('reads GNU df and joins a line wrapped after a long file system name', () => {
    const d = parseDf(
      'Filesystem     1K-blocks    Used Available Use% Mounted on\n/dev/mapper/vg0-a--very--long--name\n                 1000000  950000     50000  95% /srv/xen\n',
      'df.txt',
    )
    expect(d.entries.map((e) => [e.value.filesystem, e.value.mountPoint, e.value.capacityPercent, e.line])).toEqual([
      ['/dev/mapper/vg0-a--very--long--name', '/srv/xen', 95, 2],
    ])
  })

  it('finds the file system holding a path: the longest mount point at a / boundary', () => {
    const d = parseDf(
      'Filesystem 1K-blocks Used Avail %Cap Mounted on\n/dev/dk1 100 10 90 10% /\n/dev/dk3 100 95 5 95% /home\n/dev/dk4 100 1 99 1% /home/xen\n',
      'df.txt',
    )
    expect(filesystemOf(d.entries, '/home/xen/a.img')?.value.filesystem).toBe('/dev/dk4')
    expect(filesystemOf(d.entries, '/home/xenimages/a.img')?.value.filesystem).toBe('/dev/dk3')
    expect(filesystemOf(d.entries, '/var/a.img')?.value.filesystem).toBe('/dev/dk1')
    expect(filesystemOf(d.entries, 'relative.img')).toBeUndefined()
  })

  it('gives nothing for empty, truncated, headerless or garbage input, and never throws', () => {
    expect(parseDf('', 'df.txt').entries).toEqual([])
    expect(parseDf('/dev/dk1 100 10 90 10% /\n', 'df.txt').entries).toEqual([])
    const cut = parseDf('Filesystem 1K-blocks Used Avail %Cap Mounted on\n/dev/dk1 100 10 9', 'df.txt')
    expect([cut.entries.length, cut.unreadable.length]).toEqual([0, 1])
    expect(parseDf('<html><body>502</body></html>', 'df.txt').entries).toEqual([])
    fc.assert(
      fc.property(fc.string({maxLength: 300}), (s) => {
        parseDf(s, 'df.txt')
      }),
    )
  })
})

describe('parseDiskDevice', () => {
  it.each([
    ['/dev/dk1', {kind: 'wedge', raw: false, name: 'dk1'}],
    ['/dev/rdk12', {kind: 'wedge', raw: true, name: 'dk12'}],
    ['/dev/wd0e', {kind: 'partition', raw: false, disk: 'wd0', letter: 'e', name: 'wd0e'}],
    ['/dev/rwd0d', {kind: 'partition', raw: true, disk: 'wd0', letter: 'd', name: 'wd0d'}],
    ['/dev/xbd1a', {kind: 'partition', disk: 'xbd1', letter: 'a'}],
    ['/dev/raid0e', {kind: 'partition', disk: 'raid0', letter: 'e'}],
    ['/dev/wd0', {kind: 'disk', raw: false, disk: 'wd0'}],
    ['/dev/rsd1', {kind: 'disk', raw: true, disk: 'sd1'}],
    ['/dev/mapper/vg0-guest1', {kind: 'mapper', name: 'vg0-guest1'}],
    ['/dev/vg0/guest1', {kind: 'mapper', name: 'vg0-guest1', raw: false}],
    ['/dev/vg0/rguest1', {kind: 'mapper', name: 'vg0-guest1', raw: true}],
    ['/dev/zvol/dsk/tank/g1', {kind: 'other'}],
    ['/home/xen/g1.img', {kind: 'other', raw: false}],
    ['/dev/pts/1', {kind: 'other'}],
  ])('%s', (path, want) => {
    expect(parseDiskDevice(path)).toMatchObject(want)
  })

  it('maps raw names to the block device and knows the raw partition of each port', () => {
    expect(blockPathOf(parseDiskDevice('/dev/rdk1'))).toBe('/dev/dk1')
    expect(blockPathOf(parseDiskDevice('/dev/rwd0e'))).toBe('/dev/wd0e')
    expect(blockPathOf(parseDiskDevice('/dev/vg0/rguest1'))).toBe('/dev/vg0/guest1')
    expect(blockPathOf(parseDiskDevice('/dev/dk1'))).toBe('/dev/dk1')
    expect([
      rawPartitionLetter('amd64'),
      rawPartitionLetter('i386'),
      rawPartitionLetter('evbarm'),
      rawPartitionLetter(undefined),
    ]).toEqual(['d', 'd', 'c', undefined])
  })
})
