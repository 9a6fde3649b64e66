import {type CheckDefinition, type Outcome} from '../../../engine/types.js'
import {hardware, INSTALLER_DMESG, SAVE_DMESG} from '../common.js'
import {DMESG} from '../facts.js'

/** PCI classes whose loss matters for a dom0: its disks and its network. */
const SERIOUS: Record<string, string> = {'mass storage': 'storage', network: 'network', wireless: 'network'}

export const unconfigured: CheckDefinition = {
  id: 'hardware.unconfigured',
  title: 'Every storage and network controller has a driver in the kernel that booted',
  since: '0.1.0',
  actor: 'hardware',
  evidence: [DMESG],
  description:
    'The `... (<class>) at pciN dev D function F not configured` lines of dmesg.boot: PCI functions no driver of the booted kernel took, named by the PCI class NetBSD prints (sys/dev/pci/pci_subr.c `pci_devinfo`).',
  why: 'A storage or network controller without a driver is a disk or a network the machine cannot use, whatever the dom0 kernel: it may need another NetBSD release, a driver not in GENERIC, or another card. Other classes (sensors, SMBus, audio) rarely matter for a dom0.',
  remedy:
    "Look the vendor/product up in NetBSD's `sys/dev/pci/pcidevs` and the driver manual pages of a newer release (`man 4 <driver>`); try the newest NetBSD release's installer, or use a controller NetBSD supports (AHCI SATA, NVMe, Intel `wm`/`ixg`, Broadcom `bge`).",
  run(ctx): Outcome | Outcome[] {
    const f = hardware(ctx)
    if (!f.tree) {
      return {
        status: 'unknown',
        message: `no NetBSD boot messages (${DMESG}: ${f.dmesgReason ?? 'missing'})`,
        remedy: f.linuxHost ? `${INSTALLER_DMESG}.` : `${SAVE_DMESG}.`,
      }
    }

    if (f.tree.devices.size === 0) {
      return {
        status: 'unknown',
        message: `${DMESG} has no device attach lines (truncated, or not a NetBSD dmesg)`,
        remedy: `${SAVE_DMESG}.`,
      }
    }

    const kernel = f.tree.kernel
      ? `the ${f.tree.kernel.value.config} kernel of NetBSD ${f.tree.kernel.value.release}`
      : 'the kernel that booted'
    const serious = f.tree.unconfigured.filter((u) => SERIOUS[u.pciClass])
    const other = f.tree.unconfigured.filter((u) => !SERIOUS[u.pciClass])
    const out: Outcome[] = serious.map((u) => ({
      status: 'warn',
      subject: u.location,
      message: `${SERIOUS[u.pciClass]} controller without a driver in ${kernel}: ${u.description} (${u.classText}) at ${u.location}; disks or links behind it are unusable`,
      evidence: [u.ref],
    }))
    if (other.length) {
      out.push({
        status: 'pass',
        subject: 'other classes',
        message: `no driver took ${other.length} PCI function(s) of classes that rarely matter for a dom0: ${other.map((u) => `${u.pciClass} at ${u.location}`).join('; ')}`,
        evidence: other.slice(0, 5).map((u) => u.ref),
      })
    }

    if (out.length === 0)
      out.push({
        status: 'pass',
        message: `${kernel} configured every PCI function it found (no "not configured" line)`,
        evidence: f.tree.kernel ? [f.tree.kernel] : [],
      })
    return out
  },
}
