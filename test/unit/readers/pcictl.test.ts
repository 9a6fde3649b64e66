// Issue 17: pcictl listings of every release (usr.sbin/pcictl/pcictl.c rev 1.11 of 2007 to rev 1.22 of 2016,
// docs/sources/readers.md): the line shapes scan_pci_list() prints, and which buses a listing proves empty.
import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parsePcictlList} from '../../../src/plugins/pci/parse-listing.js'
import {pcictlCoverage} from '../../../src/plugins/pci/facts.js'
import {checkDump, checkTexts, finding, fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const coverage = (text: string, name = 'pcictl-pci0.txt') =>
  pcictlCoverage(parsePcictlList(text, name), text, name === 'pcictl-all.txt')
const MULTIBUS = sample('pcictl-xeon-e3-c222-multibus.txt')
const BOOT = (hide: string) =>
  `menu=Xen:load /netbsd-XEN3_DOM0 console=pc pciback.hide=${hide};multiboot /xen.gz dom0_mem=512M\n`
const HOST_BRIDGE = '000:00:0: Intel 82441FX (PMC) PCI and Memory Controller (host bridge, revision 0x02)\n'

describe('pcictl line shapes', () => {
  it('reads `vendor XXXX product YYYY` for a device without a name (real QEMU listing)', () => {
    const d = parsePcictlList(sample('pcictl-qemu-i440fx-virtio.txt'), 'pcictl-pci0.txt')
    const vga = d.find((x) => x.value.address.device === 2)!
    expect(vga.value).toMatchObject({vendorId: 0x1234, productId: 0x1111, kind: 'vga'})
  })

  it("reads -n numbers and rev 1.20's -N ` [%s]` suffix on both forms", () => {
    // `printf("0x%08x (0x%08x)", id, class)` then `printf(" [%s]", drvname)`: the id register is product<<16 | vendor.
    const d = parsePcictlList(
      '000:25:0: 0x153a8086 (0x02000004) [wm0]\n000:31:2: Intel 8 Series SATA (SATA mass storage, AHCI 1.0, revision 0x04) [ahcisata0]\n',
      'pcictl-all.txt',
    )
    expect(d).toHaveLength(2)
    expect(d[0]!.value).toMatchObject({
      vendorId: 0x8086,
      productId: 0x153a,
      kind: 'network',
      address: {bus: 0, device: 25, function: 0},
    })
    expect(d[1]!.value).toMatchObject({
      kind: 'storage',
      name: 'Intel 8 Series SATA',
      classText: 'SATA mass storage, AHCI 1.0, revision 0x04',
    })
  })

  it("reads nothing from pcictl's error lines, an empty file or garbage", () => {
    expect(parsePcictlList('pcictl: "all" is not a number\n', 'pcictl-all.txt')).toEqual([])
    expect(parsePcictlList('pcictl: /dev/pci0: Permission denied\n', 'pcictl-all.txt')).toEqual([])
    expect(parsePcictlList('', 'pcictl-all.txt')).toEqual([])
    expect(parsePcictlList('\u0000\u00ff\n999:99:9: x\n000:32:0: bad device\n000:00:8: bad function\n', 'x')).toEqual(
      [],
    )
  })
})

describe('which buses a pcictl listing covers', () => {
  it('a listing of several buses was a full scan (rev 1.11 of NetBSD 5 lists only the bus of pciN without -b all)', () => {
    expect(coverage(MULTIBUS)).toMatchObject({fullScanBelow: 256})
    expect([...coverage(MULTIBUS).buses].sort((a, b) => a - b)).toEqual([0, 1, 2, 5, 6, 7, 8, 9])
  })

  it('one bus of pcictl-pciN.txt says nothing of the others; pcictl-all.txt with one bus does', () => {
    expect(coverage(HOST_BRIDGE)).toEqual({buses: new Set([0]), fullScanBelow: 0})
    expect(coverage(HOST_BRIDGE, 'pcictl-all.txt')).toEqual({buses: new Set([0]), fullScanBelow: 256})
  })

  it('a cut-off listing (no final newline) proves nothing about its last bus and the ones after it', () => {
    const cut = MULTIBUS.slice(0, MULTIBUS.indexOf('007:00:0') + 12)
    const c = coverage(cut)
    expect(c.fullScanBelow).toBe(7)
    expect(c.buses.has(7)).toBe(false)
    expect(c.buses.has(6)).toBe(true)
  })

  it('an empty, error or garbage pcictl-all.txt is no scan', () => {
    expect(coverage('', 'pcictl-all.txt').fullScanBelow).toBe(0)
    expect(coverage('pcictl: "all" is not a number\n', 'pcictl-all.txt').fullScanBelow).toBe(0)
    expect(coverage('garbage\nmore garbage\n', 'pcictl-all.txt').fullScanBelow).toBe(0)
  })

  it('never throws on any text or any cut of a real listing', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (s, all) => void coverage(s, all ? 'pcictl-all.txt' : 'pcictl-pci0.txt')),
    )
    fc.assert(
      fc.property(fc.nat(MULTIBUS.length), (n) => {
        const c = coverage(MULTIBUS.slice(0, n))
        expect(c.fullScanBelow).toBeLessThanOrEqual(256)
      }),
    )
  })
})

