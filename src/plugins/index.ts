import type {PluginDefinition} from '../engine/types.js'
import {bootPlugin} from './boot/index.js'
import {cpuPlugin} from './cpu/index.js'
import {domuPlugin} from './domu/index.js'
import {hardwarePlugin} from './hardware/index.js'
import {hostPlugin} from './host/index.js'
import {kernelPlugin} from './kernel/index.js'
import {netbsdPlugin} from './netbsd/index.js'
import {pciPlugin} from './pci/index.js'
import {storagePlugin} from './storage/index.js'
import {xenPlugin} from './xen/index.js'

/**
 * The built-in plugins, registered through the same `xenready:register` hook third-party plugins use.
 */
export const builtinPlugins: PluginDefinition[] = [
  hostPlugin,
  cpuPlugin,
  xenPlugin,
  netbsdPlugin,
  storagePlugin,
  bootPlugin,
  kernelPlugin,
  pciPlugin,
  domuPlugin,
  hardwarePlugin,
]
