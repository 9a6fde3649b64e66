import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {release} from './checks/release.js'


export const netbsdPlugin: PluginDefinitionV1 = {
  name: 'netbsd',
  title: 'NetBSD release and architecture against what today\'s Xen packages build for',
  evidence: [
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
    {name: 'sysctl.txt', description: 'machine, memory, disks and release sysctl values', argv: ['sysctl', 'hw.machine', 'hw.machine_arch', 'hw.model', 'hw.ncpu', 'hw.physmem64', 'hw.disknames', 'kern.ostype', 'kern.osrelease'], os: ['netbsd']},
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {name: 'pkg_info.txt', description: 'installed packages', argv: ['pkg_info'], os: ['netbsd']},
  ],
  checks: [release],
}