describe('pci.hide-exists on a full scan', () => {
  it('a listing holding several buses was a full scan: a hidden device on a missing bus does not exist', () => {
    const f = checkDump('synthetic-netbsd51-pciback-hide-on-absent-bus', 'pci-passthrough')
    expect(finding(f, 'pci.hide-exists', '03:00.0').status).toBe('fail')
    expect(finding(f, 'pci.hide-exists', '03:00.0').message).toMatch(
      /No device at all is on bus 3, and the listing scanned every bus/,
    )
    expect(finding(f, 'pci.hide-exists', '00:14.0').status).toBe('pass')
  })

  it('a one-bus listing of pciN says nothing about other buses', () => {
    const f = finding(
      checkTexts({'files/boot.cfg': BOOT('(03:00.0)'), 'pcictl-pci0.txt': HOST_BRIDGE}, 'pci-passthrough'),
      'pci.hide-exists',
      '03:00.0',
    )
    expect(f.status).toBe('unknown')
    expect(f.message).toMatch(/none of them scanned every bus/)
    expect(f.remedy).toContain('pcictl pci0 list -b all > pcictl-all.txt')
  })

  it('pcictl-all.txt of a one-bus machine proves bus 3 empty; the per-bus file repeating it adds no device', () => {
    const f = checkTexts(
      {'files/boot.cfg': BOOT('(03:00.0)(00:00.0)'), 'pcictl-all.txt': HOST_BRIDGE, 'pcictl-pci0.txt': HOST_BRIDGE},
      'pci-passthrough',
    )
    expect(finding(f, 'pci.hide-exists', '03:00.0').status).toBe('fail')
    expect(finding(f, 'pci.hide-exists', '00:00.0').evidence).toContainEqual(
      expect.objectContaining({source: 'pcictl-all.txt', line: 1}),
    )
  })

  it('a cut-off full scan: a missing device below the cut fails, past it is unknown', () => {
    const cut = MULTIBUS.slice(0, MULTIBUS.indexOf('007:00:0') + 12)
    const f = checkTexts({'files/boot.cfg': BOOT('(03:00.0)(0a:00.0)'), 'pcictl-pci0.txt': cut}, 'pci-passthrough')
    expect(finding(f, 'pci.hide-exists', '03:00.0').status).toBe('fail')
    expect(finding(f, 'pci.hide-exists', '0a:00.0').status).toBe('unknown')
    expect(finding(f, 'pci.hide-exists', '0a:00.0').message).toMatch(/cut off before it/)
  })

  it('a failed `-b all` run (old pcictl) leaves the per-bus files to answer', () => {
    const f = checkTexts(
      {
        'files/boot.cfg': BOOT('(03:00.0)'),
        'pcictl-all.txt': 'pcictl: "all" is not a number\n',
        'pcictl-pci0.txt': HOST_BRIDGE,
      },
      'pci-passthrough',
    )
    expect(finding(f, 'pci.hide-exists', '03:00.0').status).toBe('unknown')
  })
})
