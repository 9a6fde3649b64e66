import type {EvidenceRef, Fact} from '../../engine/types.js'
import {numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'

/** One `<driver><unit> at <parent>...` line of a NetBSD boot: autoconf(9) prints one per attached device. */
export interface DeviceNode {
  /** Instance name: `wd0`. */
  name: string
  /** Driver (config(1) device) name: `wd`. */
  driver: string
  /** Parent instance: `atabus0`; undefined for `mainbus0 (root)`. */
  parent?: string
  /** The rest of the line after the parent (`dev 31 function 2: Intel ... (rev. 0x05)`). */
  detail: string
  ref: EvidenceRef
}

/**
 * A PCI function no driver of this kernel took: `<description> (<subclass> <class>, ...) at pci0 dev 3 function 0 not
 * configured`.
 */
export interface UnconfiguredDevice {
  /** `Intel 82801I SATA AHCI` or `vendor 0x1af4 product 0x1001`. */
  description: string
  /** The PCI class as NetBSD names it (`mass storage`, `network`, `display`, ... or `class 0x01`). */
  pciClass: string
  /** The whole parenthesized class text: `SATA mass storage, interface 0x01, revision 0x05`. */
  classText: string
  /** `pci0 dev 3 function 0`. */
  location: string
  ref: EvidenceRef
}

export interface AttachmentTree {
  source: string
  devices: Map<string, DeviceNode>
  /** `NetBSD 10.0 (GENERIC) #0: ...`: release and kernel configuration name of this boot. */
  kernel?: Fact<{release: string; config: string}>
  /** `root on dk1 dumps on dk2` → `dk1`; `root on wd0a` → `wd0` (the disk, partition letter dropped). */
  root?: Fact<string>
  /** `raid0: Components: /dev/wd0a /dev/wd1a` → raid0 → [wd0, wd1]: RAIDframe has no `at` line of its own. */
  raidComponents: Map<string, string[]>
  /** Network interfaces: instances that printed a MAC address (`wm0: Ethernet address 00:1b:21:...`). */
  nics: Map<string, EvidenceRef>
  unconfigured: UnconfiguredDevice[]
  /** `hypervisor0 at mainbus0: Xen version 4.20`: this boot ran under Xen (the dom0 kernel's own dmesg). */
  xen?: EvidenceRef
}

/** NetBSD's PCI class names (sys/dev/pci/pci_subr.c `pci_class[]`), longest first so `serial bus` wins over `bus`. */
const PCI_CLASSES = [
  'satellite comm',
  'communications',
  'mass storage',
  'prehistoric',
  'multimedia',
  'serial bus',
  'processor',
  'undefined',
  'wireless',
  'network',
  'display',
  'memory',
  'bridge',
  'system',
  'crypto',
  'input',
  'dock',
  'DASP',
  'I2O',
]

const ATTACH = /^([a-z][a-z0-9_]*?)(\d+) at ([a-z][a-z0-9_]*?\d+)(?=[\s:,]|$)(.*)$/
const ROOT_ONLY = /^mainbus0 \(root\)/
const BANNER = /^NetBSD (\d+\.\d+(?:\.\d+)?(?:_[A-Za-z0-9]+)?)\s+\(([A-Za-z0-9_.+-]+)\)/
const ROOT = /^root on ([a-z][a-z0-9_]*\d+)([a-p])?(?:\s|$)/
const MAC = /^([a-z][a-z0-9_]*\d+): (?:Ethernet |802\.11 |MAC )?address:? ((?:[0-9a-f]{2}:){5}[0-9a-f]{2})\b/i
const NOT_CONFIGURED = /^(.*) \(([^()]*)\) at (pci\d+ dev \d+ function \d+) not configured\s*$/
const RAID = /^(raid\d+): Components: (.*)$/

export function pciClassOf(classText: string): string {
  const first = classText.split(',')[0]!.trim()
  const numeric = /^class (0x[0-9a-f]{2})/i.exec(first)
  if (numeric) return `class ${numeric[1]!.toLowerCase()}`
  return PCI_CLASSES.find((c) => first === c || first.endsWith(` ${c}`)) ?? first
}

function empty(source: string): AttachmentTree {
  return {source, devices: new Map(), raidComponents: new Map(), nics: new Map(), unconfigured: []}
}

/**
 * Reads the device tree of one NetBSD boot from dmesg text. Pure and total: any input gives a tree
 * (empty for garbage). When the text holds several boots (a `dmesg` buffer that survived a reboot),
 * the last boot's banner starts a fresh tree, since only that boot describes the running kernel.
 */
export function parseAttachmentTree(text: string, source: string): AttachmentTree {
  let tree = empty(source)
  for (const {line, text: raw} of numberedLines(text)) {
    if (raw.length > 4096) continue
    const t = stripKernelTimestamp(raw).trimEnd()
    const ref = {source, line, text: raw}
    const banner = BANNER.exec(t)
    if (banner) {
      // The copyright banner and the `NetBSD x.y (CONF) #0: date` line both match; a new boot only when the tree has
      // devices.
      if (tree.devices.size > 0) tree = empty(source)
      if (!tree.kernel) tree.kernel = {value: {release: banner[1]!, config: banner[2]!}, ...ref}
      continue
    }

    if (ROOT_ONLY.test(t)) {
      tree.devices.set('mainbus0', {name: 'mainbus0', driver: 'mainbus', detail: '', ref})
      continue
    }

    const nc = NOT_CONFIGURED.exec(t)
    if (nc) {
      tree.unconfigured.push({
        description: nc[1]!.trim(),
        classText: nc[2]!.trim(),
        pciClass: pciClassOf(nc[2]!),
        location: nc[3]!,
        ref,
      })
      continue
    }

    const a = ATTACH.exec(t)
    if (a) {
      const name = `${a[1]}${a[2]}`
      // Keep the first attach line of an instance: a second one would be a detach/reattach, same driver.
      if (!tree.devices.has(name))
        tree.devices.set(name, {name, driver: a[1]!, parent: a[3]!, detail: a[4]!.replace(/^[:\s]+/, ''), ref})
      if (name === 'hypervisor0' && /Xen version/.test(a[4]!)) tree.xen = ref
      continue
    }

    const root = ROOT.exec(t)
    if (root) {
      tree.root = {value: root[1]!, ...ref}
      continue
    }

    const mac = MAC.exec(t)
    if (mac) {
      if (!tree.nics.has(mac[1]!)) tree.nics.set(mac[1]!, ref)
      continue
    }

    const raid = RAID.exec(t)
    if (raid) {
      const disks = [...raid[2]!.matchAll(/\/dev\/([a-z]+\d+)[a-p]?\b/g)].map((m) => m[1]!)
      if (disks.length) tree.raidComponents.set(raid[1]!, disks)
    }
  }

  return tree
}

/**
 * The chain of instances from `name` up to the root of the tree (`wd0`, `atabus0`, `ahcisata0`, `pci0`, `mainbus0`).
 * Stops on loops and unknown parents.
 */
export function chainOf(tree: AttachmentTree, name: string): DeviceNode[] {
  const out: DeviceNode[] = []
  const seen = new Set<string>()
  let cur = tree.devices.get(name)
  while (cur && !seen.has(cur.name)) {
    seen.add(cur.name)
    out.push(cur)
    cur = cur.parent ? tree.devices.get(cur.parent) : undefined
  }

  return out
}
