import {describe, expect, it} from 'vitest'
import {parseDf} from '../../../src/parsers/df.js'
import {parseLsLd} from '../../../src/parsers/ls.js'
import {parseDiskSpec} from '../../../src/plugins/domu/disk-spec.js'
import {type DiskWorld, diskExample, judgeDiskTarget} from '../../../src/plugins/domu/disk-target.js'
import {buildDiskMap} from '../../../src/plugins/storage/disk-map.js'
import {diskOwnership} from '../../../src/plugins/storage/ownership.js'

const ref = (source: string, line: number) => ({source, line, text: ''})
const r = (offset: number, size: number) => ({offsetSectors: BigInt(offset), sizeSectors: BigInt(size)})
const map = buildDiskMap({
  labels: [],
  wedgeLists: [
    {
      disk: 'wd0',
      wedges: [
        {name: 'dk1', label: 'root', range: r(264192, 104857600), ptype: 'ffs', ref: ref('dkctl-wd0.txt', 3)},
        {name: 'dk3', label: 'guest1', range: r(113510400, 20971520), ptype: 'ffs', ref: ref('dkctl-wd0.txt', 5)},
      ],
    },
  ],
  mounts: [
    {device: '/dev/dk1', mountPoint: '/', ref: ref('mount.txt', 1)},
    {device: '/dev/dk3', mountPoint: '/home', ref: ref('mount.txt', 2)},
  ],
  rawPartition: 'd',
})
const paths = parseLsLd(`brw-r-----  1 root  operator  168, 1 Mar 28  2024 /dev/dk1
crw-r-----  1 root  operator  168, 4 Mar 28  2024 /dev/rdk4
-rw-------  1 root  wheel  4294967296 Nov 20 09:14 /home/xen/full.img
-rw-------  1 root  wheel  4294967296 Nov 20 09:14 /var/xen/ok.img
ls: /var/xen/missing.img: No such file or directory
drwxr-xr-x  2 root  wheel  512 Nov 20 09:14 /var/xen
`)
const df = parseDf(
  'Filesystem 1K-blocks Used Avail %Cap Mounted on\n/dev/dk1 100 40 60 40% /\n/dev/dk3 100 96 4 96% /home\n',
  'df.txt',
).entries
const world: DiskWorld = {map, ownership: diskOwnership(map), paths, df}
const judge = (spec: string, w: DiskWorld = world) => judgeDiskTarget(parseDiskSpec(spec), w)

describe('judgeDiskTarget', () => {
  it("fails dom0's root wedge, even by its raw name", () => {
    expect(judge('phy:/dev/dk1,xvda,w')).toMatchObject({status: 'fail'})
    expect(judge('format=raw, vdev=xvda, access=rw, target=/dev/rdk1').status).toBe('fail')
  })

  it('warns for a raw name of a free wedge (never a pass), and is unknown for device-mapper', () => {
    const raw = judge('format=raw, vdev=xvda, access=rw, target=/dev/rdk4')
    expect(raw.status).not.toBe('pass')
    expect(judge('format=raw, vdev=xvda, access=rw, target=/dev/mapper/vg0-g').status).toBe('unknown')
  })

  it('images: missing fails, a directory fails, > 90 % full warns, otherwise passes; unknown when not listed', () => {
    expect(judge('file:/var/xen/missing.img,xvda,w').status).toBe('fail')
    expect(judge('file:/var/xen,xvda,w').status).toBe('fail')
    expect(judge('format=raw, vdev=xvda, access=rw, target=/home/xen/full.img')).toMatchObject({
      status: 'warn',
      parts: expect.arrayContaining([expect.stringMatching(/\/home \(\/dev\/dk3\), is 96% full/)]),
    })
    expect(judge('format=raw, vdev=xvda, access=ro, target=/home/xen/full.img').status).toBe('pass')
    expect(judge('/var/xen/ok.img,raw,xvda,rw').status).toBe('pass')
    expect(judge('/var/xen/other.img,raw,xvda,rw')).toMatchObject({
      status: 'unknown',
      need: ['ls -ld /var/xen/other.img >> ls-paths.txt'],
    })
    expect(judge('/var/xen/ok.img,raw,xvda,rw', {...world, df: undefined})).toMatchObject({
      status: 'pass',
      parts: expect.arrayContaining([expect.stringMatching(/no df.txt/)]),
    })
  })

  it('without the disk map a device is unknown; remedies follow the era', () => {
    expect(judge('phy:/dev/dk3,xvda,w', {paths, df, mapError: 'the storage facts are unavailable'}).status).toBe(
      'unknown',
    )
    expect(diskExample('xl')).toBe("disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/dk3' ]")
    expect(diskExample('xm')).toBe("disk = [ 'phy:/dev/wd0e,0x1,w' ]")
  })
})
