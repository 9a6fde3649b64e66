import type {PluginDefinition} from '../../engine/types.js'
import {deriveBootFacts} from './facts.js'
import {xenEntry} from './checks/xen-entry.js'
import {dom0Mem} from './checks/dom0-mem.js'
import {consoleCheck} from './checks/console.js'
import {fallback} from './checks/fallback.js'
import {bootMethod} from './checks/method.js'
import {xenCmdline} from './checks/xen-cmdline.js'

export const bootPlugin: PluginDefinition = {
  name: 'boot',
  title:
    'Bootloader configuration: the Xen entry and its module order, the Xen command line, dom0 memory, consoles, a fallback entry, BIOS or UEFI',
  evidence: [
    {
      kind: 'file',
      name: 'files/grub/menu.lst',
      description: 'grub (legacy) menu as the Howto installs it',
      path: '/grub/menu.lst',
      os: ['netbsd'],
    },
    {
      kind: 'file',
      name: 'files/boot/grub/menu.lst',
      description: 'grub (legacy) menu in its other usual place',
      path: '/boot/grub/menu.lst',
      os: ['netbsd'],
    },
    {
      kind: 'file',
      name: 'files/boot.cfg',
      description: 'NetBSD boot loader configuration (boot.cfg(5))',
      path: '/boot.cfg',
      os: ['netbsd'],
    },
    {
      kind: 'command',
      name: 'sysctl-bootmethod.txt',
      description: 'how the machine booted: BIOS or UEFI',
      argv: ['sysctl', 'machdep.bootmethod'],
      os: ['netbsd'],
    },
  ],
  facts: [{name: 'boot', derive: deriveBootFacts}],
  checks: [xenEntry, xenCmdline, dom0Mem, consoleCheck, fallback, bootMethod],
}
