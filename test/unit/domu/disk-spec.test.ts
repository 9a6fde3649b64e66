import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseDiskSpec} from '../../../src/plugins/domu/disk-spec.js'
import {parseDisk} from '../../../src/plugins/domu/parse-entries.js'

describe('parseDiskSpec: xl-disk-configuration(5)', () => {
  it("reads the man page's equivalent strings alike", () => {
    for (const s of [
      '/dev/vg/guest-volume,,hda',
      '/dev/vg/guest-volume,raw,hda,rw',
      'format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume',
      'raw:/dev/vg/guest-volume,hda,w',
    ]) {
      expect(parseDiskSpec(s)).toMatchObject({
        target: '/dev/vg/guest-volume',
        vdev: 'hda',
        writable: true,
        problems: [],
      })
    }
  })

  it('reads the cdrom forms, with access r by default', () => {
    for (const s of [
      '/root/image.iso,,hdc,cdrom',
      '/root/image.iso,,hdc,,cdrom',
      '/root/image.iso,raw,hdc,devtype=cdrom',
      'format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso',
      'raw:/root/image.iso,hdc:cdrom,ro',
    ]) {
      expect(parseDiskSpec(s)).toMatchObject({
        target: '/root/image.iso',
        vdev: 'hdc',
        devtype: 'cdrom',
        writable: false,
        kind: 'file',
        problems: [],
      })
    }
  })

  it("reads the Howto's deprecated forms and strips the prefixes", () => {
    expect(parseDiskSpec('phy:/dev/wd0e,0x1,w')).toMatchObject({
      kind: 'phy',
      target: '/dev/wd0e',
      vdev: '0x1',
      writable: true,
      prefixes: ['phy'],
    })
    expect(parseDiskSpec('file:/var/xen/nbsd-disk,0x01,w')).toMatchObject({kind: 'file', target: '/var/xen/nbsd-disk'})
    expect(parseDiskSpec('tap:aio:/var/xen/tap.img,xvda,w')).toMatchObject({
      kind: 'tap',
      target: '/var/xen/tap.img',
      prefixes: ['tap', 'aio'],
    })
    expect(parseDiskSpec('phy:/dev/vnd0d,6:cdrom,r')).toMatchObject({
      target: '/dev/vnd0d',
      vdev: '6',
      devtype: 'cdrom',
      writable: false,
    })
    expect(parseDiskSpec('phy:wd0e,0x1,w')).toMatchObject({target: '/dev/wd0e'})
  })

  it('takes target= as the rest of the entry and mixes positional and named parameters', () => {
    expect(parseDiskSpec('vdev=xvda, access=rw, target=/images/a,b.img')).toMatchObject({
      target: '/images/a,b.img',
      vdev: 'xvda',
    })
    expect(parseDiskSpec('/var/xen/iso.iso,raw,xvdb,ro,devtype=cdrom')).toMatchObject({
      target: '/var/xen/iso.iso',
      vdev: 'xvdb',
      writable: false,
      devtype: 'cdrom',
      problems: [],
    })
    expect(parseDiskSpec('format=raw, vdev=xvda, access=rw, target=/dev/dk3')).toMatchObject({
      kind: 'phy',
      target: '/dev/dk3',
    })
  })

  it('agrees with the entries parser on every form that parser reads (Howto, xl key and positional forms)', () => {
    for (const s of [
      'phy:/dev/wd0e,0x1,w',
      'phy:/dev/wd0k,0,w',
      'phy:/dev/wd0e,0x300,w',
      'file:/var/xen/x,0x01,w',
      '/dev/vg/guest-volume,raw,xvda,rw',
      'format=raw, vdev=xvda, access=rw, target=/dev/wd0e',
    ]) {
      const a = parseDisk(s)
      const b = parseDiskSpec(s)
      expect([b.kind, b.target, b.vdev, b.writable, b.problems]).toEqual([
        a.kind,
        a.target,
        a.vdev,
        a.writable,
        a.problems,
      ])
    }
  })

  it('reports what is wrong, and never throws', () => {
    expect(parseDiskSpec('').problems).toContain('no device or file (target) is given')
    expect(parseDiskSpec('/dev/dk3,raw,xvda,rx').problems.join()).toMatch(/MODE "rx"/)
    expect(parseDiskSpec('/dev/dk3,raw,xvda,rw,extra,more').problems.join()).toMatch(/positional/)
    expect(parseDiskSpec('/x.img,vmdk,xvda,rw').problems.join()).toMatch(/format vmdk/)
    fc.assert(
      fc.property(fc.string({maxLength: 200}), (s) => {
        const d = parseDiskSpec(s)
        expect(Array.isArray(d.problems)).toBe(true)
      }),
    )
  })
})
