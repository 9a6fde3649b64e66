import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {DMESG, LSPCI, deriveHardwareFacts} from './facts.js'
import {dom0Drivers} from './checks/dom0-drivers.js'
import {unconfigured} from './checks/unconfigured.js'


export const hardwarePlugin: PluginDefinitionV1 = {
  name: 'hardware',
  title: 'Dom0 hardware coverage: does the dom0 kernel drive the disks and network cards',
  evidence: [
    {name: DMESG, description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {name: LSPCI, description: 'PCI devices of a Linux host before NetBSD is installed (hex numbers, class codes)', argv: ['lspci', '-nn'], os: ['linux']},
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
  ],
  facts: [{name: 'hardware', derive: deriveHardwareFacts}],
  checks: [dom0Drivers, unconfigured],
}
