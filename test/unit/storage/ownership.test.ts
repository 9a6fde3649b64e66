import {describe, expect, it} from 'vitest'
import {buildDiskMap, type DiskMapInput} from '../../../src/plugins/storage/disk-map.js'
import {extentOf, ownershipOf} from '../../../src/plugins/storage/ownership.js'

const ref = (source: string, line: number, text = '') => ({source, line, text})
const r = (offset: number, size: number) => ({offsetSectors: BigInt(offset), sizeSectors: BigInt(size)})

/**
 * NetBSD 10 on a GPT disk: dk0 EFI, dk1 root, dk2 swap, dk3 free for a guest; wd1 an empty second disk with a label.
 */
const gpt = (over: Partial<DiskMapInput> = {}): DiskMapInput => ({
  labels: [
    {
      disk: 'wd0',
      source: 'disklabel-wd0.txt',
      totalSectors: 500118192n,
      partitions: [
        {letter: 'c', range: r(0, 500118192), fstype: 'unused', ref: ref('disklabel-wd0.txt', 20)},
        {letter: 'd', range: r(0, 500118192), fstype: 'unused', ref: ref('disklabel-wd0.txt', 21)},
        {letter: 'e', range: r(2048, 262144), fstype: 'MSDOS', ref: ref('disklabel-wd0.txt', 22)},
      ],
    },
    {
      disk: 'wd1',
      source: 'disklabel-wd1.txt',
      totalSectors: 1000000n,
      partitions: [
        {letter: 'a', range: r(64, 999936), fstype: '4.2BSD', ref: ref('disklabel-wd1.txt', 20)},
        {letter: 'd', range: r(0, 1000000), fstype: 'unused', ref: ref('disklabel-wd1.txt', 21)},
      ],
    },
  ],
  wedgeLists: [
    {
      disk: 'wd0',
      wedges: [
        {name: 'dk0', label: 'EFI system', range: r(2048, 262144), ptype: 'msdos', ref: ref('dkctl-wd0.txt', 2)},
        {name: 'dk1', label: 'netbsd-root', range: r(264192, 104857600), ptype: 'ffs', ref: ref('dkctl-wd0.txt', 3)},
        {name: 'dk2', label: 'netbsd-swap', range: r(105121792, 8388608), ptype: 'swap', ref: ref('dkctl-wd0.txt', 4)},
        {name: 'dk3', label: 'guest1', range: r(113510400, 20971520), ptype: 'ffs', ref: ref('dkctl-wd0.txt', 5)},
      ],
    },
  ],
  mounts: [{device: '/dev/dk1', mountPoint: '/', ref: ref('mount.txt', 1)}],
  fstab: [
    {device: 'NAME=netbsd-root', mountPoint: '/', type: 'ffs', ref: ref('files/etc/fstab', 1)},
    {device: 'NAME=netbsd-swap', mountPoint: 'none', type: 'swap', ref: ref('files/etc/fstab', 2)},
  ],
  rawPartition: 'd',
  ...over,
})

