import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {deriveHostFacts} from './facts.js'
import {consistency} from './checks/consistency.js'

export const hostPlugin: PluginDefinitionV1 = {
  name: 'host',
  title: 'General host evidence shared by the other plugins (mounts, fstab, paths, uname, sysctl), and whether its sources agree',
  evidence: [
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
    {name: 'mount.txt', description: 'mounted file systems', argv: ['mount']},
    {name: 'files/etc/fstab', description: 'file systems mounted at boot', path: '/etc/fstab'},
    {
      name: 'sysctl.txt',
      description: 'machine, memory, disks and release sysctl values',
      argv: ['sysctl', 'hw.machine', 'hw.machine_arch', 'hw.model', 'hw.ncpu', 'hw.physmem64', 'hw.disknames', 'kern.ostype', 'kern.osrelease'],
      os: ['netbsd'],
    },
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
  ],
  facts: [{name: 'host', derive: deriveHostFacts}],
  checks: [consistency],
}
