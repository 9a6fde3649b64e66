import {type PciFacts, deviceAt} from '../facts.js'
import {type PciAddress, sameAddress, pcictlBdf, hexBdf} from '../../../parsers/pci-address.js'
import {type CheckDefinition, type Outcome, refs, absentFrom} from '../../../engine/types.js'
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

/** When a hidden device is missing: was it written in pcictl's decimal by mistake? */
function decimalHint(f: PciFacts, a: PciAddress): string {
  const asDecimal = (n: number) => Number.parseInt(n.toString(16), 10)
  const guess = {domain: a.domain, bus: asDecimal(a.bus), device: asDecimal(a.device), function: a.function}
  if (Number.isNaN(guess.bus) || Number.isNaN(guess.device) || sameAddress(guess, a)) return ''
  const d = deviceAt(f, guess)
  return d
    ? ` It looks like pcictl's decimal numbers were copied: pcictl ${pcictlBdf(guess)} is ${describe(d)}, which pciback.hide writes (${hexBdf(guess)}).`
    : ''
}

export const hideExists: CheckDefinition = {
  id: 'pci.hide-exists',
  title: 'Every device in pciback.hide exists on the PCI bus',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [...BOOT_EVIDENCE, ...LISTINGS],
  description:
    "Each device of the effective pciback.hide (the default entry's) is looked up in `pcictl pciN list` (decimal bus:dev:func) or `lspci -nn` (hex), converting bases, and named (vendor/product, class).",
  why: 'pciback claims devices by bus/device/function; a number that matches no device hides nothing, and the domU that expects it will not start with it. pcictl prints decimal numbers while pciback.hide is hex, an easy mistake.',
  remedy: `List the devices with ${LIST_COMMAND}, and write their numbers in hex in pciback.hide (pcictl 000:10:0 is (00:0a.0)).`,
  references: [HOWTO, 'pcictl(8)', 'NetBSD/src usr.sbin/pcictl/pcictl.c'],
  applies: passthroughApplies,
  run(ctx) {
    const f = pci(ctx)
    const {setting, devices} = hiddenDevices(f)
    if (!setting || devices.length === 0) return noHide(f)
    return devices.map((a): Outcome => {
      const subject = hexBdf(a)
      const r = lookup(f, a)
      if (r.status === 'found') {
        return {
          status: 'pass',
          subject,
          message: `${both(a)} is ${describe(r.device)}`,
          evidence: refs(setting.ref, r.device),
        }
      }

      if (r.status === 'unlisted') {
        return {
          status: 'unknown',
          subject,
          message: `whether ${both(a)} exists is unknown: ${r.why}`,
          evidence: refs(setting.ref),
          remedy: `Collect the PCI listing: ${LIST_COMMAND}.`,
        }
      }

      const sameSlot = f.devices.filter((d) => d.value.address.bus === a.bus && d.value.address.device === a.device)
      const slotHint =
        sameSlot.length > 0
          ? ` Device ${hexBdf(a).slice(0, 5)} has function${sameSlot.length === 1 ? '' : 's'} ${sameSlot.map((d) => d.value.address.function).join(', ')} only.`
          : ''
      const busHint = f.listedBuses.has(a.bus)
        ? ''
        : ` No device at all is on bus ${a.bus}, and the listing scanned every bus.`
      return {
        status: 'fail',
        subject,
        message: `${both(a)} is not in ${f.listingSources.join(', ')}: pciback will claim nothing there.${busHint}${decimalHint(f, a)}${slotHint}`,
        evidence: refs(
          setting.ref,
          ...f.listingSources.map((s) => absentFrom(s, `(no line ${pcictlBdf(a)} / ${hexBdf(a)})`)),
        ),
      }
    })
  },
}
