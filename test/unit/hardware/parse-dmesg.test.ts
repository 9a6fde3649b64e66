import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {chainOf, parseAttachmentTree, pciClassOf} from '../../../src/plugins/hardware/parse-dmesg.js'

const SAMPLES = join(__dirname, '../../fixtures/samples')
const DUMPS = join(__dirname, '../../fixtures/dumps')
const microvm = readFileSync(join(SAMPLES, 'dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt'), 'utf8')

describe('parseAttachmentTree', () => {
  it('reads the real NetBSD 10.99 MICROVM boot (timestamps, virtio-mmio, no PCI)', () => {
    const t = parseAttachmentTree(microvm, 'dmesg.boot')
    expect(t.kernel?.value).toEqual({release: '10.99.10', config: 'MICROVM'})
    expect(t.root?.value).toBe('ld0')
    expect(t.root?.line).toBe(63)
    expect(chainOf(t, 'ld0').map((n) => n.name)).toEqual(['ld0', 'virtio1', 'pv0', 'mainbus0'])
    expect(t.devices.get('com0')).toMatchObject({driver: 'com', parent: 'isa0'})
    expect(t.devices.get('viornd0')?.detail).toMatch(/^features:/)
    // `virtio0: VirtIO-MMIO-v2`, `cpu0: node 0, ...`, `allocated pic ioapic0 ... to cpu0` are not attach lines.
    expect([...t.devices.keys()].sort()).toEqual(
      [
        'cpu0',
        'cpu1',
        'isa0',
        'com0',
        'ioapic0',
        'ld0',
        'mainbus0',
        'pv0',
        'pvclock0',
        'viornd0',
        'virtio0',
        'virtio1',
      ].sort(),
    )
    expect(t.nics.size).toBe(0)
    expect(t.xen).toBeUndefined()
  })

  it('wedges, NICs, not-configured lines and a Xen boot', () => {
    const t = parseAttachmentTree(
      readFileSync(join(DUMPS, 'synthetic-netbsd10-hw-unconfigured-storage/dmesg.boot'), 'utf8'),
      'dmesg.boot',
    )
    expect(t.root?.value).toBe('dk1')
    expect(chainOf(t, 'dk1').map((n) => n.driver)).toEqual(['dk', 'wd', 'atabus', 'ahcisata', 'pci', 'mainbus'])
    expect([...t.nics.keys()]).toEqual(['wm0'])
    expect(t.unconfigured.map((u) => [u.pciClass, u.location])).toEqual([
      ['mass storage', 'pci3 dev 0 function 0'],
      ['memory', 'pci0 dev 31 function 2'],
    ])
    const xen = parseAttachmentTree(
      '[ 1.0] NetBSD 10.0 (XEN3_DOM0) #0: x\n[ 1.0] mainbus0 (root)\nhypervisor0 at mainbus0: Xen version 4.20.0\nroot on wd0a dumps on wd0b\n',
      'dmesg.boot',
    )
    expect(xen.xen?.line).toBe(3)
    expect(xen.root?.value).toBe('wd0')
  })

  it('RAIDframe roots name their components', () => {
    const t = parseAttachmentTree('raid0: Components: /dev/wd0a /dev/wd1a\nroot on raid0a dumps on raid0b\n', 'd')
    expect(t.raidComponents.get('raid0')).toEqual(['wd0', 'wd1'])
    expect(t.root?.value).toBe('raid0')
  })

  it('a second boot in the same text starts a fresh tree', () => {
    const t = parseAttachmentTree(
      'NetBSD 9.3 (GENERIC) #0: x\nwd0 at atabus0 drive 0\nNetBSD 10.0 (GENERIC) #0: y\nld0 at nvme0 nsid 1\n',
      'd',
    )
    expect(t.kernel?.value.release).toBe('10.0')
    expect([...t.devices.keys()]).toEqual(['ld0'])
  })

  it('never throws: empty, truncated, garbage, binary and loops', () => {
    expect(parseAttachmentTree('', 'd').devices.size).toBe(0)
    expect(parseAttachmentTree(microvm.slice(0, 1500), 'd').root).toBeUndefined()
    expect(
      parseAttachmentTree('\u0000\u0001garbage at nowhere\n'.repeat(100) + 'x'.repeat(100_000), 'd').devices.size,
    ).toBe(0)
    const loop = parseAttachmentTree('a0 at b0\nb0 at a0\n', 'd')
    expect(chainOf(loop, 'a0').map((n) => n.name)).toEqual(['a0', 'b0'])
  })

  it('PCI class names as pci_subr.c prints them', () => {
    expect(pciClassOf('SATA mass storage, interface 0x01, revision 0x05')).toBe('mass storage')
    expect(pciClassOf('Ethernet network, revision 0x03')).toBe('network')
    expect(pciClassOf('mass storage, subclass 0x09')).toBe('mass storage')
    expect(pciClassOf('class 0x1F, subclass 0x00')).toBe('class 0x1f')
    expect(pciClassOf('USB serial bus')).toBe('serial bus')
  })
})
