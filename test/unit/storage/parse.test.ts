import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseDisklabel, splitPartitionName} from '../../../src/plugins/storage/parse-disklabel.js'
import {parseDumpfs} from '../../../src/plugins/storage/parse-dumpfs.js'
import {expandInstances} from '../../../src/evidence/collect.js'
import {storagePlugin} from '../../../src/plugins/storage/index.js'
import {dumpPath, fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const dumpFile = (dump: string, name: string) => readFileSync(`${dumpPath(dump)}/${name}`, 'utf8')

describe('parseDisklabel', () => {
  it('reads the real GPT-backed fictitious label of ld4 (header, c/e/f, stderr notes)', () => {
    const l = parseDisklabel(sample('disklabel-ld4-gpt-fictitious.txt'), 'disklabel-ld4.txt')
    expect(l.device?.value).toBe('/dev/rld4')
    expect(l.label?.value).toBe('fictitious')
    expect(l.bytesPerSector).toMatchObject({value: 512, line: 6})
    expect(l.totalSectors?.value).toBe(20971520n)
    expect(l.declaredPartitions?.value).toBe(6)
    expect(Object.keys(l.partitions)).toEqual(['c', 'e', 'f'])
    expect(l.partitions.c!.value).toMatchObject({
      sizeSectors: 20971520n,
      offsetSectors: 0n,
      fstype: 'unused',
      fsize: 0,
      bsize: 0,
    })
    expect(l.partitions.e!.value).toMatchObject({sizeSectors: 163840n, offsetSectors: 32768n, fstype: 'MSDOS'})
    expect(l.partitions.e!.value.fsize).toBeUndefined()
    expect(l.partitions.f!.value.fstype).toBe('unknown')
    expect(l.partitions.f!.line).toBe(23)
    expect(l.errors).toEqual([])
  })

  it('reads the real partial table without header (fsize 2048, bsize 16384)', () => {
    const l = parseDisklabel(sample('disklabel-partial-sd3-hpcarm-liveimage-ffs-2048-16384.txt'), 'disklabel-sd3.txt')
    expect(l.bytesPerSector).toBeUndefined()
    expect(l.partitions.a!.value).toMatchObject({
      letter: 'a',
      sizeSectors: 2947392n,
      offsetSectors: 393216n,
      fstype: '4.2BSD',
      fsize: 2048,
      bsize: 16384,
      cpg: 0,
    })
    expect(l.partitions.a!.line).toBe(2)
    expect(l.partitions.b!.value.fstype).toBe('swap')
    expect(Object.keys(l.partitions).sort()).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('reads the real label of a vnd on a NetBSD 5.0_STABLE dom0, published with its blanks collapsed (no a: root, `Linux Ext2`)', () => {
    const l = parseDisklabel(
      sample('disklabel-vnd0-netbsd50-xen3-dom0-blog-collapsed-spaces.txt'),
      'disklabel-vnd0.txt',
    )
    // The name disklabel opened, as printed: `disklabel /dev/vnd0` printed `# /dev/vnd0d:` here.
    expect(l.device).toMatchObject({value: '/dev/vnd0d', line: 1})
    expect(l.label?.value).toBe('fictitious')
    expect(l.totalSectors).toMatchObject({value: 2097152n, line: 11})
    expect(l.declaredPartitions).toMatchObject({value: 9, line: 20})
    expect(Object.keys(l.partitions)).toEqual(['d', 'e', 'i'])
    expect(l.partitions.d!.value).toMatchObject({sizeSectors: 2097152n, offsetSectors: 0n, fstype: 'unused'})
    expect(l.partitions.e).toMatchObject({
      value: {sizeSectors: 1863477n, offsetSectors: 63n, fstype: 'Linux Ext2', fsize: 0, bsize: 0},
      line: 23,
    })
    expect(l.partitions.i).toMatchObject({
      value: {sizeSectors: 224847n, offsetSectors: 1863603n, fstype: 'swap'},
      line: 24,
    })
    expect(l.errors).toEqual([])
  })

  it('reads the full printlabel.c layout of the fixture dumps', () => {
    const l = parseDisklabel(
      dumpFile('synthetic-howto-grub-small-ffsv1-root', 'disklabel-wd0.txt'),
      'disklabel-wd0.txt',
    )
    expect(l.partitions.a!.value).toMatchObject({
      sizeSectors: 786432n,
      fstype: '4.2BSD',
      fsize: 1024,
      bsize: 8192,
      cpg: 16,
    })
    expect(l.sectorsPerCylinder).toBe(1008)
  })

  it('keeps an fstype with a space (`Linux Ext2`, %10.10s) and its sizes', () => {
    const l = parseDisklabel(
      ' g:  41943040 104857600 Linux Ext2   1024  4096        # (Cyl. 104025*- 145635*)\n h:   8388608 146800640 Apple UFS   1024  8192    16\n i:    204800 155189248    ISO9660      0            \n',
      'x',
    )
    expect(l.partitions.g!.value).toMatchObject({fstype: 'Linux Ext2', fsize: 1024, bsize: 4096})
    expect(l.partitions.h!.value).toMatchObject({fstype: 'Apple UFS', fsize: 1024, bsize: 8192, cpg: 16})
    expect(l.partitions.i!.value.fstype).toBe('ISO9660')
    expect(l.partitions.i!.value.fsize).toBeUndefined()
  })

  it('handles disks past 2 TB: sizes stay exact as BigInt, and old %8d negatives are wrapped to unsigned', () => {
    const l = parseDisklabel(
      'bytes/sector: 512\ntotal sectors: 7814037168\n a: 4294967295         0     4.2BSD   4096 32768     0\n  b: -1073741824 0 unused 0 0\n',
      'x',
    )
    expect(l.totalSectors?.value).toBe(7814037168n)
    expect(l.partitions.a!.value.sizeSectors * 512n).toBe(2199023255040n)
    expect(l.partitions.b!.value.sizeSectors).toBe(3221225472n)
  })

  it('converts `disklabel -c` cyl/trk/sec sizes with the header geometry, and refuses them without it', () => {
    const head = 'sectors/track: 63\ntracks/cylinder: 16\nsectors/cylinder: 1008\n'
    const row = ' a: 780/2/12 0/0/63 4.2BSD 1024 8192 16\n'
    expect(parseDisklabel(head + row, 'x').partitions.a!.value.sizeSectors).toBe(BigInt(780 * 1008 + 2 * 63 + 12))
    const bare = parseDisklabel(row, 'x')
    expect(bare.partitions.a).toBeUndefined()
    expect(bare.unreadable).toHaveLength(1)
  })

  it('keeps disklabel error lines', () => {
    const l = parseDisklabel('disklabel: /dev/rwd1d: No such file or directory\n', 'x')
    expect(l.errors[0]).toMatchObject({line: 1})
    expect(l.partitions).toEqual({})
  })

  it('never throws on any input and only yields well-formed partitions', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const l = parseDisklabel(text, 'x')
        for (const p of Object.values(l.partitions)) {
          expect(p.value.sizeSectors >= 0n).toBe(true)
          expect(/^[a-p]$/.test(p.value.letter)).toBe(true)
        }
      }),
    )
    const real = sample('disklabel-ld4-gpt-fictitious.txt')
    fc.assert(
      fc.property(fc.nat(real.length), (cut) => {
        parseDisklabel(real.slice(0, cut), 'x')
      }),
    )
  })

  it('splits partition names', () => {
    expect(splitPartitionName('wd0a')).toEqual({disk: 'wd0', letter: 'a'})
    expect(splitPartitionName('raid10e')).toEqual({disk: 'raid10', letter: 'e'})
    expect(splitPartitionName('dk1')).toBeUndefined()
  })
})

