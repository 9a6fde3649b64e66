/**
 * PCI addresses and the notations that name them. The bases differ and matter:
 * - `pcictl pci0 list` prints `%03u:%02u:%01u:` in DECIMAL (usr.sbin/pcictl/pcictl.c): device 10 is `000:10:0`.
 * - `pciback.hide` is read with strtoul(..., 16) (sys/arch/xen/xen/pciback.c): device 10 is `(00:0a.0)`.
 * - `/kern/xen/pci` entries, lspci and xl print `%02x` HEX: `0000:00:0a.0`.
 * - dmesg attach lines print `dev %d function %d` in DECIMAL: `pciback0 at pci0 dev 10 function 0`.
 */
export interface PciAddress {
  domain: number
  bus: number
  device: number
  function: number
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0')

/** The Howto's `bus:dev.func` form, hex: `00:0a.0`. */
export function hexBdf(a: PciAddress): string {
  return `${hex2(a.bus)}:${hex2(a.device)}.${a.function.toString(16)}`
}

/** The domU config / xl / kernfs form: `0000:00:0a.0`. */
export function domainBdf(a: PciAddress): string {
  return `${a.domain.toString(16).padStart(4, '0')}:${hexBdf(a)}`
}

/** The `pcictl list` form, decimal: `000:10:0`. */
export function pcictlBdf(a: PciAddress): string {
  return `${String(a.bus).padStart(3, '0')}:${String(a.device).padStart(2, '0')}:${a.function}`
}

export function addressKey(a: PciAddress): string {
  return `${a.domain}:${a.bus}:${a.device}:${a.function}`
}

export function sameAddress(a: PciAddress, b: PciAddress): boolean {
  return a.domain === b.domain && a.bus === b.bus && a.device === b.device && a.function === b.function
}

/** Real PCI limits: 256 buses, 32 devices, 8 functions. */
export function inRange(a: PciAddress): boolean {
  return a.bus <= 255 && a.device <= 31 && a.function <= 7
}

/**
 * A device named the way a user types it on the command line (`xenready pci --device`):
 * the Howto's hex `00:0a.0`, with or without a `0000:` domain, or pcictl's decimal `000:10:0`.
 * Undefined for anything else, an impossible address included (see `userBdfProblem`).
 */
export function parseUserBdf(text: string): PciAddress | undefined {
  const r = readUserBdf(text)
  return 'address' in r ? r.address : undefined
}

/** Why `text` is not a device address a user can mean, or undefined when it is one. */
export function userBdfProblem(text: string): string | undefined {
  const r = readUserBdf(text)
  return 'problem' in r ? r.problem : undefined
}

const FORMS = "bus:dev.func in hex (00:0a.0) or pcictl's bus:dev:func in decimal (000:10:0)"

function readUserBdf(text: string): {address: PciAddress} | {problem: string} {
  const t = text.trim().toLowerCase()
  // Wider than valid on purpose, so that `00:20.0` is told "device 0x20 is past 0x1f", not "not an address".
  const hex = /^(?:([0-9a-f]{4}):)?([0-9a-f]{1,3}):([0-9a-f]{1,2})\.([0-9a-f])$/.exec(t)
  if (hex) {
    const a = {
      domain: hex[1] ? Number.parseInt(hex[1], 16) : 0,
      bus: Number.parseInt(hex[2]!, 16),
      device: Number.parseInt(hex[3]!, 16),
      function: Number.parseInt(hex[4]!, 16),
    }
    const out = [
      a.bus > 0xff ? `bus 0x${a.bus.toString(16)} is past 0xff` : '',
      a.device > 0x1f ? `device 0x${a.device.toString(16)} is past 0x1f (a bus has devices 00-1f)` : '',
      a.function > 7 ? `function ${a.function.toString(16)} is past 7 (a device has functions 0-7)` : '',
    ].filter(Boolean)
    return out.length > 0 ? {problem: `${text}: ${out.join('; ')}`} : {address: a}
  }

  const dec = /^(\d{1,3}):(\d{1,3}):(\d{1,2})$/.exec(t)
  if (dec) {
    const a = {domain: 0, bus: Number(dec[1]), device: Number(dec[2]), function: Number(dec[3])}
    const out = [
      a.bus > 255 ? `bus ${a.bus} is past 255` : '',
      a.device > 31
        ? `device ${a.device} is past 31 (pcictl prints devices 00-31 in decimal; hex is written 00:1f.0)`
        : '',
      a.function > 7 ? `function ${a.function} is past 7 (a device has functions 0-7)` : '',
    ].filter(Boolean)
    return out.length > 0 ? {problem: `${text}: ${out.join('; ')}`} : {address: a}
  }

  return {problem: `${JSON.stringify(text)}: not ${FORMS}`}
}
