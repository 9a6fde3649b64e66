/**
 * A running dom0 next to a native boot of the same machine (issue 18 item 3): `dmesg.boot` is the dom0
 * kernel's own boot under Xen, `dmesg-native.boot` a boot of the native kernel (GENERIC) saved before Xen
 * was installed. Every PCI function the native kernel attached is looked up at the same place
 * (`<pciN> dev D function F`) in the dom0's boot: missing there, the device and all below it are lost
 * under Xen. Pure.
 */
import {rootDisks} from './coverage.js'
import type {AttachmentTree, DeviceNode} from './parse-dmesg.js'

/**
 * Where a PCI function sits: `bus 0 dev 31 function 2`, the bus number from its `pciN at <parent> bus B` line
 * (the instance numbers of the buses may differ between a native and a Xen boot; the bus numbers do not), else
 * the bus instance (`pci0 dev 31 function 2`).
 */
export function pciLocation(tree: AttachmentTree, n: DeviceNode): string | undefined {
  if (!n.parent || !/^pci\d+$/.test(n.parent)) return undefined
  const m = /^dev (\d+) function (\d+)/.exec(n.detail)
  if (!m) return undefined
  const bus = /\bbus (\d+)/.exec(tree.devices.get(n.parent)?.detail ?? '')
  return `${bus ? `bus ${bus[1]}` : n.parent} dev ${m[1]} function ${m[2]}`
}

export interface NativeLoss {
  /** The native instance (`wm1`) and where it was. */
  node: DeviceNode
  location: string
  /** The dom0's instance at that place when a different driver took it (`vga0` for native `i915drmkms0`). */
  instead?: DeviceNode
  /** Native instances below it (`ld0` below `virtio1`), lost with it. */
  below: string[]
}

export interface NativeComparison {
  /** PCI functions the native kernel attached that the dom0 kernel left alone (or gave to another driver). */
  lost: NativeLoss[]
  /** Native network interfaces lost with them, and those the dom0 kept. */
  lostNics: string[]
  keptNics: string[]
  /** Native root disk lost with them (the dom0 runs, so it found a root elsewhere or over NFS). */
  lostRoot?: string
  /** PCI functions attached in both boots. */
  matched: number
}

function descendants(tree: AttachmentTree, name: string): string[] {
  const out: string[] = []
  const queue = [name]
  const seen = new Set(queue)
  while (queue.length) {
    const cur = queue.shift()!
    for (const d of tree.devices.values()) {
      if (d.parent === cur && !seen.has(d.name)) {
        seen.add(d.name)
        out.push(d.name)
        queue.push(d.name)
      }
    }
  }

  return out
}

export function compareWithNative(native: AttachmentTree, dom0: AttachmentTree): NativeComparison {
  const dom0At = new Map<string, DeviceNode>()
  for (const n of dom0.devices.values()) {
    const at = pciLocation(dom0, n)
    if (at && !dom0At.has(at)) dom0At.set(at, n)
  }

  const lost: NativeLoss[] = []
  let matched = 0
  const lostNames = new Set<string>()
  for (const n of native.devices.values()) {
    const location = pciLocation(native, n)
    if (!location || lostNames.has(n.name)) continue
    const there = dom0At.get(location)
    // pciback under Xen: hidden for pass-through on purpose (pci.* checks judge that), not lost.
    if (there && (there.driver === n.driver || there.driver === 'pciback')) {
      matched++
      continue
    }

    // A bridge (ppb, pchb, pcib) of another name still carries its bus; only a function no driver of the
    // same name took is lost. Everything below a lost function goes with it.
    const below = descendants(native, n.name)
    for (const b of [n.name, ...below]) lostNames.add(b)
    lost.push({node: n, location, ...(there ? {instead: there} : {}), below})
  }

  const nics = [...native.nics.keys()]
  const root = rootDisks(native)?.find((d) => lostNames.has(d))
  return {
    lost,
    lostNics: nics.filter((n) => lostNames.has(n)),
    keptNics: nics.filter((n) => !lostNames.has(n)),
    ...(root ? {lostRoot: root} : {}),
    matched,
  }
}
