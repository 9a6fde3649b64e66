import {type CommandSpec, type ListingSpec, type PluginDefinition, factProvider} from '../../engine/types.js'
import {DMESG_BOOT, XL_DMESG, XL_INFO, XM_INFO} from '../evidence.js'
import {PCICTL, PCICTL_ALL, LSPCI, ASSIGNABLE, KERN_XEN_PCI, derivePciFacts} from './facts.js'
import {hideSyntax} from './checks/hide-syntax.js'
import {hideExists} from './checks/hide-exists.js'
import {notIsaVga} from './checks/not-isa-vga.js'
import {attached} from './checks/attached.js'
import {versions} from './checks/versions.js'
import {domuMatch} from './checks/domu-match.js'
import {iommu} from './checks/iommu.js'
import {IOMMU_TABLE_PATHS} from './common.js'

const PCICTL_BUS: CommandSpec = {
  kind: 'command',
  name: PCICTL,
  description:
    "PCI devices, bus:device:function in DECIMAL: of pciN's bus only on NetBSD 5 (pcictl rev 1.11), of every bus from NetBSD 6 on (rev 1.18 and later)",
  argv: ['pcictl', '{bus}', 'list'],
  os: ['netbsd'],
  root: true,
  expand: {from: 'dmesg.boot', match: '^(?:\\[[^\\]]*\\]\\s*)?(pci\\d+) at '},
}
const PCICTL_EVERY_BUS: CommandSpec = {
  kind: 'command',
  name: PCICTL_ALL,
  description: 'PCI devices of every bus (`-b all`), bus:device:function in DECIMAL',
  argv: ['pcictl', 'pci0', 'list', '-b', 'all'],
  os: ['netbsd'],
  root: true,
}
const LSPCI_NN: CommandSpec = {
  kind: 'command',
  name: LSPCI,
  description: 'PCI devices of a Linux host before NetBSD is installed (hex numbers, class codes)',
  argv: ['lspci', '-nn'],
  os: ['linux'],
}
const XL_ASSIGNABLE: CommandSpec = {
  kind: 'command',
  name: ASSIGNABLE,
  description: 'devices ready for pass-through on an xl-era dom0',
  argv: ['xl', 'pci-assignable-list'],
  os: ['netbsd', 'linux'],
  root: true,
}
const LS_KERN_XEN_PCI: CommandSpec = {
  kind: 'command',
  name: KERN_XEN_PCI,
  description: 'one entry per device attached to pciback (0000:bb:dd.f, hex)',
  argv: ['ls', '-l', '/kern/xen/pci'],
  os: ['netbsd'],
  stderr: 'merge',
}
/** The firmware's IOMMU tables on a Linux host, for pci.iommu. */
const IOMMU_TABLES: ListingSpec = {kind: 'listing', paths: IOMMU_TABLE_PATHS}

export const pciPlugin: PluginDefinition = {
  name: 'pci',
  title: 'PCI pass-through: pciback.hide, devices, /kern/xen/pci, domU pci lists, IOMMU',
  evidence: [
    PCICTL_BUS,
    PCICTL_EVERY_BUS,
    LSPCI_NN,
    XL_ASSIGNABLE,
    LS_KERN_XEN_PCI,
    DMESG_BOOT,
    XL_INFO,
    XM_INFO,
    XL_DMESG,
    IOMMU_TABLES,
  ],
  facts: [factProvider('pci', derivePciFacts)],
  checks: [hideSyntax, hideExists, notIsaVga, attached, versions, domuMatch, iommu],
}
