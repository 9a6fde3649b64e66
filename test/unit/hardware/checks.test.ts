import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {checkDump, checkTexts, dumpPath, finding, statusOf} from '../../helpers.js'

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
  // No netbsd-9 table: unknown with the command that makes one, never a pass.
  ['synthetic-netbsd9-hw-ahci-wm-server', 'hardware.dom0-drivers', undefined, 'unknown'],
  ['synthetic-netbsd9-hw-ahci-wm-server', 'hardware.unconfigured', undefined, 'pass'],
  // PVH dom0 (dom0=pvh): a custom kernel's dmesg is compared with GENERIC (issue 18 item 3).
  ['synthetic-netbsd10-hw-pvh-virtio-custom', 'hardware.dom0-drivers', undefined, 'pass'],
  ['synthetic-netbsd10-hw-pvh-nic-not-in-generic', 'hardware.dom0-drivers', 'network', 'fail'],
  ['synthetic-netbsd10-hw-pvh-nic-not-in-generic', 'hardware.dom0-drivers', 'root disk', 'pass'],
  // i386: the PV dom0 kernel is XEN3PAE_DOM0, which has no nvme.
  ['synthetic-netbsd10-hw-i386-nvme-root', 'hardware.dom0-drivers', 'root disk', 'fail'],
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

  it('netbsd-9: says which table is missing and how to make it', () => {
    const f = finding(checkDump('synthetic-netbsd9-hw-ahci-wm-server'), 'hardware.dom0-drivers')
    expect(f.message).toContain('no XEN3_DOM0 driver table for NetBSD 9.3 (netbsd-9)')
    expect(f.remedy).toContain('node scripts/gen-driver-tables.mjs /usr/src --branch netbsd-9')
  })

  it('PVH: the custom kernel is compared with GENERIC, which has virtio (XEN3_DOM0 has not)', () => {
    const pvh = finding(checkDump('synthetic-netbsd10-hw-pvh-virtio-custom'), 'hardware.dom0-drivers')
    expect(pvh.message).toContain('PVH dom0 (`dom0=pvh`)')
    expect(pvh.message).toContain(
      'GENERIC (netbsd-10, rev 1.599.4.8) root on dk1 (dk1 ← ld0 ← virtio1 ← pci0) attaches',
    )
    expect(pvh.evidence.map((e) => e.source)).toContain('files/boot.cfg')
    // The same machine without dom0=pvh: the PV dom0 kernel loses both.
    const pv = checkDump('synthetic-netbsd10-hw-virtio-guest')
    expect(statusOf(pv, 'hardware.dom0-drivers', 'root disk')).toBe('fail')
  })

  it('PVH: a driver GENERIC leaves out is a loss too; the remedy does not send a PVH dom0 to PVH', () => {
    const f = finding(checkDump('synthetic-netbsd10-hw-pvh-nic-not-in-generic'), 'hardware.dom0-drivers', 'network')
    expect(f.message).toContain('GENERIC has no `eqos` driver (eqos0 at pci0)')
    expect(f.remedy).toContain('`eqos* at pci? dev ? function ?`')
    expect(f.remedy).toContain('load it instead of netbsd-GENERIC')
    expect(f.remedy).not.toContain('dom0=pvh')
  })

  it('i386: names XEN3PAE_DOM0 and offers only disks that kernel drives', () => {
    const f = finding(checkDump('synthetic-netbsd10-hw-i386-nvme-root'), 'hardware.dom0-drivers', 'root disk')
    expect(f.message).toContain('XEN3PAE_DOM0 (netbsd-10, rev 1.36.4.2)')
    expect(f.message).toContain('no `nvme` driver (nvme0 at pci1)')
    expect(f.remedy).toContain('`ahcisata`')
    expect(f.remedy).not.toContain('`nvme`,')
    expect(f.remedy).toContain('`nvme* at pci? dev ? function ?`, `ld* at nvme?`')
    // wm is in XEN3PAE_DOM0: no network finding.
    const all = checkDump('synthetic-netbsd10-hw-i386-nvme-root')
    expect(all.filter((x) => x.id === 'hardware.dom0-drivers' && x.subject === 'network')).toEqual([])
  })

  it('HEAD: 10.99 and 11.x are compared with the HEAD table and say of when it is; 11.99 and later only warn', () => {
    const virtio = readFileSync(join(dumpPath('synthetic-netbsd10-hw-virtio-guest'), 'dmesg.boot'), 'utf8')
    const at = (release: string) =>
      checkTexts({'dmesg.boot': virtio.replace('NetBSD 10.0 (GENERIC)', `NetBSD ${release} (GENERIC)`)})
    const head = finding(at('10.99.12'), 'hardware.dom0-drivers', 'root disk')
    expect(head.status).toBe('fail')
    expect(head.message).toContain('XEN3_DOM0 (HEAD, rev 1.205)')
    expect(head.message).toContain('NetBSD-current as of 2025-08-04')
    expect(statusOf(at('11.0'), 'hardware.dom0-drivers', 'root disk')).toBe('fail')
    const later = finding(at('11.99.2'), 'hardware.dom0-drivers', 'root disk')
    expect(later.status).toBe('warn')
    expect(later.message).toContain('older than NetBSD 11.99.2')
  })
})
