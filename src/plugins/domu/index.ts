import type {PluginDefinition} from '../../engine/types.js'
import {RC_CONF} from '../evidence.js'
import {deriveDomuFacts} from './facts.js'
import {syntax} from './checks/syntax.js'
import {kernel} from './checks/kernel.js'
import {memory} from './checks/memory.js'
import {name} from './checks/name.js'
import {vif} from './checks/vif.js'
import {disk} from './checks/disk.js'
import {root} from './checks/root.js'
import {typeCheck} from './checks/type.js'
import {guestConsole} from './checks/guest-console.js'
import {guestPowerd} from './checks/guest-powerd.js'

export const domuPlugin: PluginDefinition = {
  name: 'domu',
  title: 'domU configurations checked against the dom0 they will run on; guest-side tuning inside a domU',
  evidence: [
    {
      kind: 'command',
      name: 'ls-usr-pkg-etc-xen.txt',
      description: 'the files of the Xen configuration directory (domain configs among them)',
      argv: ['ls', '-1', '/usr/pkg/etc/xen'],
      os: ['netbsd'],
    },
    {
      kind: 'file',
      name: 'files/usr/pkg/etc/xen/{domu}',
      description:
        'domain configurations (xm/xl) and the other files of /usr/pkg/etc/xen (a file is a guest when it sets name and kernel, type, builder or disk; xl.conf, oxenstored.conf and scripts are not)',
      path: '/usr/pkg/etc/xen/{domu}',
      os: ['netbsd'],
      expand: {from: 'ls-usr-pkg-etc-xen.txt', match: '^([A-Za-z0-9._-]+)$'},
    },
    {
      kind: 'command',
      name: 'ls-etc.txt',
      description: 'the files of /etc (to find /etc/ifconfig.<interface> files)',
      argv: ['ls', '-1', '/etc'],
      os: ['netbsd'],
    },
    {
      kind: 'file',
      name: 'files/etc/ifconfig.{if}',
      description: 'interface configuration files: bridges for the domUs (`create`, `!brconfig $int add ex0 up`)',
      path: '/etc/ifconfig.{if}',
      os: ['netbsd'],
      expand: {from: 'ls-etc.txt', match: '^ifconfig\\.([A-Za-z0-9]+)$'},
    },
    {
      kind: 'command',
      name: 'ifconfig-l.txt',
      description: 'the names of the network interfaces present now (bridges, xvif); names only, no addresses',
      argv: ['ifconfig', '-l'],
      os: ['netbsd'],
    },
    RC_CONF,
    {
      kind: 'file',
      name: 'files/etc/ttys',
      description: 'terminals enabled in a domU (only console should be on)',
      path: '/etc/ttys',
      os: ['netbsd'],
    },
    {
      kind: 'file',
      name: 'files/etc/wscons.conf',
      description: 'wscons screens of a domU (there should be none)',
      path: '/etc/wscons.conf',
      os: ['netbsd'],
    },
    // Known ahead: the configuration directory and the bridge script. Kernels, ramdisks and disk devices a
    // config refers to are known only from the configs: domu.kernel and domu.disk name each with its `ls -ld`.
    {
      kind: 'listing',
      paths: [
        '/usr/pkg/etc/xen',
        '/usr/pkg/etc/xen/vif-bridge',
        '/usr/pkg/etc/xen/scripts/vif-bridge',
        '/etc/ifconfig.bridge0',
      ],
    },
  ],
  facts: [{name: 'domu', derive: deriveDomuFacts}],
  checks: [syntax, kernel, memory, name, vif, disk, root, typeCheck, guestConsole, guestPowerd],
}
