import type {PluginDefinition} from '../../engine/types.js'
import {KERNEL_PATHS} from './common.js'
import {xenKernel} from './checks/xen.js'
import {dom0Kernel} from './checks/dom0.js'
import {nativeBackup} from './checks/native-backup.js'
import {stale} from './checks/stale.js'

export const kernelPlugin: PluginDefinition = {
  name: 'kernel',
  title: 'Kernel files: xen.gz, the dom0 kernel, a native backup kernel, nothing stale after an upgrade',
  evidence: [
    {
      kind: 'command',
      name: 'ls-usr-pkg.txt',
      description: 'the names in /usr/pkg, to find the installed hypervisors (xen420-kernel)',
      argv: ['ls', '-1', '/usr/pkg'],
      os: ['netbsd'],
    },
    {
      kind: 'command',
      name: 'cksum-{xenkernel}.txt',
      description: "size and checksum of the hypervisor on the root file system and of the installed package's",
      argv: ['cksum', '/xen.gz', '/xen-debug.gz', '/usr/pkg/{xenkernel}/xen.gz', '/usr/pkg/{xenkernel}/xen-debug.gz'],
      os: ['netbsd'],
      expand: {from: 'ls-usr-pkg.txt', match: '^(xen\\d+-kernel)$'},
    },
    {
      kind: 'file',
      name: 'files/etc/release',
      description: 'the release of the installed userland (`NetBSD 10.1/amd64`)',
      path: '/etc/release',
      os: ['netbsd'],
    },
    {kind: 'listing', paths: KERNEL_PATHS},
  ],
  checks: [xenKernel, dom0Kernel, nativeBackup, stale],
}
