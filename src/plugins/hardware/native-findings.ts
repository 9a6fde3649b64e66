/**
 * hardware.dom0-drivers on a running dom0 with a native boot's dmesg beside it: the comparison of native.ts
 * turned into findings (network interfaces, the root disk, other PCI functions lost under Xen). Pure.
 */
import {type Outcome, refs} from '../../engine/types.js'
import {NATIVE_DMESG} from './facts.js'
import {compareWithNative, type NativeLoss} from './native.js'
import type {AttachmentTree} from './parse-dmesg.js'

function lostText(l: NativeLoss): string {
  const instead = l.instead ? `, taken by ${l.instead.name} under Xen` : ''
  const below = l.below.length
    ? `; with it ${l.below.slice(0, 6).join(', ')}${l.below.length > 6 ? ` and ${l.below.length - 6} more` : ''}`
    : ''
  return `${l.node.name} (${l.location}${instead}${below})`
}

/**
 * A running dom0 with a native boot's dmesg beside it: what the native kernel attached and the dom0 kernel did
 * not. Undefined when the native file cannot be compared (a Xen boot itself, or no attach lines): the plain pass
 * stands.
 */
export function againstNative(native: AttachmentTree, dom0: AttachmentTree, own: string): Outcome[] | undefined {
  if (native.xen || native.devices.size === 0) return undefined
  const nk = native.kernel ? `${native.kernel.value.config}, NetBSD ${native.kernel.value.release}` : 'kernel unknown'
  const c = compareWithNative(native, dom0)
  const against = `compared with ${NATIVE_DMESG} (${nk})`
  if (c.lost.length === 0) {
    return [
      {
        status: 'pass',
        message: `${own}. ${against}: every PCI function the native kernel attached (${c.matched}) is attached under Xen too`,
        evidence: refs(dom0.kernel, dom0.xen, native.kernel),
      },
    ]
  }

  const out: Outcome[] = []
  const lostNic = new Set(c.lostNics)
  const nicLosses = c.lost.filter((l) => [l.node.name, ...l.below].some((n) => lostNic.has(n)))
  if (nicLosses.length) {
    const all = c.keptNics.length === 0
    out.push({
      status: all ? 'fail' : 'warn',
      subject: 'network',
      message: `${against}: the dom0 kernel ${all ? 'attached none of' : 'did not attach all of'} the network interfaces the native kernel found: ${c.lostNics.join(', ')} lost (${nicLosses.map(lostText).join('; ')})${all ? '; the dom0 is unreachable over them, and domUs have no bridge to the outside' : `; ${c.keptNics.join(', ')} still ${c.keptNics.length === 1 ? 'works' : 'work'}`}`,
      evidence: refs(...nicLosses.map((l) => l.node.ref), native.nics.get(c.lostNics[0]!)),
      remedy:
        'Use a network card the dom0 kernel drives (it attached the others), or build a dom0 kernel with the missing driver (`<driver>* at pci? dev ? function ?`), or boot a PVH dom0 (the GENERIC kernel) with `dom0=pvh` on the Xen line.',
    })
  }

  const rootLoss = c.lostRoot ? c.lost.find((l) => [l.node.name, ...l.below].includes(c.lostRoot!)) : undefined
  if (rootLoss && !nicLosses.includes(rootLoss)) {
    out.push({
      status: 'warn',
      subject: 'root disk',
      message: `${against}: the native root disk ${c.lostRoot} is not attached under Xen (${lostText(rootLoss)}); this dom0 booted with root on ${dom0.root?.value ?? 'an unknown device'}`,
      evidence: refs(native.root, rootLoss.node.ref, dom0.root),
      remedy:
        'Keep the dom0 root file system on a disk the dom0 kernel attaches, or build a dom0 kernel with the missing controller driver.',
    })
  }

  const rest = c.lost.filter((l) => !nicLosses.includes(l) && l !== rootLoss)
  if (rest.length) {
    out.push({
      status: 'warn',
      message: `${against}: PCI functions the native kernel attached and the dom0 kernel did not: ${rest.slice(0, 8).map(lostText).join('; ')}${rest.length > 8 ? ` and ${rest.length - 8} more` : ''}`,
      evidence: refs(...rest.slice(0, 6).map((l) => l.node.ref)),
      remedy:
        'If a domU needs one of these, pass it through (pciback.hide) or build a dom0 kernel with its driver; graphics stay on vga/genfb under the PV dom0.',
    })
  }

  return out
}
