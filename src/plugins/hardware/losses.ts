/**
 * The losses of a dom0 kernel table (coverage.ts) as hardware.dom0-drivers words them: the topmost lost
 * devices with what goes with them, and the configuration lines a custom dom0 kernel would need. Pure.
 */
import {type Coverage, describeLoss, type Loss} from './coverage.js'
import type {AttachmentTree} from './parse-dmesg.js'
import type {KernelTable} from './tables.js'

/** A lost device and the devices below it that are lost with it. */
export interface LossGroup {
  loss: Loss
  below: string[]
}

/** Topmost losses, each with the devices below it that go with it. */
export function losses(cov: Coverage, tree: AttachmentTree): LossGroup[] {
  const out = new Map<string, LossGroup>()
  for (const name of tree.devices.keys()) {
    const v = cov.verdict(name)
    if (v.kind === 'lost') out.set(name, {loss: v.loss, below: out.get(name)?.below ?? []})
    else if (v.kind === 'below') {
      const top = out.get(v.loss.node.name) ?? {loss: v.loss, below: []}
      top.below.push(name)
      out.set(v.loss.node.name, top)
    }
  }

  return [...out.values()]
}

/**
 * The configuration lines a custom dom0 kernel needs for these losses: `virtio* at pci? dev ? function ?`, `ld* at
 * virtio?`.
 */
function configLines(tree: AttachmentTree, items: LossGroup[]): string {
  const lines = new Set<string>()
  for (const l of items) {
    for (const name of [l.loss.node.name, ...l.below]) {
      const n = tree.devices.get(name)
      if (!n || n.driver === 'dk') continue
      const parent = n.parent?.replace(/\d+$/, '') ?? 'root'
      lines.add(`${n.driver}* at ${parent}?${parent === 'pci' ? ' dev ? function ?' : ''}`)
    }
  }

  return [...lines].map((l) => `\`${l}\``).join(', ')
}

/** For a PVH dom0 (`pvh`) the kernel to change is GENERIC, loaded by the PVH Xen line; for a PV dom0, XEN3_DOM0. */
export function customKernel(tree: AttachmentTree, items: LossGroup[], config: string, pvh = false): string {
  return pvh
    ? `build a kernel from a copy of ${config} with ${configLines(tree, items)} added (\`config MYDOM0 && cd ../compile/MYDOM0 && make depend && make\`) and load it instead of netbsd-GENERIC on the PVH Xen line of boot.cfg`
    : `build a dom0 kernel from a copy of ${config} with ${configLines(tree, items)} added (\`config MYDOM0 && cd ../compile/MYDOM0 && make depend && make\`; the drivers must also work under Xen PV, which is why some are left out)`
}

/** `` AHCI/SATA `ahcisata`, NVMe `nvme` ``: example drivers the kernel table has (i386 XEN3PAE_DOM0: no nvme). */
export function examples(kt: KernelTable, groups: Array<[label: string, drivers: string[]]>): string {
  return groups
    .map(([label, drivers]) => [label, drivers.filter((d) => kt.drivers[d])] as const)
    .filter(([, drivers]) => drivers.length)
    .map(([label, drivers]) => `${label} ${drivers.map((d) => `\`${d}\``).join('/')}`)
    .join(', ')
}

export function lossText(l: LossGroup, config: string): string {
  const with_ = l.below.length
    ? `; with it ${l.below.slice(0, 6).join(', ')}${l.below.length > 6 ? ` and ${l.below.length - 6} more` : ''}`
    : ''
  return `${describeLoss(l.loss, config)}${with_}`
}