describe("ownershipOf: dom0's wedges, partitions and whole disks", () => {
  const map = buildDiskMap(gpt())

  it("dom0's root wedge and the raw whole disk that holds it are dom0's (the harmful pass of issue 16)", () => {
    expect(ownershipOf(map, '/dev/dk1')).toMatchObject({
      owner: 'dom0',
      says: "dk1 is dom0's root file system, mounted on /",
    })
    const whole = ownershipOf(map, '/dev/wd0d')
    expect(whole).toMatchObject({owner: 'dom0', says: expect.stringContaining('whole disk wd0, which holds dk0')})
    expect(ownershipOf(map, '/dev/rwd0d').owner).toBe('dom0')
    expect(ownershipOf(map, '/dev/wd0').owner).toBe('dom0')
    expect(ownershipOf(map, '/dev/rdk1').owner).toBe('dom0')
  })

  it("swap named by its GPT label in fstab is dom0's; a partition overlapping a wedge dom0 uses is dom0's", () => {
    expect(ownershipOf(map, '/dev/dk2')).toMatchObject({owner: 'dom0', says: "dk2 is dom0's swap, in fstab"})
    const c = ownershipOf(map, '/dev/wd0c')
    expect(c).toMatchObject({owner: 'dom0', says: expect.stringContaining('overlaps')})
  })

  it('a wedge nothing uses, and a whole second disk with nothing mounted, are free', () => {
    expect(ownershipOf(map, '/dev/dk3')).toMatchObject({owner: 'free'})
    expect(ownershipOf(map, '/dev/dk0')).toMatchObject({
      owner: 'dom0',
      says: 'dk0 is the EFI system partition dom0 boots from',
    })
    expect(ownershipOf(map, '/dev/wd1d')).toMatchObject({
      owner: 'free',
      says: expect.stringContaining('mounts nothing on it'),
    })
    expect(ownershipOf(map, '/dev/wd1a')).toMatchObject({owner: 'free'})
  })

  it('device-mapper and unknown names are unknown, never free', () => {
    expect(ownershipOf(map, '/dev/mapper/vg0-guest1')).toMatchObject({owner: 'unknown'})
    expect(ownershipOf(map, '/dev/vg0/guest1')).toMatchObject({owner: 'unknown'})
    expect(ownershipOf(map, '/dev/zvol/dsk/tank/g1')).toMatchObject({owner: 'unknown'})
  })

  it('without the wedge list, a wedge other than root is unknown and a partition of the root disk too', () => {
    const m = buildDiskMap(gpt({wedgeLists: []}))
    expect(ownershipOf(m, '/dev/dk1').owner).toBe('dom0')
    expect(ownershipOf(m, '/dev/dk3')).toMatchObject({
      owner: 'unknown',
      need: expect.arrayContaining([expect.stringContaining('dkctl')]),
    })
    expect(ownershipOf(m, '/dev/wd0e')).toMatchObject({
      owner: 'unknown',
      says: expect.stringContaining('which disk dk1'),
    })
    // The whole disk of wd1: dom0's root is a wedge on some disk; without the lists it could be wd1.
    expect(ownershipOf(m, '/dev/wd1d').owner).toBe('unknown')
  })

  it("classic disklabel dom0: root wd0a, swap wd0b; wd0e free, wd0d whole disk dom0's, wd0k overlapping wd0a dom0's", () => {
    const m = buildDiskMap({
      labels: [
        {
          disk: 'wd0',
          source: 'disklabel-wd0.txt',
          totalSectors: 1000000n,
          partitions: [
            {letter: 'a', range: r(63, 400000), fstype: '4.2BSD', ref: ref('disklabel-wd0.txt', 20)},
            {letter: 'b', range: r(400063, 100000), fstype: 'swap', ref: ref('disklabel-wd0.txt', 21)},
            {letter: 'd', range: r(0, 1000000), fstype: 'unused', ref: ref('disklabel-wd0.txt', 22)},
            {letter: 'e', range: r(500063, 200000), fstype: '4.2BSD', ref: ref('disklabel-wd0.txt', 23)},
            {letter: 'k', range: r(300000, 200000), fstype: '4.2BSD', ref: ref('disklabel-wd0.txt', 24)},
          ],
        },
      ],
      wedgeLists: [],
      mounts: [{device: '/dev/wd0a', mountPoint: '/', ref: ref('mount.txt', 1)}],
      fstab: [{device: '/dev/wd0b', mountPoint: 'none', type: 'swap', ref: ref('files/etc/fstab', 2)}],
      rawPartition: 'd',
    })
    expect(ownershipOf(m, '/dev/wd0e').owner).toBe('free')
    expect(ownershipOf(m, '/dev/wd0d').owner).toBe('dom0')
    expect(ownershipOf(m, '/dev/wd0k')).toMatchObject({owner: 'dom0', says: expect.stringContaining('wd0a')})
    expect(ownershipOf(m, '/dev/wd0b').owner).toBe('dom0')
    // A partition of a disk without a label, where dom0 uses nothing: free (whether it exists is ls-paths.txt's
    // business).
    expect(ownershipOf(m, '/dev/wd1e')).toMatchObject({owner: 'free'})
  })

  it('with no mount.txt and no fstab, nothing is known', () => {
    const m = buildDiskMap(gpt({mounts: undefined, fstab: undefined}))
    expect(ownershipOf(m, '/dev/dk3')).toMatchObject({owner: 'unknown', need: ['mount > mount.txt']})
  })

  it("extentOf gives the sectors two guests' devices cover, to compare them", () => {
    expect(extentOf(map, '/dev/dk3')).toEqual({name: 'dk3', disk: 'wd0', range: r(113510400, 20971520)})
    expect(extentOf(map, '/dev/rwd0d')).toMatchObject({disk: 'wd0', range: r(0, 500118192)})
    expect(extentOf(map, '/dev/mapper/x')).toBeUndefined()
  })
})

describe('freeDevices and largestGap: room for guests on a GPT disk', () => {
  it("lists the free wedge and the second disk's free partitions, not dom0's, not swap, not the fictitious c/d", async () => {
    const {freeDevices, largestGap} = await import('../../../src/plugins/storage/free-space.js')
    const map = buildDiskMap(gpt())
    expect(
      freeDevices(map, new Set(['wd0']))
        .map((d) => d.name)
        .sort(),
    ).toEqual(['dk3', 'wd1', 'wd1a'])
    // wd0: wedges end at 113510400 + 20971520; the rest up to the GPT tail is free.
    expect(largestGap(map, 'wd0')).toEqual(r(134481920, 500118192 - 33 - 134481920))
    expect(largestGap(map, 'wd1')).toBeUndefined()
  })
})
