import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {PCICTL, PCICTL_ALL, LSPCI, ASSIGNABLE, KERN_XEN_PCI, derivePciFacts} from './facts.js'
import {hideSyntax} from './checks/hide-syntax.js'
import {hideExists} from './checks/hide-exists.js'
import {notIsaVga} from './checks/not-isa-vga.js'
import {attached} from './checks/attached.js'
import {versions} from './checks/versions.js'
import {domuMatch} from './checks/domu-match.js'
import {iommu} from './checks/iommu.js'

export const pciPlugin: PluginDefinitionV1 = {
  name: 'pci',
  title: 'PCI pass-through: pciback.hide, devices, /kern/xen/pci, domU pci lists, IOMMU',
  evidence: [
    {
      name: PCICTL,
      description:
        "PCI devices, bus:device:function in DECIMAL: of pciN's bus (pcictl rev 1.13) or of every bus (rev 1.20)",
      argv: ['pcictl', '{bus}', 'list'],
      os: ['netbsd'],
      root: true,
      expand: {from: 'dmesg.boot', match: '^(?:\\[[^\\]]*\\]\\s*)?(pci\\d+) at '},
    },
    {
      name: PCICTL_ALL,
      description: 'PCI devices of every bus (`-b all`), bus:device:function in DECIMAL',
      argv: ['pcictl', 'pci0', 'list', '-b', 'all'],
      os: ['netbsd'],
      root: true,
    },
    {
      name: LSPCI,
      description: 'PCI devices of a Linux host before NetBSD is installed (hex numbers, class codes)',
      argv: ['lspci', '-nn'],
      os: ['linux'],
    },
    {
      name: ASSIGNABLE,
      description: 'devices ready for pass-through on an xl-era dom0',
      argv: ['xl', 'pci-assignable-list'],
      os: ['netbsd', 'linux'],
      root: true,
    },
    {
      name: KERN_XEN_PCI,
      description: 'one entry per device attached to pciback (0000:bb:dd.f, hex)',
      argv: ['ls', '-l', '/kern/xen/pci'],
      os: ['netbsd'],
      stderr: 'merge',
    },
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {
      name: 'xl-info.txt',
      description: 'hypervisor information on a running xl-era dom0',
      argv: ['xl', 'info'],
      os: ['netbsd'],
      root: true,
    },
    {
      name: 'xm-info.txt',
      description: 'hypervisor information on a running xm-era dom0 (Xen 3.x, 4.1)',
      argv: ['xm', 'info'],
      os: ['netbsd'],
      root: true,
    },
    {
      name: 'xl-dmesg.txt',
      description: "the hypervisor's own boot messages on a running xl-era dom0",
      argv: ['xl', 'dmesg'],
      os: ['netbsd'],
      root: true,
    },
  ],
  lsPaths: ['/sys/firmware/acpi/tables/DMAR', '/sys/firmware/acpi/tables/IVRS'],
  facts: [{name: 'pci', derive: derivePciFacts}],
  checks: [hideSyntax, hideExists, notIsaVga, attached, versions, domuMatch, iommu],
}
