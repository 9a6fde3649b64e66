import type {PluginDefinition} from '../../engine/types.js'
import {DMESG_BOOT, FSTAB, MOUNT, PKG_INFO, RC_CONF, UNAME, XL_DMESG, XL_INFO, XM_INFO} from '../evidence.js'
import {deriveXenFacts} from './facts.js'
import {XEN_LS_PATHS} from './common.js'
import {kernfs} from './checks/kernfs.js'
import {devices} from './checks/devices.js'
import {running} from './checks/running.js'
import {packages} from './checks/packages.js'
import {daemons} from './checks/daemons.js'
import {toolstack} from './checks/toolstack.js'

export const xenPlugin: PluginDefinition = {
  name: 'xen',
  title:
    'Xen runtime: /kern, Xen devices, running hypervisor, xenkernel/xentools packages, daemons and the xl toolstack',
  evidence: [
    PKG_INFO,
    RC_CONF,
    XL_INFO,
    XM_INFO,
    XL_DMESG,
    UNAME,
    DMESG_BOOT,
    MOUNT,
    FSTAB,
    {
      kind: 'command',
      name: 'ls-usr-pkg-etc-xen.txt',
      description: 'the files of the Xen configuration directory (the configs xendomains starts)',
      argv: ['ls', '-1', '/usr/pkg/etc/xen'],
      os: ['netbsd'],
    },
    {kind: 'listing', paths: XEN_LS_PATHS},
  ],
  facts: [{name: 'xen', derive: deriveXenFacts}],
  // xen.running says n/a itself on another OS, adding that Xen does not run yet; the others declare hostOs.
  checks: [kernfs, devices, running, packages, daemons, toolstack],
}
