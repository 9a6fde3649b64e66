import type {HideSetting} from '../facts.js'
import {type EvidenceRef, refOf, type Outcome, type CheckDefinition, refs, absentFrom} from '../../../engine/types.js'
import {allProblems, formatHide} from '../parse-hide.js'
import {BOOT_EVIDENCE, HOWTO, passthroughApplies, pci, both} from '../common.js'

const HOWTO_HIDE_EXAMPLE = 'pciback.hide=(00:0a.0)(00:06.0)'

function groupRefs(h: HideSetting): EvidenceRef[] {
  return [refOf(h.ref)]
}

function hideSyntaxOutcome(h: HideSetting): Outcome {
  const subject = h.entry.label
  const ev = groupRefs(h)
  if (h.on === 'xen') {
    return {
      status: 'fail',
      subject,
      message: `${h.arg} is on the Xen hypervisor line, which the NetBSD dom0 kernel never reads`,
      evidence: ev,
      remedy: `Move \`${h.arg}\` to the dom0 kernel line (grub \`module /netbsd-XEN3_DOM0 ... ${h.arg}\`, boot.cfg \`load /netbsd-XEN3_DOM0.gz ... ${h.arg}\`).`,
    }
  }

  if (h.linuxSpelling) {
    return {
      status: 'fail',
      subject,
      message: `${h.arg.split('=')[0]}= is Linux's spelling: the NetBSD dom0 kernel only reads "pciback.hide=" (xen_parse_cmdline), so nothing is hidden`,
      evidence: ev,
      remedy: `Write it as the Howto does: \`${h.arg.replace(/^xen-/i, '')}\`.`,
    }
  }

  const problems = allProblems(h.parse)
  const errors = problems.filter((p) => p.severity === 'error')
  const warnings = problems.filter((p) => p.severity === 'warning')
  const extra: string[] = []
  const extraErrors: string[] = []
  if (h.strays.length > 0) {
    extraErrors.push(
      `a blank splits the list: the kernel cuts the command line at blanks, so ${h.strays.map((s) => `"${s}"`).join(', ')} ${h.strays.length === 1 ? 'is a separate argument' : 'are separate arguments'} that pciback never sees`,
    )
  }

  if (h.endOffset > 255)
    extraErrors.push(
      `the dom0 command line is at least ${h.endOffset} characters up to the end of pciback.hide, and the kernel keeps only 255 (xen_parse_cmdline truncates it)`,
    )
  if (h.overridden.length > 0)
    extra.push(`${h.overridden.length + 1} pciback.hide= arguments: the kernel keeps only the last (${h.arg})`)
  if (!/^pciback\.hide=/.test(h.arg))
    extra.push(
      `"${h.arg.split('=')[0]}=" in other letter case: accepted (strncasecmp) but not the documented "pciback.hide="`,
    )
  const render = (p: (typeof problems)[number]) =>
    `${p.group ? `group ${p.group.text} ` : ''}at position ${p.position}: ${p.message}`
  const claimed = h.parse.devices.map((d) => both(d)).join(', ')
  if (errors.length > 0 || extraErrors.length > 0) {
    return {
      status: 'fail',
      subject,
      message: `${h.arg}: ${[...extraErrors, ...errors.map(render)].join('; ')}${warnings.length + extra.length > 0 ? `. Also: ${[...extra, ...warnings.map(render)].join('; ')}` : ''}${claimed ? `. The kernel would claim: ${claimed}` : '. The kernel claims no device'}`,
      evidence: ev,
      remedy: `Write the list as the Howto does, (bus:dev.func) groups in hex with nothing between them: \`${h.parse.devices.length > 0 ? formatHide(h.parse.devices) : HOWTO_HIDE_EXAMPLE}\`. pcictl prints decimal device numbers: device 10 is \`0a\` here.`,
    }
  }

  if (warnings.length > 0 || extra.length > 0) {
    return {
      status: 'warn',
      subject,
      message: `${h.arg}: the kernel accepts it and claims ${claimed || 'no device'}, but ${[...extra, ...warnings.map(render)].join('; ')}`,
      evidence: ev,
      remedy:
        h.parse.devices.length > 0
          ? `Use the Howto's form: \`${formatHide(h.parse.devices)}\`.`
          : `Use the Howto's form, e.g. \`${HOWTO_HIDE_EXAMPLE}\`.`,
    }
  }

  return {status: 'pass', subject, message: `${h.arg} is well formed: pciback claims ${claimed}`, evidence: ev}
}

export const hideSyntax: CheckDefinition = {
  id: 'pci.hide-syntax',
  title: 'pciback.hide on the dom0 boot line is well formed',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [...BOOT_EVIDENCE],
  description:
    'The `pciback.hide=` argument of each dom0 line (grub `module`, boot.cfg `load`), parsed exactly as the NetBSD kernel does (sys/arch/xen/xen/pciback.c): `(bus:dev.func)` groups in hex with nothing between them; each malformed group is reported with its position. Forms the kernel accepts but the Howto does not document (one-digit numbers, a `0000:` domain, `0x`) are warnings.',
  why: 'Devices listed in pciback.hide attach to pciback instead of their usual driver; the kernel stops at the first group it cannot read and then registers no PCI backend at all (Howto: "The list of devices is specified as (bus:dev.func), where bus and dev are 2-digit hexadecimal numbers, and func a single-digit number").',
  remedy: `Add the devices to the dom0 line in the Howto's form: \`${HOWTO_HIDE_EXAMPLE}\`.`,
  references: [HOWTO, 'pciback(4)', 'NetBSD/src sys/arch/xen/xen/pciback.c'],
  applies: passthroughApplies,
  run(ctx) {
    const f = pci(ctx)
    if (f.hides.length > 0) return f.hides.map((h) => hideSyntaxOutcome(h))
    if (f.bootError) return {status: 'unknown', message: `the boot configuration could not be read: ${f.bootError}`}
    if (!f.bootConfigs)
      return {
        status: 'unknown',
        message: 'no boot configuration in the evidence (files/boot.cfg or grub menu.lst), so pciback.hide is unknown',
      }
    return {
      status: 'fail',
      message: 'no dom0 boot line has pciback.hide=: no device is handed to pciback, so none can be passed to a domU',
      evidence: refs(...f.hides.map((h) => h.ref)).concat([
        absentFrom(f.bootConfigSources[0] ?? 'files/boot.cfg', '(no pciback.hide= on a dom0 line)'),
      ]),
      remedy: `Add the devices to the dom0 line, e.g. \`${HOWTO_HIDE_EXAMPLE}\` (\`xenready pci --device 00:0a.0\` prints the exact string), then reboot.`,
    }
  },
}
