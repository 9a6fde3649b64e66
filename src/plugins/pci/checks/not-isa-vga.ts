import {type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import {hexBdf} from '../../../parsers/pci-address.js'
import {passability} from '../passability.js'
import {
  BOOT_EVIDENCE,
  LISTINGS,
  HOWTO,
  LIST_COMMAND,
  passthroughApplies,
  pci,
  describe,
  both,
  lookup,
  hiddenDevices,
  noHide,
} from '../common.js'

export const notIsaVga: CheckDefinition = {
  id: 'pci.not-isa-vga',
  title: 'No hidden device is the primary VGA adapter, an ISA bridge or a host bridge',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [...BOOT_EVIDENCE, ...LISTINGS],
  description:
    'The class of each hidden device in the PCI listing: `VGA display` / `VGA compatible controller [0300]`, `ISA bridge [0601]`, host and PCI bridges.',
  why: 'It is not possible to export ISA devices to non-domain0 domains, which means that the primary VGA adapter cannot be exported; a guest domain trying to access the VGA registers will panic (Howto). Bridges carry other devices dom0 needs.',
  remedy:
    'Remove the VGA adapter and any ISA/host bridge from pciback.hide; pass through endpoint devices (network, storage, USB controllers) instead.',
  references: [HOWTO],
  applies: passthroughApplies,
  run(ctx) {
    const f = pci(ctx)
    const {setting, devices} = hiddenDevices(f)
    if (!setting || devices.length === 0) return noHide(f)
    const vgaCount = f.devices.filter((d) => d.value.kind === 'vga').length
    return devices.map((a): Outcome => {
      const subject = hexBdf(a)
      const r = lookup(f, a)
      if (r.status !== 'found') {
        return {
          status: 'unknown',
          subject,
          message: `${both(a)} is not in the PCI listing${r.status === 'unlisted' ? ` (${r.why})` : ''}, so its class is unknown`,
          evidence: refs(setting.ref),
          remedy: `Collect the PCI listing: ${LIST_COMMAND}.`,
        }
      }

      const d = r.device
      const ev = refs(setting.ref, d)
      const p = passability(d.value, vgaCount)
      if (p.ok) return {status: 'pass', subject, message: `${both(a)} is ${describe(d)}: ${p.reason}`, evidence: ev}
      const status =
        d.value.kind === 'vga' && vgaCount > 1
          ? 'warn'
          : d.value.kind === 'pci-bridge' || d.value.kind === 'bridge'
            ? 'warn'
            : 'fail'
      return {status, subject, message: `${both(a)} is ${describe(d)}: ${p.reason}`, evidence: ev}
    })
  },
}
