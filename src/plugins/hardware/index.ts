import type {PluginDefinition} from '../../engine/types.js'
import {DMESG_BOOT, UNAME} from '../evidence.js'
import {LSPCI, NATIVE_DMESG, NATIVE_DMESG_PATH, deriveHardwareFacts} from './facts.js'
import {dom0Drivers} from './checks/dom0-drivers.js'
import {unconfigured} from './checks/unconfigured.js'

export const hardwarePlugin: PluginDefinition = {
  name: 'hardware',
  title: 'Dom0 hardware coverage: does the dom0 kernel drive the disks and network cards',
  evidence: [
    DMESG_BOOT,
    {
      kind: 'command',
      name: LSPCI,
      description: 'PCI devices of a Linux host before NetBSD is installed (hex numbers, class codes)',
      argv: ['lspci', '-nn'],
      os: ['linux'],
    },
    UNAME,
    {
      kind: 'file',
      name: NATIVE_DMESG,
      description: `kernel messages of a native (non-Xen) boot of this machine, for a running dom0 to be compared with; saved by hand while booted natively: \`mkdir -p ${NATIVE_DMESG_PATH.replace(/\/[^/]+$/, '')} && cp /var/run/dmesg.boot ${NATIVE_DMESG_PATH}\``,
      path: NATIVE_DMESG_PATH,
      os: ['netbsd'],
    },
  ],
  facts: [{name: 'hardware', derive: deriveHardwareFacts}],
  checks: [dom0Drivers, unconfigured],
}
