import type {AttachmentTree, DeviceNode} from './parse-dmesg.js'
import {chainOf} from './parse-dmesg.js'
import type {KernelTable} from './tables.js'

/** DRM/KMS graphics drivers (and agp, which XEN3_DOM0 leaves out on purpose: "crashes reported with agp"). */
export const GRAPHICS_DRIVERS = new Set([
  'i915drmkms',
  'intelfb',
  'radeon',
  'radeondrmkmsfb',
  'amdgpu',
  'amdgpufb',
  'nouveau',
  'nouveaufb',
  'viadrmums',
  'agp',
  'drm',
])

/**
 * Devices a PV dom0 does without because the hypervisor owns what they drive: XEN3_DOM0 comments out
 * `acpicpu* at cpu?` ("needs x86_cpu_idle_halt in cpu.c (!xenpv)": Xen does CPU power management), and the
 * drivers of other hypervisors' paravirtual interfaces (`vmt0 at cpu0`, `hyperv0 at cpu0`) cannot apply.
 */
export const EXPECTED_UNDER_XEN = new Set(['acpicpu', 'vmt', 'hyperv', 'odcm'])

/** Not configuration devices: disk wedges come from dkwedge discovery, not from a `dk* at` line. */
const IMPLICIT = new Set(['dk'])

/** In a PV dom0 the hypervisor device takes mainbus' place as the parent of pci, isa and acpi. */
const SAME_PARENT: Record<string, string> = {mainbus: 'hypervisor', hypervisor: 'mainbus'}

export interface Loss {
  /** The device that will not attach under the dom0 kernel. */
  node: DeviceNode
  /** Why: the driver is absent, or it is present but not at this parent. */
  reason: 'no-driver' | 'no-attachment'
  /** For `no-attachment`: where the table says the driver attaches. */
  attachesAt?: string[]
}

export type Verdict =
  {kind: 'ok'} | {kind: 'lost'; loss: Loss} | {kind: 'below'; loss: Loss} | {kind: 'unverifiable'; why: string}

/** Judges every instance of a tree against one kernel table, each once (a verdict depends on the parent's). */
export class Coverage {
  private readonly verdicts = new Map<string, Verdict>()
  private readonly known: Set<string>

  constructor(
    private readonly tree: AttachmentTree,
    private readonly table: KernelTable,
  ) {
    this.known = new Set([...Object.keys(table.drivers), ...table.pseudo, 'root'])
  }

  /** Whether `driver` attaches at the parent instance's driver in this kernel. */
  private own(node: DeviceNode): Loss | undefined {
    if (IMPLICIT.has(node.driver)) return undefined
    const at = this.table.drivers[node.driver]
    if (!at) return {node, reason: 'no-driver'}
    const parent = node.parent
      ? (this.tree.devices.get(node.parent)?.driver ?? node.parent.replace(/\d+$/, ''))
      : undefined
    if (!parent || at.includes(parent) || at.includes(SAME_PARENT[parent] ?? '')) return undefined
    // Interface attributes (`scsibus* at scsi?`, `wd* at atabus?` via `ata`) are provided by many drivers;
    // without the files.* declarations the table cannot tell which, so the driver's presence has to do.
    if (at.some((p) => !this.known.has(p))) return undefined
    return {node, reason: 'no-attachment', attachesAt: at}
  }

  verdict(name: string): Verdict {
    const hit = this.verdicts.get(name)
    if (hit) return hit
    const node = this.tree.devices.get(name)
    let v: Verdict
    if (!node) v = {kind: 'unverifiable', why: `${name} has no attach line in the dmesg`}
    else {
      // Provisional entry: a parent loop in garbage input must end.
      this.verdicts.set(name, {kind: 'ok'})
      const parentV =
        node.parent && this.tree.devices.has(node.parent) ? this.verdict(node.parent) : ({kind: 'ok'} as Verdict)
      if (parentV.kind === 'lost' || parentV.kind === 'below') v = {kind: 'below', loss: parentV.loss}
      else if (
        this.underUsb(node) &&
        !this.table.drivers[node.driver] &&
        this.table.unread?.some((f) => f.includes('usb'))
      ) {
        v = {
          kind: 'unverifiable',
          why: `${node.driver} is a USB device driver; the table does not list USB devices (dev/usb/usbdevices.config was not read)`,
        }
      } else {
        const loss = this.own(node)
        v = loss ? {kind: 'lost', loss} : parentV.kind === 'unverifiable' ? parentV : {kind: 'ok'}
      }
    }

    this.verdicts.set(name, v)
    return v
  }

  private underUsb(node: DeviceNode): boolean {
    return chainOf(this.tree, node.name)
      .slice(1)
      .some((n) => n.driver === 'usb' || n.driver === 'uhub')
  }
}

/** Disks the root file system lives on: the root device itself, the wedge's parent, or RAIDframe components. */
export function rootDisks(tree: AttachmentTree): string[] | undefined {
  const root = tree.root?.value
  if (!root) return undefined
  if (tree.devices.has(root)) return [root]
  const components = tree.raidComponents.get(root)
  return components && components.every((d) => tree.devices.has(d)) ? components : undefined
}

export function describeLoss(loss: Loss, config: string): string {
  const n = loss.node
  if (loss.reason === 'no-driver') return `${config} has no \`${n.driver}\` driver (${n.name} at ${n.parent ?? 'root'})`
  return `${config} has \`${n.driver}\` only at ${loss.attachesAt!.join(', ')}, not at ${n.parent?.replace(/\d+$/, '')} (${n.name} at ${n.parent})`
}

/** `ld0 ← virtio1 ← pci0`: the chain of a device, for messages. */
export function chainText(tree: AttachmentTree, name: string): string {
  return chainOf(tree, name)
    .map((n) => n.name)
    .filter((n) => n !== 'mainbus0')
    .join(' ← ')
}
