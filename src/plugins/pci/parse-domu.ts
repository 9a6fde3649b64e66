import type {PciAddress} from '../../parsers/pci-address.js'

export interface DomuPciEntry {
  raw: string
  /** Undefined when the entry does not parse. */
  address?: PciAddress
  /** `00:06.*`: every function of the device. */
  allFunctions: boolean
  problem?: string
}

/**
 * One element of a domU `pci = [...]` list: `'0000:00:06.0'` (Howto), `'00:06.0'` (pciback(4)),
 * optionally `@vslot`, `,key=value` options, a `bdf=` key, or `*` for every function (xl-pci-configuration(5)).
 */
export function parseDomuPciEntry(raw: string): DomuPciEntry {
  let t = raw.trim()
  const parts = t.split(',')
  const bdfPart = parts.find((p) => /^bdf=/i.test(p.trim()))
  t = (bdfPart ? bdfPart.trim().slice(4) : parts[0]!.trim()).replace(/@.*$/, '')
  const m = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7*])$/i.exec(t)
  if (!m) return {raw, allFunctions: false, problem: `"${raw}" is not [0000:]bus:dev.func (hex), e.g. '0000:00:0a.0'`}
  const all = m[4] === '*'
  const address = {
    domain: Number.parseInt(m[1] ?? '0', 16),
    bus: Number.parseInt(m[2]!, 16),
    device: Number.parseInt(m[3]!, 16),
    function: all ? 0 : Number(m[4]),
  }
  if (address.device > 31)
    return {raw, allFunctions: all, problem: `device 0x${address.device.toString(16)} in "${raw}" is above 0x1f`}
  return {raw, address, allFunctions: all}
}
