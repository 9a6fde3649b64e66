import type {PluginDefinition} from '../../engine/types.js'
import {DMESG_BOOT, FSTAB, MOUNT, SYSCTL, UNAME} from '../evidence.js'
import {deriveHostFacts} from './facts.js'
import {consistency} from './checks/consistency.js'

export const hostPlugin: PluginDefinition = {
  name: 'host',
  title:
    'General host evidence shared by the other plugins (mounts, fstab, paths, uname, sysctl), and whether its sources agree',
  evidence: [UNAME, MOUNT, FSTAB, SYSCTL, DMESG_BOOT],
  facts: [{name: 'host', derive: deriveHostFacts}],
  checks: [consistency],
}
