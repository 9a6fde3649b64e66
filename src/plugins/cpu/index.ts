import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {deriveCpuFacts} from './facts.js'
import {i686} from './checks/i686.js'
import {hvm} from './checks/hvm.js'
import {longMode} from './checks/64bit.js'
import {pae} from './checks/pae.js'

export const cpuPlugin: PluginDefinitionV1 = {
  name: 'cpu',
  title: 'CPU class, HVM support, PAE and 64-bit',
  evidence: [
    {
      name: 'cpuctl-identify.txt',
      description: 'CPU identification of the first CPU',
      argv: ['cpuctl', 'identify', '0'],
      os: ['netbsd'],
      root: true,
    },
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {
      name: 'proc-cpuinfo.txt',
      description: 'Linux CPU information (a host before NetBSD is installed)',
      path: '/proc/cpuinfo',
      os: ['linux'],
    },
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
    {
      name: 'linux-virt.txt',
      description: 'which hypervisor a Linux host runs under (systeminformation: DMI, systemd-detect-virt)',
      probe: 'systeminformation.system',
      os: ['linux'],
    },
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
  facts: [{name: 'cpu', derive: deriveCpuFacts}],
  checks: [i686, hvm, longMode, pae],
}
