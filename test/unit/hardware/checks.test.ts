import {describe, expect, it} from 'vitest'
import {checkDump, finding, statusOf} from '../../helpers.js'

// The fixture dumps of issue 18 and the verdicts they must give.
const TABLE: Array<[dump: string, id: string, subject: string | undefined, status: string]> = [
  ['synthetic-netbsd10-hw-virtio-guest', 'hardware.dom0-drivers', 'root disk', 'fail'],
  ['synthetic-netbsd10-hw-virtio-guest', 'hardware.dom0-drivers', 'network', 'fail'],
  ['synthetic-netbsd10-hw-ahci-wm-server', 'hardware.dom0-drivers', undefined, 'pass'],
  ['synthetic-netbsd10-hw-ahci-wm-server', 'hardware.unconfigured', undefined, 'pass'],
  ['synthetic-netbsd10-hw-nic-generic-only', 'hardware.dom0-drivers', 'network', 'fail'],
  ['synthetic-netbsd10-hw-nic-generic-only', 'hardware.dom0-drivers', 'root disk', 'pass'],
  ['synthetic-netbsd10-hw-graphics-gap', 'hardware.dom0-drivers', 'graphics', 'warn'],
  ['synthetic-netbsd10-hw-graphics-gap', 'hardware.dom0-drivers', 'root disk', 'pass'],
  ['synthetic-netbsd10-hw-unconfigured-storage', 'hardware.unconfigured', 'pci3 dev 0 function 0', 'warn'],
  ['synthetic-netbsd10-hw-unconfigured-storage', 'hardware.unconfigured', 'other classes', 'pass'],
  ['synthetic-netbsd10-hw-unconfigured-storage', 'hardware.dom0-drivers', undefined, 'pass'],
]

describe('hardware plugin on the issue 18 fixtures', () => {
  it.each(TABLE)('%s: %s [%s] is %s', (dump, id, subject, status) => {
    expect(statusOf(checkDump(dump), id, subject)).toBe(status)
  })

  it('names the missing driver and the kernel configuration', () => {
    const f = finding(checkDump('synthetic-netbsd10-hw-virtio-guest'), 'hardware.dom0-drivers', 'root disk')
    expect(f.message).toContain('XEN3_DOM0 (netbsd-10, rev 1.197.4.3)')
    expect(f.message).toContain('no `virtio` driver (virtio1 at pci0)')
    expect(f.message).toContain('ld0 ← virtio1 ← pci0')
    expect(f.evidence.map((e) => `${e.source}:${e.line}`)).toEqual(
      expect.arrayContaining(['dmesg.boot:44', 'dmesg.boot:30']),
    )
    expect(f.remedy).toContain('`virtio* at pci? dev ? function ?`, `ld* at virtio?`')
    expect(f.remedy).toContain('dom0=pvh')
    const nic = finding(checkDump('synthetic-netbsd10-hw-virtio-guest'), 'hardware.dom0-drivers', 'network')
    expect(nic.message).toContain('vioif0')
  })

  it('graphics: the DRM/KMS chain and what goes with it; acpicpu is expected under Xen, not a loss', () => {
    const fs = checkDump('synthetic-netbsd10-hw-graphics-gap')
    expect(finding(fs, 'hardware.dom0-drivers', 'graphics').message).toMatch(
      /no `i915drmkms` driver.*with it intelfb0, wsdisplay0/,
    )
    expect(fs.filter((f) => f.id === 'hardware.dom0-drivers' && f.subject === 'other devices')).toEqual([])
    expect(finding(checkDump('synthetic-netbsd10-hw-ahci-wm-server'), 'hardware.dom0-drivers').message).toContain(
      'acpicpu0, acpicpu1',
    )
  })

  it('a plain dmesg without attach lines, a Linux host and a missing dmesg are unknown, never pass', () => {
    expect(statusOf(checkDump('synthetic-netbsd10-generic-preinstall'), 'hardware.dom0-drivers')).toBe('unknown')
    const linux = finding(checkDump('linux-epyc-vm-nosvm'), 'hardware.dom0-drivers')
    expect(linux.status).toBe('unknown')
    expect(linux.remedy).toMatch(/installer/)
  })
})
