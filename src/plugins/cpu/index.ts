import type {CommandSpec, FileSpec, LibrarySpec, PluginDefinition} from '../../engine/types.js'
import {DMESG_BOOT, UNAME, XL_DMESG, XL_INFO, XM_INFO} from '../evidence.js'
import {deriveCpuFacts} from './facts.js'
import {i686} from './checks/i686.js'
import {hvm} from './checks/hvm.js'
import {longMode} from './checks/64bit.js'
import {pae} from './checks/pae.js'

const CPUCTL: CommandSpec = {
  kind: 'command',
  name: 'cpuctl-identify.txt',
  description: 'CPU identification of the first CPU',
  argv: ['cpuctl', 'identify', '0'],
  os: ['netbsd'],
  root: true,
}
const PROC_CPUINFO: FileSpec = {
  kind: 'file',
  name: 'proc-cpuinfo.txt',
  description: 'Linux CPU information (a host before NetBSD is installed)',
  path: '/proc/cpuinfo',
  os: ['linux'],
}
const LINUX_VIRT: LibrarySpec = {
  kind: 'library',
  name: 'linux-virt.txt',
  description: 'which hypervisor a Linux host runs under (systeminformation: DMI, systemd-detect-virt)',
  library: 'systeminformation.system',
  os: ['linux'],
}

export const cpuPlugin: PluginDefinition = {
  name: 'cpu',
  title: 'CPU class, HVM support, PAE and 64-bit',
  evidence: [CPUCTL, DMESG_BOOT, PROC_CPUINFO, UNAME, LINUX_VIRT, XL_INFO, XM_INFO, XL_DMESG],
  facts: [{name: 'cpu', derive: deriveCpuFacts}],
  checks: [i686, hvm, longMode, pae],
}
