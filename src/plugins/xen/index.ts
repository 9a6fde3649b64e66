import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {deriveXenFacts} from './facts.js'
import {netbsdOnly} from '../host/netbsd-only.js'
import {XEN_LS_PATHS} from './common.js'
import {kernfs} from './checks/kernfs.js'
import {devices} from './checks/devices.js'
import {running} from './checks/running.js'
import {packages} from './checks/packages.js'
import {daemons} from './checks/daemons.js'
import {toolstack} from './checks/toolstack.js'


export const xenPlugin: PluginDefinitionV1 = {
  name: 'xen',
  title: 'Xen runtime: /kern, Xen devices, running hypervisor, xenkernel/xentools packages, daemons and the xl toolstack',
  evidence: [
    {name: 'pkg_info.txt', description: 'installed packages', argv: ['pkg_info'], os: ['netbsd']},
    {name: 'files/etc/rc.conf', description: 'daemons started at boot', path: '/etc/rc.conf', os: ['netbsd']},
    {name: 'xl-info.txt', description: 'hypervisor information on a running xl-era dom0', argv: ['xl', 'info'], os: ['netbsd'], root: true},
    {name: 'xm-info.txt', description: 'hypervisor information on a running xm-era dom0 (Xen 3.x, 4.1)', argv: ['xm', 'info'], os: ['netbsd'], root: true},
    {name: 'xl-dmesg.txt', description: 'the hypervisor\'s own boot messages on a running xl-era dom0', argv: ['xl', 'dmesg'], os: ['netbsd'], root: true},
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {name: 'mount.txt', description: 'mounted file systems', argv: ['mount']},
    {name: 'files/etc/fstab', description: 'file systems mounted at boot', path: '/etc/fstab'},
    {name: 'ls-usr-pkg-etc-xen.txt', description: 'the files of the Xen configuration directory (the configs xendomains starts)', argv: ['ls', '-1', '/usr/pkg/etc/xen'], os: ['netbsd']},
  ],
  lsPaths: XEN_LS_PATHS,
  facts: [{name: 'xen', derive: deriveXenFacts}],
  // xen.running says n/a itself on another OS, adding that Xen does not run yet.
  checks: [netbsdOnly(kernfs), netbsdOnly(devices), running, netbsdOnly(packages), netbsdOnly(daemons), netbsdOnly(toolstack)],
}
