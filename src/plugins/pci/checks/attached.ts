import {type PciFacts, KERN_XEN_PCI, ASSIGNABLE, deviceAt} from '../facts.js'
import {type PciAddress, addressKey, hexBdf, sameAddress, domainBdf} from '../../../parsers/pci-address.js'
import {type Fact, type CheckDefinition, type Outcome, refs, absentFrom} from '../../../engine/types.js'
import {BOOT_EVIDENCE, HOWTO, passthroughApplies, pci, both, hiddenDevices, noHide} from '../common.js'

function kernEntry(f: PciFacts, a: PciAddress): Fact<PciAddress> | undefined {
  return f.kernXenPci?.entries.get(addressKey(a))
}

export const attached: CheckDefinition = {
  id: 'pci.attached',
  title: 'Hidden devices are attached to pciback on the running dom0',
  since: '0.1.0',
  actor: 'os-config',
  evidence: ['dmesg.boot', KERN_XEN_PCI, ASSIGNABLE, ...BOOT_EVIDENCE],
  description:
    'On a running dom0: a `pciback0 at pci0 dev 10 function 0: …` line in dmesg for each hidden device (decimal numbers), its `0000:00:0a.0` entry in `ls -l /kern/xen/pci`, and `xl pci-assignable-list` when present. Another driver attached at the same address means the hide list was not in effect.',
  why: "pciback devices should show up in the domain0's boot messages, and the devices should be listed in the /kern/xen/pci directory (Howto).",
  remedy:
    'Reboot dom0 with pciback.hide on the dom0 line of the entry that boots (the kernel reads it only at boot), with a DOM0 kernel that has `pciback* at pci?` (XEN3_DOM0 has it).',
  references: [HOWTO, 'pciback(4)'],
  applies: passthroughApplies,
  run(ctx) {
    const f = pci(ctx)
    const {setting, devices} = hiddenDevices(f)
    if (!setting || devices.length === 0) return noHide(f)
    const {value: xen, reason} = ctx.optionalFacts('xen')
    if (!xen)
      return {
        status: 'unknown',
        message: `whether this host runs as dom0 is unknown: ${reason}`,
      }
    if (xen.otherOs)
      return {
        status: 'n/a',
        message: `this host runs ${xen.otherOs.value}: pciback attachment can be checked once the NetBSD dom0 runs`,
        evidence: refs(xen.otherOs),
        pending: 'install NetBSD',
      }
    if (!xen.running || xen.runningDom0 === false) {
      return {
        status: 'n/a',
        message: `not a running NetBSD dom0${xen.running ? ' (a domU)' : ''}: boot the Xen entry, then check again (dmesg.boot and ls -l /kern/xen/pci)`,
        evidence: refs(xen.running, xen.kernelConfig),
        ...(xen.running ? {} : {pending: 'boot the Xen dom0 entry'}),
      }
    }

    const syntax = f.dmesg?.hideErrors ?? []
    return devices.map((a): Outcome => {
      const subject = hexBdf(a)
      const dev = deviceAt(f, a)
      const name = dev ? ` (${dev.value.name})` : ''
      const lines = f.dmesg?.attachments.get(addressKey(a)) ?? []
      const pciback = lines.find((l) => l.value.driver.startsWith('pciback'))
      const other = lines.find((l) => !l.value.driver.startsWith('pciback'))
      const kern = kernEntry(f, a)
      const assignable = f.assignable?.find((x) => sameAddress(x.value, a))
      const dmesgForm = `dev ${a.device} function ${a.function}`
      if (!f.dmesg && !assignable) {
        return {
          status: 'unknown',
          subject,
          message: `dmesg.boot is missing, so whether ${both(a)}${name} attached to pciback is unknown`,
          evidence: refs(setting.ref, kern),
        }
      }

      if (pciback || assignable) {
        const where = pciback
          ? `attached to ${pciback.value.driver} (dmesg ${dmesgForm})`
          : 'listed by xl pci-assignable-list'
        if (kern)
          return {
            status: 'pass',
            subject,
            message: `${both(a)}${name} is ${where} and in /kern/xen/pci as ${domainBdf(a)}`,
            evidence: refs(pciback, assignable, kern),
          }
        if (!f.kernXenPci) {
          return {
            status: 'unknown',
            subject,
            message: `${both(a)}${name} is ${where}, but ${KERN_XEN_PCI} is missing, so its /kern/xen/pci entry is unchecked`,
            evidence: refs(pciback, assignable),
            remedy: `Run \`ls -l /kern/xen/pci > ${KERN_XEN_PCI} 2>&1\` on the dom0.`,
          }
        }

        return {
          status: 'fail',
          subject,
          message: `${both(a)}${name} is ${where}, but /kern/xen/pci has no ${domainBdf(a)}${f.kernXenPci.exists ? '' : ' (the directory does not exist: kernfs not mounted on /kern, or the PCI backend was not registered)'}`,
          evidence: refs(
            pciback,
            assignable,
            f.kernXenPci.error ?? absentFrom(KERN_XEN_PCI, `(no ${domainBdf(a)})`),
            ...syntax,
          ),
          remedy:
            'Mount kernfs (`kernfs /kern kernfs rw` in /etc/fstab) and fix any pciback.hide syntax error reported at boot (`pciback_pci_init: syntax error`), then reboot.',
        }
      }

      if (f.assignable && !f.dmesg) {
        return {
          status: 'fail',
          subject,
          message: `${both(a)}${name} is not in xl pci-assignable-list`,
          evidence: refs(setting.ref, absentFrom(ASSIGNABLE, `(no ${domainBdf(a)})`)),
        }
      }

      const because = other
        ? `${other.value.driver} attached to it instead (${dmesgForm}): the running kernel did not get this pciback.hide (added after the last boot, or another boot entry was used)`
        : `dmesg.boot has no "pciback… at pci… ${dmesgForm}" line`
      return {
        status: 'fail',
        subject,
        message: `${both(a)}${name} is not attached to pciback: ${because}${syntax.length > 0 ? '; the kernel reported a pciback.hide syntax error' : ''}`,
        evidence: refs(
          setting.ref,
          other,
          ...syntax,
          ...(other ? [] : [absentFrom('dmesg.boot', `(no pciback at ${dmesgForm})`)]),
        ),
      }
    })
  },
}
