import type {Hook} from '@oclif/core'
import '../engine/hook-types.js'
import {builtinPlugins} from '../plugins/index.js'

const register: Hook<'xenready:register'> = async () => ({apiVersion: 2, plugins: builtinPlugins})

export default register
