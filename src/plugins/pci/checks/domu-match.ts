import {type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import {sameAddress, hexBdf} from '../../../parsers/pci-address.js'
import {formatHide} from '../parse-hide.js'
import {BOOT_EVIDENCE, HOWTO, passthroughApplies, pci} from '../common.js'

export const domuMatch: CheckDefinition = {
  id: 'pci.domu-match',
  title: 'Every device in a domU pci = [...] list is hidden from dom0, and given to one domU only',
  since: '0.1.0',
  actor: 'os-config',
  evidence: ['files/usr/pkg/etc/xen/*', ...BOOT_EVIDENCE],
  description:
    "Each entry `0000:bus:dev.func` (hex) of each domU config's `pci` list, compared with the effective pciback.hide; the same device in two configs.",
  why: "PCI devices to be exported to a domU are listed in the pci array of the domU's config file, with the format '0000:bus:dev.func'; a device must be attached to pciback in dom0 first (Howto). Two running domUs cannot share one device.",
  remedy:
    "Add each device of `pci = [ '0000:00:06.0', '0000:00:0a.0' ]` to pciback.hide (`pciback.hide=(00:06.0)(00:0a.0)`). The domU kernel needs `xpci* at xenbus ?` and `pci* at xpci ?` plus the device drivers (the default XEN3_DOMU kernel has none): this cannot be seen from dom0.",
  references: [HOWTO, 'xpci(4)'],
  applies: passthroughApplies,
  run(ctx) {
    const f = pci(ctx)
    if (f.domus.length === 0) {
      if (f.domuError)
        return {
          status: 'unknown',
          message: `the domU configurations could not be read: ${f.domuError}`,
          remedy:
            'Copy the domU configurations into the dump under files/usr/pkg/etc/xen/ and run with a xenready that reads them (the domu plugin).',
        }
      return {status: 'n/a', message: 'no domU configuration under files/usr/pkg/etc/xen/ has a pci = [...] list'}
    }

    const hidden = f.effective?.parse.devices ?? []
    const owners = new Map<string, string[]>()
    const outcomes: Outcome[] = []
    const kernelNote =
      ' The domU kernel must have `xpci* at xenbus ?` and `pci* at xpci ?` (not in the default DOMU kernels).'
    for (const domu of f.domus) {
      for (const e of domu.entries) {
        const subject = `${domu.source}: ${e.raw}`
        if (!e.address) {
          outcomes.push({
            status: 'fail',
            subject,
            message: e.problem ?? `"${e.raw}" does not parse`,
            evidence: refs(domu.ref),
            remedy: "Write each entry as the Howto does: pci = [ '0000:00:06.0', '0000:00:0a.0' ].",
          })
          continue
        }

        const a = e.address
        const matches = e.allFunctions
          ? hidden.filter((h) => h.bus === a.bus && h.device === a.device)
          : hidden.filter((h) => sameAddress({...h, domain: a.domain}, a))
        for (const m of e.allFunctions ? matches : [a]) {
          const k = hexBdf(m)
          owners.set(k, [...(owners.get(k) ?? []), domu.source])
        }

        const label = e.allFunctions ? `${hexBdf(a).slice(0, 5)}.*` : hexBdf(a)
        if (!f.effective) {
          outcomes.push({
            status: f.bootConfigs ? 'fail' : 'unknown',
            subject,
            message: f.bootConfigs
              ? `${label} is given to the domU but no dom0 boot line has pciback.hide, so dom0's own driver keeps it`
              : `${label} is given to the domU; the boot configuration is not in the evidence, so whether it is hidden is unknown`,
            evidence: refs(domu.ref),
            remedy: `Add \`pciback.hide=(${label})\` to the dom0 line and reboot.${kernelNote}`,
          })
          continue
        }

        if (matches.length === 0 || a.domain !== 0) {
          outcomes.push({
            status: 'fail',
            subject,
            message: `${label} is in ${domu.source} but not in ${f.effective.arg}: dom0's own driver keeps it and the domU cannot have it${a.domain !== 0 ? ` (domain ${a.domain.toString(16)}: NetBSD's pciback handles domain 0000 only)` : ''}`,
            evidence: refs(domu.ref, f.effective.ref),
            remedy: `Add (${label}) to pciback.hide: \`${formatHide([...hidden, ...(e.allFunctions ? [] : [a])])}\`, and reboot dom0.${kernelNote}`,
          })
          continue
        }

        outcomes.push({
          status: 'pass',
          subject,
          message: `${label} is hidden by ${f.effective.arg}.${kernelNote}`,
          evidence: refs(domu.ref, f.effective.ref),
        })
      }
    }

    for (const [k, sources] of owners) {
      const distinct = [...new Set(sources)]
      if (distinct.length > 1) {
        outcomes.push({
          status: 'warn',
          subject: k,
          message: `${k} is given to ${distinct.length} domU configs (${distinct.join(', ')}): only one of them can run with it at a time`,
          evidence: refs(...f.domus.filter((d) => distinct.includes(d.source)).map((d) => d.ref)),
          remedy:
            'Give each device to one domU, or never run those domUs at the same time (check xendomains= in /etc/rc.conf).',
        })
      }
    }

    return outcomes
  },
}
