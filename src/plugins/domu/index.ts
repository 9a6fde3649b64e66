import type {PluginDefinition} from '../../engine/types.js'
import {deriveDomuFacts} from './facts.js'

export const domuPlugin: PluginDefinition = {
  name: 'domu',
  title: 'domU configurations checked against the dom0 they will run on',
  evidence: [],
  facts: [{name: 'domu', derive: deriveDomuFacts}],
  checks: [],
}
