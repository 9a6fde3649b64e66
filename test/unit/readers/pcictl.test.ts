// Issue 17: pcictl listings of every release (usr.sbin/pcictl/pcictl.c rev 1.13 and current; docs/sources/readers.md).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parsePcictlList} from '../../../src/plugins/pci/parse.js'
import {checkDump, checkTexts, finding} from '../../helpers.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')

describe('pcictl listings', () => {
  it('reads `vendor XXXX product YYYY` for a device without a name (real QEMU listing)', () => {
    const d = parsePcictlList(sample('pcictl-qemu-i440fx-virtio.txt'), 'pcictl-pci0.txt')
    const vga = d.find((x) => x.value.address.device === 2)!
    expect(vga.value).toMatchObject({vendorId: 0x1234, productId: 0x1111, kind: 'vga'})
  })

  it('reads -n numbers and the -N driver suffix', () => {
    const d = parsePcictlList('000:25:0: 0x153a8086 (0x02000004) [wm0]\n000:31:2: Intel 8 Series SATA (SATA mass storage, AHCI 1.0, revision 0x04) [ahcisata0]\n', 'pcictl-all.txt')
    expect(d[0]!.value).toMatchObject({vendorId: 0x8086, productId: 0x153a, kind: 'network', address: {bus: 0, device: 25, function: 0}})
    expect(d[1]!.value).toMatchObject({kind: 'storage', name: 'Intel 8 Series SATA'})
  })

  it('a listing holding several buses was a full scan: a hidden device on a missing bus does not exist', () => {
    const f = finding(checkDump('synthetic-netbsd51-pciback-hide-on-absent-bus', 'pci-passthrough'), 'pci.hide-exists', '03:00.0')
    expect(f.status).toBe('fail')
    expect(finding(checkDump('synthetic-netbsd51-pciback-hide-on-absent-bus', 'pci-passthrough'), 'pci.hide-exists', '00:14.0').status).toBe('pass')
  })

  it('a one-bus listing of pciN says nothing about other buses', () => {
    const boot = 'menu=Xen:load /netbsd-XEN3_DOM0 console=pc pciback.hide=(03:00.0);multiboot /xen.gz dom0_mem=512M\n'
    const one = '000:00:0: Intel 82441FX (PMC) PCI and Memory Controller (host bridge, revision 0x02)\n'
    expect(finding(checkTexts({'files/boot.cfg': boot, 'pcictl-pci0.txt': one}, 'pci-passthrough'), 'pci.hide-exists', '03:00.0').status).toBe('unknown')
  })
})
