import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {hexBdf, pcictlBdf} from '../../../src/parsers/pci-address.js'
import {parseLspci, parsePcictlList} from '../../../src/plugins/pci/parse-listing.js'
import {parseAssignableList, parseDmesgPci, parseKernXenPciListing} from '../../../src/plugins/pci/parse-dom0.js'
import {parseDomuPciEntry} from '../../../src/plugins/pci/parse-domu.js'
import {parseXenIommuLines} from '../../../src/parsers/xen-boot-log.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')

describe('parsePcictlList (decimal bus:dev:func, pci_devinfo text)', () => {
  it('reads the real QEMU i440FX listing: classes, unnamed vendor, line numbers', () => {
    const d = parsePcictlList(sample('pcictl-qemu-i440fx-virtio.txt'), 'pcictl-pci0.txt')
    expect(d).toHaveLength(8)
    expect(d.map((x) => x.value.kind)).toEqual([
      'host-bridge',
      'isa-bridge',
      'storage',
      'bridge',
      'vga',
      'other',
      'network',
      'other',
    ])
    expect(d[0]!.value.name).toBe('Intel 82441FX (PMC) PCI and Memory Controller')
    expect(d[4]!.value).toMatchObject({
      name: 'vendor 1234 product 1111',
      classText: 'VGA display, revision 0x02',
      vendorId: 0x1234,
      productId: 0x1111,
    })
    expect(d[4]!.line).toBe(5)
    expect(d[2]!.value.classText).toBe('IDE mass storage, interface 0x80')
  })

  it('reads two-digit DECIMAL device numbers of a real multi-bus listing: 000:20:0 is hex 00:14.0', () => {
    const d = parsePcictlList(sample('pcictl-xeon-e3-c222-multibus.txt'), 'pcictl-pci0.txt')
    expect(d).toHaveLength(22)
    const xhci = d.find((x) => x.value.name.includes('xHCI'))!
    expect(xhci.value.address).toEqual({domain: 0, bus: 0, device: 20, function: 0})
    expect(hexBdf(xhci.value.address)).toBe('00:14.0')
    expect(pcictlBdf(xhci.value.address)).toBe('000:20:0')
    const lpc = d.find((x) => x.value.name === 'Intel C222 LPC')!
    expect(hexBdf(lpc.value.address)).toBe('00:1f.0')
    expect(lpc.value.kind).toBe('isa-bridge')
    const sata = d.find((x) => x.value.address.device === 31 && x.value.address.function === 2)!
    expect(sata.value.name).toBe('Intel 8 Series (desktop) SATA Controller (AHCI)')
    expect(sata.value.kind).toBe('storage')
    expect(d.find((x) => x.value.address.bus === 6)!.value.kind).toBe('vga')
    expect(d.find((x) => x.value.name.startsWith('Intel 82599'))!.value.name).toBe(
      'Intel 82599 (SFI/SFP+) 10 GbE Controller',
    )
  })

  it('reads the -n numeric form and unnamed classes', () => {
    const d = parsePcictlList(
      '000:02:0: 0x11111234 (0x03000002)\n000:03:0: vendor 0x1af4 product 0x1009 (class 0x06, subclass 0x01)\n',
      'p',
    )
    expect(d[0]!.value).toMatchObject({kind: 'vga', vendorId: 0x1234, productId: 0x1111})
    expect(d[1]!.value.kind).toBe('isa-bridge')
  })

  it('never throws; only valid addresses', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        for (const d of parsePcictlList(s, 'x')) expect(d.value.address.device).toBeLessThanOrEqual(31)
      }),
    )
    const text = sample('pcictl-xeon-e3-c222-multibus.txt')
    fc.assert(fc.property(fc.nat(text.length), (n) => void parsePcictlList(text.slice(0, n), 'x')))
  })
})

