import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {deriveBootFacts} from './facts.js'
import {netbsdOnly} from '../host/netbsd-only.js'
import {xenEntry} from './checks/xen-entry.js'
import {dom0Mem} from './checks/dom0-mem.js'
import {consoleCheck} from './checks/console.js'
import {fallback} from './checks/fallback.js'


export const bootPlugin: PluginDefinitionV1 = {
  name: 'boot',
  title: 'Bootloader configuration: the Xen entry, dom0 memory, consoles, a fallback entry',
  evidence: [
    {name: 'files/grub/menu.lst', description: 'grub (legacy) menu as the Howto installs it', path: '/grub/menu.lst', os: ['netbsd']},
    {name: 'files/boot/grub/menu.lst', description: 'grub (legacy) menu in its other usual place', path: '/boot/grub/menu.lst', os: ['netbsd']},
    {name: 'files/boot.cfg', description: 'NetBSD boot loader configuration (boot.cfg(5))', path: '/boot.cfg', os: ['netbsd']},
  ],
  facts: [{name: 'boot', derive: deriveBootFacts}],
  checks: [xenEntry, dom0Mem, consoleCheck, fallback].map(netbsdOnly),
}