describe('parseDumpfs', () => {
  it('reads a `format\\tFFSv1` layout without the `file system:` line (the synthetic NetBSD 5.1 dumps)', () => {
    const d = parseDumpfs(dumpFile('synthetic-howto-grub-small-ffsv1-root', 'dumpfs-wd0a.txt'), 'dumpfs-wd0a.txt')
    expect(d.ffsVersion).toMatchObject({value: 1, line: 1})
    expect(d.magic?.value).toBe('11954')
    expect(d.bsize).toMatchObject({value: 8192, line: 8})
    expect(d.fsize).toMatchObject({value: 1024, line: 9})
  })

  it('reads the rev 1.44 layout (`file system:`, `magic\\t19540119 (UFS2)`) of the synthetic FFSv2 dumps', () => {
    const d = parseDumpfs(dumpFile('synthetic-grub-large-ffsv2-root', 'dumpfs-wd0a.txt'), 'dumpfs-wd0a.txt')
    expect(d.fileSystem?.value).toBe('/dev/rwd0a')
    expect(d.ffsVersion).toMatchObject({value: 2, line: 3})
    expect(d.bsize?.value).toBe(16384)
    expect(d.fsize?.value).toBe(2048)
  })

  it('reads the rev 1.64 layout (2018, NetBSD 9): `file system:`, `format`, `endian`, `location` of an FFSv2 superblock, `magic %-8x`', () => {
    // Printed as usr.sbin/dumpfs/dumpfs.c rev 1.64 (2018/03/06) prints it; the numbers are invented.
    const v164 = [
      'file system: /dev/rwd0a',
      'format\tFFSv2',
      'endian\tlittle-endian',
      'location 65536\t(-b 128)',
      'magic\t19540119\ttime\tThu Apr  4 11:02:17 2024',
      'superblock location\t65536\tid\t[ 660e8a39 6e5f1b2c ]',
      'cylgrp\tdynamic\tinodes\tFFSv2\tsblock\tFFSv2\tfslevel 5',
      'nbfree\t101234\tndir\t2102\tnifree\t245000\tnffree\t1500',
      'ncg\t12\tsize\t2097152\tblocks\t2064270',
      'bsize\t32768\tshift\t15\tmask\t0xffff8000',
      'fsize\t4096\tshift\t12\tmask\t0xfffff000',
      '',
    ].join('\n')
    const d = parseDumpfs(v164, 'dumpfs-wd0a.txt')
    expect(d.fileSystem).toMatchObject({value: '/dev/rwd0a', line: 1})
    expect(d.ffsVersion).toMatchObject({value: 2, line: 2})
    expect(d.magic).toMatchObject({value: '19540119', line: 5})
    expect(d.bsize).toMatchObject({value: 32768, line: 10})
    expect(d.fsize).toMatchObject({value: 4096, line: 11})
    const v1 = parseDumpfs(
      'file system: /dev/rwd0a\nformat\tFFSv1\nendian\tlittle-endian\nmagic\t11954   \ttime\tSat Nov 13 10:12:41 2010\n',
      'x',
    )
    expect(v1.ffsVersion).toMatchObject({value: 1, line: 2})
    expect(v1.magic?.value).toBe('11954')
  })

  it('reads an old dumpfs without a format line from the magic number, and ignores cylinder group magics', () => {
    const old =
      'magic\t11954\ttime\tSat Jan  1 00:00:00 2000\ncylgrp\tdynamic\tinodes\t4.4BSD\nbsize\t8192\tshift\t13\tmask\t0xffffe000\nfsize\t1024\tshift\t10\tmask\t0xfffffc00\n\ncg 0:\nmagic\t90255\ttell\t6000\ttime\tSat Jan  1 00:00:00 2000\nbsize\t65536\n'
    const d = parseDumpfs(old, 'x')
    expect(d.ffsVersion).toMatchObject({value: 1, line: 1})
    expect(d.bsize?.value).toBe(8192)
    expect(parseDumpfs('magic\t19540119\ttime\tx\n', 'x').ffsVersion?.value).toBe(2)
    expect(parseDumpfs('magic\t90255\ttime\tx\n', 'x').ffsVersion).toBeUndefined()
  })

  it('never throws, and garbage yields no FFS version', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const d = parseDumpfs(text, 'x')
        if (!/11954|19540119|FFSv[12]|UFS[12]/.test(text)) expect(d.ffsVersion).toBeUndefined()
      }),
    )
  })
})

describe('storage evidence specs expand on a live host', () => {
  const spec = (name: string) => storagePlugin.evidence.find((s) => s.name === name)!
  const present = (name: string, text: string) =>
    new Map([[name, {name, present: true as const, text, origin: 'test'}]])

  it('one disklabel per disk of hw.disknames (not cd/dk)', () => {
    expect(
      expandInstances(
        spec('disklabel-{disk}.txt'),
        present('sysctl.txt', 'hw.ncpu = 2\nhw.disknames = wd0 cd0 dk0 sd1 ld4\nhw.physmem64 = 1\n'),
      ),
    ).toEqual(['ld4', 'sd1', 'wd0'])
  })

  it('one dumpfs per mounted FFS partition', () => {
    const mount = readFileSync(fixture('samples', 'mount-jp-pbulk-wd0-kernfs.txt'), 'utf8')
    expect(expandInstances(spec('dumpfs-{partition}.txt'), present('mount.txt', mount))).toEqual([
      'wd0a',
      'wd0e',
      'wd0f',
      'wd0g',
    ])
  })
})
