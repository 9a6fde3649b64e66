import type {PluginDefinition} from '../../engine/types.js'
import {DMESG_BOOT, PKG_INFO, SYSCTL, UNAME} from '../evidence.js'
import {release} from './checks/release.js'

export const netbsdPlugin: PluginDefinition = {
  name: 'netbsd',
  title: "NetBSD release and architecture against what today's Xen packages build for",
  evidence: [UNAME, SYSCTL, DMESG_BOOT, PKG_INFO],
  checks: [release],
}
