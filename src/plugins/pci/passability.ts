import type {PciDevice} from './parse-listing.js'

/**
 * Whether a device can be handed to a domU through pciback, and why (Howto: "it's not possible to
 * export ISA devices to non-domain0 domains (which means that the primary VGA adapter can't be exported.
 * A guest domain trying to access the VGA registers will panic)").
 */
export function passability(d: PciDevice, vgaCount: number): {ok: boolean; reason: string} {
  switch (d.kind) {
    case 'vga': {
      return {
        ok: false,
        reason:
          vgaCount > 1
            ? `a VGA adapter (one of ${vgaCount}): the primary one uses ISA VGA registers and cannot be exported (a domU touching them panics); only a secondary adapter that is not the console might be`
            : 'the primary VGA adapter: it uses ISA VGA registers, which cannot be exported to a domU (a domU touching them panics)',
      }
    }

    case 'isa-bridge': {
      return {
        ok: false,
        reason:
          'an ISA bridge: ISA devices cannot be exported to non-domain0 domains, and dom0 needs it (keyboard, timers, serial ports)',
      }
    }

    case 'host-bridge': {
      return {ok: false, reason: 'the host bridge (the chipset itself): dom0 cannot work without it'}
    }

    case 'pci-bridge':
    case 'bridge': {
      return {ok: false, reason: 'a bridge: pass the devices behind it, not the bridge'}
    }

    default: {
      return {ok: true, reason: 'an endpoint device, can be passed through'}
    }
  }
}