describe('parseLspci (hex, -nn class codes, -D domain)', () => {
  it('reads a real lspci -nn: device 01:0c.0 is decimal 12', () => {
    const d = parseLspci(sample('lspci-nn-ubuntu-i845g-natsemi.txt'), 'lspci.txt')
    expect(d).toHaveLength(13)
    const nic = d.at(-1)!
    expect(nic.value).toMatchObject({
      address: {domain: 0, bus: 1, device: 12, function: 0},
      kind: 'network',
      vendorId: 0x100b,
      productId: 0x0020,
      classCode: 2,
      subclassCode: 0,
    })
    expect(nic.value.name).toBe('National Semiconductor Corporation DP83815 (MacPhyter) Ethernet Controller')
    expect(pcictlBdf(nic.value.address)).toBe('001:12:0')
    expect(d[1]!.value.kind).toBe('vga')
    expect(d[7]!.value.kind).toBe('isa-bridge')
    expect(d[7]!.line).toBe(8)
  })

  it('reads the -D domain form and lspci without -nn', () => {
    const d = parseLspci(
      '0000:00:1f.0 ISA bridge [0601]: Intel Corporation Z170 Chipset LPC/eSPI Controller [8086:a145] (rev 31)\n00:02.0 VGA compatible controller: Intel Corporation HD Graphics 530 (rev 06)\n',
      'lspci.txt',
    )
    expect(d[0]!.value).toMatchObject({address: {domain: 0, bus: 0, device: 31, function: 0}, kind: 'isa-bridge'})
    expect(d[1]!.value.kind).toBe('vga')
    expect(d[1]!.value.name).toBe('Intel Corporation HD Graphics 530')
  })

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseLspci(s, 'x')))
  })
})

describe('other PCI evidence', () => {
  it('reads a real xl pci-assignable-list', () => {
    const a = parseAssignableList(
      sample('xl-pci-assignable-list-pastebin-e1000-pair.txt'),
      'xl-pci-assignable-list.txt',
    )
    expect(a.map((x) => hexBdf(x.value))).toEqual(['01:0a.0', '01:0a.1'])
    expect(a[1]!.line).toBe(2)
  })

  it('reads /kern/xen/pci listings (ls -l, plain ls, and the error line)', () => {
    const l = parseKernXenPciListing(
      'total 0\n-r--------  1 root  wheel  0 Mar  3 10:12 0000:00:14.0\n0000:07:00.0\n',
      'k',
    )
    expect([...l.entries.values()].map((e) => hexBdf(e.value))).toEqual(['00:14.0', '07:00.0'])
    const missing = parseKernXenPciListing('ls: /kern/xen/pci: No such file or directory\n', 'k')
    expect(missing.exists).toBe(false)
    expect(missing.error?.line).toBe(1)
  })

  it('maps dmesg attach lines through pciN→bus lines, decimal numbers, NetBSD 10 timestamps', () => {
    const d = parseDmesgPci(
      'pci0 at hypervisor0 bus 0: configuration mode 1\n[   1.0] ppb5 at pci0 dev 28 function 4: x\n[   1.1] pci7 at ppb5 bus 7\npciback0 at pci0 dev 20 function 0: vendor 0x8086 product 0x8c31 (rev. 0x05)\npciback1 at pci7 dev 0 function 0: x\npciback_pci_init: syntax error at char :\nACPI: DMAR 0x00000000BF7A0000 0000C8 (v01 INTEL)\n',
      'dmesg.boot',
    )
    expect(d.busOf.get('pci7')).toBe(7)
    expect(d.attachments.get('0:0:20:0')?.[0]?.value.driver).toBe('pciback0')
    expect(d.attachments.get('0:7:0:0')?.[0]?.line).toBe(5)
    expect(d.hideErrors[0]?.line).toBe(6)
    expect(d.iommuTables).toHaveLength(1)
  })

  it('reads Xen IOMMU lines', () => {
    const x = parseXenIommuLines(
      '(XEN) Intel VT-d iommu 0 supported page sizes: 4kB.\n(XEN) I/O virtualisation disabled\n',
      'xl-dmesg.txt',
    )
    expect(x.enabled).toHaveLength(1)
    expect(x.disabled[0]?.line).toBe(2)
  })

  it('reads domU pci entries: Howto form, pciback(4) form, options, vslot, wildcard, garbage', () => {
    expect(hexBdf(parseDomuPciEntry('0000:00:0a.0').address!)).toBe('00:0a.0')
    expect(hexBdf(parseDomuPciEntry('00:06.0').address!)).toBe('00:06.0')
    expect(hexBdf(parseDomuPciEntry('0000:03:00.0,permissive=1').address!)).toBe('03:00.0')
    expect(hexBdf(parseDomuPciEntry('03:00.0@8').address!)).toBe('03:00.0')
    expect(parseDomuPciEntry('01:0a.*').allFunctions).toBe(true)
    expect(parseDomuPciEntry('bus 0 dev 10').problem).toMatch(/not \[0000:\]bus:dev.func/)
  })

  it('never throw on garbage', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseAssignableList(s, 'x')
        parseKernXenPciListing(s, 'x')
        parseDmesgPci(s, 'x')
        parseXenIommuLines(s, 'x')
        parseDomuPciEntry(s)
      }),
    )
  })
})
