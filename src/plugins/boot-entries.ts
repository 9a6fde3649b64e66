/**
 * Questions several plugins ask of the `boot` facts (a contract, src/plugins/facts.ts), answered once here so that
 * no plugin imports another plugin's code for them.
 */
import {dom0Mode, parseXenCmdline} from '../parsers/xen-cmdline.js'
import type {BootEntry, BootFacts} from './facts.js'

/** The Xen entry that boots: the default one when it loads Xen, else the first that does. */
export function bootingXenEntry(boot: BootFacts | undefined): BootEntry | undefined {
  const xen = (boot?.entries ?? []).filter((e) => e.xen)
  return xen.find((e) => e.isDefault) ?? xen[0]
}

/** The booting Xen entry when it asks for a PVH dom0 (`dom0=pvh`): no PCI pass-through, and dom0 needs VMX/SVM. */
export function pvhDom0Entry(boot: BootFacts | undefined): BootEntry | undefined {
  const entry = bootingXenEntry(boot)
  return entry && dom0Mode(parseXenCmdline(entry.xen!.args.join(' '))).mode === 'pvh' ? entry : undefined
}
