import type {PluginDefinitionV1} from '../../engine/api-v1.js'
import {netbsdOnly} from '../host/netbsd-only.js'
import {KERNEL_PATHS} from './common.js'
import {xenKernel} from './checks/xen.js'
import {dom0Kernel} from './checks/dom0.js'
import {nativeBackup} from './checks/native-backup.js'


export const kernelPlugin: PluginDefinitionV1 = {
  name: 'kernel',
  title: 'Kernel files: xen.gz, the dom0 kernel, a native backup kernel',
  evidence: [],
  lsPaths: KERNEL_PATHS,
  checks: [xenKernel, dom0Kernel, nativeBackup].map(netbsdOnly),
}
