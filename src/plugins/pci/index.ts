import * as semver from '../../util/semver.js'
import type {CheckContext, CheckDefinition, EvidenceRef, Fact, Outcome, PluginDefinition} from '../../engine/types.js'
import {refOf, TARGETS} from '../../engine/types.js'
import type {XenFacts} from '../facts.js'
import {type PciAddress, addressKey, domainBdf, hexBdf, pcictlBdf, sameAddress} from './address.js'
import {ASSIGNABLE, type HideSetting, KERN_XEN_PCI, LSPCI, PCICTL, type PciFacts, derivePciFacts, deviceAt, passthroughInUse} from './facts.js'
import {allProblems, formatHide} from './hide.js'
import {type PciDevice, parseXenIommuLines} from './parse.js'
import {passability} from './passability.js'

const pci = (ctx: CheckContext) => ctx.facts<PciFacts>('pci')
const BOOT_EVIDENCE = ['files/boot.cfg', 'files/grub/menu.lst', 'files/boot/grub/menu.lst'] as const
const LISTINGS = [PCICTL, LSPCI] as const
const HOWTO = 'Howto: Using PCI devices in guest domains'
const HOWTO_HIDE_EXAMPLE = 'pciback.hide=(00:0a.0)(00:06.0)'
const LIST_COMMAND = '`pcictl pci0 list > pcictl-pci0.txt` on the NetBSD host (one file per bus: pcictl pci1 list > pcictl-pci1.txt …), or `lspci -nn > lspci.txt` on Linux before installing'

function xenFacts(ctx: CheckContext): {xen?: XenFacts; error?: string} {
  try {
    return {xen: ctx.facts<XenFacts>('xen')}
  } catch (error) {
    return {error: error instanceof Error ? error.message : String(error)}
  }
}

function refs(...items: Array<EvidenceRef | undefined>): EvidenceRef[] {
  const seen = new Set<string>()
  const out: EvidenceRef[] = []
  for (const r of items) {
    if (!r) continue
    const k = `${r.source}:${r.line}`
    if (seen.has(k)) continue
    seen.add(k)
    out.push(refOf(r))
  }

  return out
}

function hostPaths(ctx: CheckContext): Map<string, Fact<{exists: boolean}>> | undefined {
  try {
    return ctx.facts<{paths?: Map<string, Fact<{exists: boolean}>>}>('host').paths
  } catch {
    return undefined
  }
}

const absent = (source: string, what: string): EvidenceRef => ({source, line: 0, text: `(no ${what})`})

/** n/a unless the target is pci-passthrough or the configuration already uses pass-through. */
function notApplicable(ctx: CheckContext, f: PciFacts): Outcome | undefined {
  if (ctx.target === 'pci-passthrough') return undefined
  if (passthroughInUse(f)) return undefined
  const why = f.bootError ? ` (the boot configuration could not be read: ${f.bootError})` : ''
  return {status: 'n/a', message: `--target ${ctx.target} and the configuration uses no PCI pass-through: no pciback.hide on a dom0 boot line, no pci = [...] in a domU config${why}`}
}

/** A check's run that only happens where pass-through applies (`notApplicable` says n/a elsewhere), given the pci facts. */
function whenPassthrough(run: (f: PciFacts, ctx: CheckContext) => Outcome | Outcome[]): CheckDefinition['run'] {
  return (ctx) => {
    const f = pci(ctx)
    return notApplicable(ctx, f) ?? run(f, ctx)
  }
}

const describe = (d: Fact<PciDevice>) => `${d.value.name}${d.value.classText ? ` (${d.value.classText})` : ''}`
const both = (a: PciAddress) => `${hexBdf(a)} (pcictl ${pcictlBdf(a)})`

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
    extraErrors.push(`a blank splits the list: the kernel cuts the command line at blanks, so ${h.strays.map((s) => `"${s}"`).join(', ')} ${h.strays.length === 1 ? 'is a separate argument' : 'are separate arguments'} that pciback never sees`)
  }

  if (h.endOffset > 255) extraErrors.push(`the dom0 command line is at least ${h.endOffset} characters up to the end of pciback.hide, and the kernel keeps only 255 (xen_parse_cmdline truncates it)`)
  if (h.overridden.length > 0) extra.push(`${h.overridden.length + 1} pciback.hide= arguments: the kernel keeps only the last (${h.arg})`)
  if (!/^pciback\.hide=/.test(h.arg)) extra.push(`"${h.arg.split('=')[0]}=" in other letter case: accepted (strncasecmp) but not the documented "pciback.hide="`)
  const render = (p: (typeof problems)[number]) => `${p.group ? `group ${p.group.text} ` : ''}at position ${p.position}: ${p.message}`
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
      remedy: h.parse.devices.length > 0 ? `Use the Howto's form: \`${formatHide(h.parse.devices)}\`.` : `Use the Howto's form, e.g. \`${HOWTO_HIDE_EXAMPLE}\`.`,
    }
  }

  return {status: 'pass', subject, message: `${h.arg} is well formed: pciback claims ${claimed}`, evidence: ev}
}

const hideSyntax: CheckDefinition = {
  id: 'pci.hide-syntax',
  title: 'pciback.hide on the dom0 boot line is well formed',
  targets: TARGETS,
  evidence: [...BOOT_EVIDENCE],
  description:
    'The `pciback.hide=` argument of each dom0 line (grub `module`, boot.cfg `load`), parsed exactly as the NetBSD kernel does (sys/arch/xen/xen/pciback.c): `(bus:dev.func)` groups in hex with nothing between them; each malformed group is reported with its position. Forms the kernel accepts but the Howto does not document (one-digit numbers, a `0000:` domain, `0x`) are warnings.',
  why: 'Devices listed in pciback.hide attach to pciback instead of their usual driver; the kernel stops at the first group it cannot read and then registers no PCI backend at all (Howto: "The list of devices is specified as (bus:dev.func), where bus and dev are 2-digit hexadecimal numbers, and func a single-digit number").',
  remedy: `Add the devices to the dom0 line in the Howto's form: \`${HOWTO_HIDE_EXAMPLE}\`.`,
  references: [HOWTO, 'pciback(4)', 'NetBSD/src sys/arch/xen/xen/pciback.c'],
  run: whenPassthrough((f) => {
    if (f.hides.length > 0) return f.hides.map((h) => hideSyntaxOutcome(h))
    if (f.bootError) return {status: 'unknown', message: `the boot configuration could not be read: ${f.bootError}`}
    if (!f.bootConfigs) return {status: 'unknown', message: 'no boot configuration in the evidence (files/boot.cfg or grub menu.lst), so pciback.hide is unknown'}
    return {
      status: 'fail',
      message: 'no dom0 boot line has pciback.hide=: no device is handed to pciback, so none can be passed to a domU',
      evidence: refs(...f.hides.map((h) => h.ref)).concat([absent(f.bootConfigSources[0] ?? 'files/boot.cfg', 'pciback.hide= on a dom0 line')]),
      remedy: `Add the devices to the dom0 line, e.g. \`${HOWTO_HIDE_EXAMPLE}\` (\`xenready pci --device 00:0a.0\` prints the exact string), then reboot.`,
    }
  }),
}

/** A device named in pciback.hide, looked up in the listings. */
function lookup(f: PciFacts, a: PciAddress): {status: 'found'; device: Fact<PciDevice>} | {status: 'missing'} | {status: 'unlisted'; why: string} {
  const device = deviceAt(f, a)
  if (device) return {status: 'found', device}
  if (f.listingSources.length === 0) return {status: 'unlisted', why: 'no PCI listing (pcictl-<bus>.txt or lspci.txt) in the evidence'}
  if (f.devices.length === 0) return {status: 'unlisted', why: `${f.listingSources.join(', ')} list${f.listingSources.length === 1 ? 's' : ''} no device`}
  if (!f.allBusesListed && !f.listedBuses.has(a.bus)) return {status: 'unlisted', why: `bus ${a.bus} is not in ${f.listingSources.join(', ')} (listed buses: ${[...f.listedBuses].sort((x, y) => x - y).join(', ')})`}
  return {status: 'missing'}
}

/** When a hidden device is missing: was it written in pcictl's decimal by mistake? */
function decimalHint(f: PciFacts, a: PciAddress): string {
  const asDecimal = (n: number) => Number.parseInt(n.toString(16), 10)
  const guess = {domain: a.domain, bus: asDecimal(a.bus), device: asDecimal(a.device), function: a.function}
  if (Number.isNaN(guess.bus) || Number.isNaN(guess.device) || sameAddress(guess, a)) return ''
  const d = deviceAt(f, guess)
  return d ? ` It looks like pcictl's decimal numbers were copied: pcictl ${pcictlBdf(guess)} is ${describe(d)}, which pciback.hide writes (${hexBdf(guess)}).` : ''
}

function hiddenDevices(f: PciFacts): {setting?: HideSetting; devices: PciAddress[]} {
  return {setting: f.effective, devices: f.effective?.parse.devices ?? []}
}

function noHide(f: PciFacts): Outcome {
  if (f.hides.length > 0) return {status: 'n/a', message: 'the pciback.hide found claims no device (see pci.hide-syntax)', evidence: refs(...f.hides.map((h) => h.ref))}
  if (!f.bootConfigs) return {status: 'unknown', message: `no boot configuration in the evidence, so which devices are hidden is unknown${f.bootError ? ` (${f.bootError})` : ''}`}
  return {status: 'n/a', message: 'no device is hidden with pciback.hide (see pci.hide-syntax)'}
}

const hideExists: CheckDefinition = {
  id: 'pci.hide-exists',
  title: 'Every device in pciback.hide exists on the PCI bus',
  targets: TARGETS,
  evidence: [...BOOT_EVIDENCE, ...LISTINGS],
  description:
    'Each device of the effective pciback.hide (the default entry\'s) is looked up in `pcictl pciN list` (decimal bus:dev:func) or `lspci -nn` (hex), converting bases, and named (vendor/product, class).',
  why: 'pciback claims devices by bus/device/function; a number that matches no device hides nothing, and the domU that expects it will not start with it. pcictl prints decimal numbers while pciback.hide is hex, an easy mistake.',
  remedy: `List the devices with ${LIST_COMMAND}, and write their numbers in hex in pciback.hide (pcictl 000:10:0 is (00:0a.0)).`,
  references: [HOWTO, 'pcictl(8)', 'NetBSD/src usr.sbin/pcictl/pcictl.c'],
  run: whenPassthrough((f) => {
    const {setting, devices} = hiddenDevices(f)
    if (!setting || devices.length === 0) return noHide(f)
    return devices.map((a): Outcome => {
      const subject = hexBdf(a)
      const r = lookup(f, a)
      if (r.status === 'found') {
        return {status: 'pass', subject, message: `${both(a)} is ${describe(r.device)}`, evidence: refs(setting.ref, r.device)}
      }

      if (r.status === 'unlisted') {
        return {status: 'unknown', subject, message: `whether ${both(a)} exists is unknown: ${r.why}`, evidence: refs(setting.ref), remedy: `Collect the PCI listing: ${LIST_COMMAND}.`}
      }

      const sameSlot = f.devices.filter((d) => d.value.address.bus === a.bus && d.value.address.device === a.device)
      const slotHint = sameSlot.length > 0 ? ` Device ${hexBdf(a).slice(0, 5)} has function${sameSlot.length === 1 ? '' : 's'} ${sameSlot.map((d) => d.value.address.function).join(', ')} only.` : ''
      return {
        status: 'fail',
        subject,
        message: `${both(a)} is not in ${f.listingSources.join(', ')}: pciback will claim nothing there.${decimalHint(f, a)}${slotHint}`,
        evidence: refs(setting.ref, ...f.listingSources.map((s) => absent(s, `line ${pcictlBdf(a)} / ${hexBdf(a)}`))),
      }
    })
  }),
}

const notIsaVga: CheckDefinition = {
  id: 'pci.not-isa-vga',
  title: 'No hidden device is the primary VGA adapter, an ISA bridge or a host bridge',
  targets: TARGETS,
  evidence: [...BOOT_EVIDENCE, ...LISTINGS],
  description: 'The class of each hidden device in the PCI listing: `VGA display` / `VGA compatible controller [0300]`, `ISA bridge [0601]`, host and PCI bridges.',
  why: 'It is not possible to export ISA devices to non-domain0 domains, which means that the primary VGA adapter cannot be exported; a guest domain trying to access the VGA registers will panic (Howto). Bridges carry other devices dom0 needs.',
  remedy: 'Remove the VGA adapter and any ISA/host bridge from pciback.hide; pass through endpoint devices (network, storage, USB controllers) instead.',
  references: [HOWTO],
  run: whenPassthrough((f) => {
    const {setting, devices} = hiddenDevices(f)
    if (!setting || devices.length === 0) return noHide(f)
    const vgaCount = f.devices.filter((d) => d.value.kind === 'vga').length
    return devices.map((a): Outcome => {
      const subject = hexBdf(a)
      const r = lookup(f, a)
      if (r.status !== 'found') {
        return {status: 'unknown', subject, message: `${both(a)} is not in the PCI listing${r.status === 'unlisted' ? ` (${r.why})` : ''}, so its class is unknown`, evidence: refs(setting.ref), remedy: `Collect the PCI listing: ${LIST_COMMAND}.`}
      }

      const d = r.device
      const ev = refs(setting.ref, d)
      const p = passability(d.value, vgaCount)
      if (p.ok) return {status: 'pass', subject, message: `${both(a)} is ${describe(d)}: ${p.reason}`, evidence: ev}
      const status = d.value.kind === 'vga' && vgaCount > 1 ? 'warn' : d.value.kind === 'pci-bridge' || d.value.kind === 'bridge' ? 'warn' : 'fail'
      return {status, subject, message: `${both(a)} is ${describe(d)}: ${p.reason}`, evidence: ev}
    })
  }),
}

function kernEntry(f: PciFacts, a: PciAddress): Fact<PciAddress> | undefined {
  return f.kernXenPci?.entries.get(addressKey(a))
}

const attached: CheckDefinition = {
  id: 'pci.attached',
  title: 'Hidden devices are attached to pciback on the running dom0',
  targets: TARGETS,
  evidence: ['dmesg.boot', KERN_XEN_PCI, ASSIGNABLE, ...BOOT_EVIDENCE],
  description:
    'On a running dom0: a `pciback0 at pci0 dev 10 function 0: …` line in dmesg for each hidden device (decimal numbers), its `0000:00:0a.0` entry in `ls -l /kern/xen/pci`, and `xl pci-assignable-list` when present. Another driver attached at the same address means the hide list was not in effect.',
  why: 'pciback devices should show up in the domain0\'s boot messages, and the devices should be listed in the /kern/xen/pci directory (Howto).',
  remedy: 'Reboot dom0 with pciback.hide on the dom0 line of the entry that boots (the kernel reads it only at boot), with a DOM0 kernel that has `pciback* at pci?` (XEN3_DOM0 has it).',
  references: [HOWTO, 'pciback(4)'],
  run: whenPassthrough((f, ctx) => {
    const {setting, devices} = hiddenDevices(f)
    if (!setting || devices.length === 0) return noHide(f)
    const {xen, error} = xenFacts(ctx)
    if (!xen) return {status: 'unknown', message: `whether this host runs as dom0 is unknown: the xen facts are unavailable (${error})`}
    if (xen.otherOs) return {status: 'n/a', message: `this host runs ${xen.otherOs.value}: pciback attachment can be checked once the NetBSD dom0 runs`, evidence: refs(xen.otherOs)}
    if (!xen.running || xen.runningDom0 === false) {
      return {status: 'n/a', message: `not a running NetBSD dom0${xen.running ? ' (a domU)' : ''}: boot the Xen entry, then check again (dmesg.boot and ls -l /kern/xen/pci)`, evidence: refs(xen.running, xen.kernelConfig)}
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
        return {status: 'unknown', subject, message: `dmesg.boot is missing, so whether ${both(a)}${name} attached to pciback is unknown`, evidence: refs(setting.ref, kern)}
      }

      if (pciback || assignable) {
        const where = pciback ? `attached to ${pciback.value.driver} (dmesg ${dmesgForm})` : 'listed by xl pci-assignable-list'
        if (kern) return {status: 'pass', subject, message: `${both(a)}${name} is ${where} and in /kern/xen/pci as ${domainBdf(a)}`, evidence: refs(pciback, assignable, kern)}
        if (!f.kernXenPci) {
          return {status: 'unknown', subject, message: `${both(a)}${name} is ${where}, but ${KERN_XEN_PCI} is missing, so its /kern/xen/pci entry is unchecked`, evidence: refs(pciback, assignable), remedy: `Run \`ls -l /kern/xen/pci > ${KERN_XEN_PCI} 2>&1\` on the dom0.`}
        }

        return {
          status: 'fail',
          subject,
          message: `${both(a)}${name} is ${where}, but /kern/xen/pci has no ${domainBdf(a)}${f.kernXenPci.exists ? '' : ' (the directory does not exist: kernfs not mounted on /kern, or the PCI backend was not registered)'}`,
          evidence: refs(pciback, assignable, f.kernXenPci.error ?? absent(KERN_XEN_PCI, domainBdf(a)), ...syntax),
          remedy: 'Mount kernfs (`kernfs /kern kernfs rw` in /etc/fstab) and fix any pciback.hide syntax error reported at boot (`pciback_pci_init: syntax error`), then reboot.',
        }
      }

      if (f.assignable && !f.dmesg) {
        return {status: 'fail', subject, message: `${both(a)}${name} is not in xl pci-assignable-list`, evidence: refs(setting.ref, absent(ASSIGNABLE, domainBdf(a)))}
      }

      const because = other
        ? `${other.value.driver} attached to it instead (${dmesgForm}): the running kernel did not get this pciback.hide (added after the last boot, or another boot entry was used)`
        : `dmesg.boot has no "pciback… at pci… ${dmesgForm}" line`
      return {
        status: 'fail',
        subject,
        message: `${both(a)}${name} is not attached to pciback: ${because}${syntax.length > 0 ? '; the kernel reported a pciback.hide syntax error' : ''}`,
        evidence: refs(setting.ref, other, ...syntax, ...(other ? [] : [absent('dmesg.boot', `pciback at ${dmesgForm}`)])),
      }
    })
  }),
}

/** Xen releases the Howto names: only 3.1 carries PCI pass-through with a NetBSD dom0. */
const versions: CheckDefinition = {
  id: 'pci.versions',
  title: 'NetBSD and Xen releases support PCI pass-through with a NetBSD dom0',
  targets: TARGETS,
  evidence: ['uname.txt', 'dmesg.boot', 'pkg_info.txt', 'xl-info.txt', 'xm-info.txt'],
  description: 'The NetBSD release (≥ 5.1) and the Xen version (running hypervisor, else the xenkernel package), judged by era: the Howto\'s Xen 3.1 rule for Xen 3.x–4.1, NetBSD\'s current pciback(4) for later releases.',
  why: 'This functionality is only available in NetBSD-5.1 (and later) domain0 and domU. If the domain0 is NetBSD, it has to be running Xen 3.1, as support has not been ported to later versions at this time (Howto, written for Xen 3.1/3.3/4.1). pciback(4) of NetBSD 10 still documents pciback.hide and `pci = [...]` for PV domUs.',
  remedy: 'Run NetBSD 5.1 or later in dom0 and domU; with the Howto\'s packages use Xen 3.1 (sysutils/xenkernel3 and xentools3), not 3.3 or 4.1.',
  references: [HOWTO, 'pciback(4) (NetBSD 10)'],
  run: whenPassthrough((_f, ctx) => {
    const {xen, error} = xenFacts(ctx)
    if (!xen) return {status: 'unknown', message: `the NetBSD and Xen releases are unknown: the xen facts are unavailable (${error})`}
    if (xen.otherOs) return {status: 'n/a', message: `this host runs ${xen.otherOs.value}, not NetBSD yet: install NetBSD 5.1 or later (today 10.x) as dom0; pass-through needs it in the domU too`, evidence: refs(xen.otherOs)}
    const outcomes: Outcome[] = []
    const nb = xen.netbsdVersion
    if (!nb || !xen.netbsdRelease) outcomes.push({status: 'unknown', subject: 'NetBSD', message: 'the NetBSD release is unknown (uname.txt, sysctl.txt and dmesg.boot missing or without a release)'})
    else if (semver.lt(nb, '5.1.0')) outcomes.push({status: 'fail', subject: 'NetBSD', message: `NetBSD ${xen.netbsdRelease.value} is older than 5.1: pciback and xpci first appeared in NetBSD 5.1`, evidence: refs(xen.netbsdRelease), remedy: 'Upgrade dom0 and the domU to NetBSD 5.1 or later.'})
    else outcomes.push({status: 'pass', subject: 'NetBSD', message: `NetBSD ${xen.netbsdRelease.value} is 5.1 or later (pciback and xpci first appeared in 5.1); the domU needs 5.1 or later too, with xpci in its kernel`, evidence: refs(xen.netbsdRelease)})
    const v = xen.xenVersion
    const parsed = v ? semver.coerce(v.value) : null
    if (!v || !parsed) {
      outcomes.push({status: 'unknown', subject: 'Xen', message: 'the Xen version is unknown (no running hypervisor and no xenkernel package in the evidence)'})
      return outcomes
    }

    const mm = `${parsed.major}.${parsed.minor}`
    const ev = refs(v)
    if (parsed.major === 3 && parsed.minor === 1) outcomes.push({status: 'pass', subject: 'Xen', message: `Xen ${v.value}: the release the Howto names for PCI pass-through with a NetBSD dom0`, evidence: ev})
    else if (parsed.major < 3 || (parsed.major === 3 && parsed.minor === 0)) outcomes.push({status: 'fail', subject: 'Xen', message: `Xen ${v.value} predates Xen 3.1, the first release with PCI pass-through for a NetBSD dom0`, evidence: ev})
    else if (parsed.major === 3 || (parsed.major === 4 && parsed.minor <= 1)) {
      outcomes.push({status: 'fail', subject: 'Xen', message: `Xen ${mm}: the Howto says "3.1 supports PCI pass-through while other versions do not" (Xen 3.1, 3.3 and 4.1 were the packaged releases); pciback in this era works with Xen 3.1 only`, evidence: ev, remedy: 'Install Xen 3.1 (sysutils/xenkernel3, sysutils/xentools3) for PCI pass-through, or move to a current Xen release.'})
    } else {
      outcomes.push({
        status: 'warn',
        subject: 'Xen',
        message: `Xen ${mm} is newer than the Howto, whose "Xen 3.1 only" rule dates from the Xen 3.1/3.3/4.1 era; NetBSD's current pciback(4) (NetBSD 10) still documents pciback.hide in boot.cfg and pci = [...] in the domU config for paravirtualized domUs, so pass-through is expected to work but is not covered by the Howto: test it with one domU first`,
        evidence: ev,
        remedy: 'Boot a test PV domU with the device in its pci = [...] list and check that xpci and the device driver attach in it.',
      })
    }

    return outcomes
  }),
}

const domuMatch: CheckDefinition = {
  id: 'pci.domu-match',
  title: 'Every device in a domU pci = [...] list is hidden from dom0, and given to one domU only',
  targets: TARGETS,
  evidence: ['files/usr/pkg/etc/xen/*', ...BOOT_EVIDENCE],
  description: 'Each entry `0000:bus:dev.func` (hex) of each domU config\'s `pci` list, compared with the effective pciback.hide; the same device in two configs.',
  why: 'PCI devices to be exported to a domU are listed in the pci array of the domU\'s config file, with the format \'0000:bus:dev.func\'; a device must be attached to pciback in dom0 first (Howto). Two running domUs cannot share one device.',
  remedy: 'Add each device of `pci = [ \'0000:00:06.0\', \'0000:00:0a.0\' ]` to pciback.hide (`pciback.hide=(00:06.0)(00:0a.0)`). The domU kernel needs `xpci* at xenbus ?` and `pci* at xpci ?` plus the device drivers (the default XEN3_DOMU kernel has none): this cannot be seen from dom0.',
  references: [HOWTO, 'xpci(4)'],
  run: whenPassthrough((f) => {
    if (f.domus.length === 0) {
      if (f.domuError) return {status: 'unknown', message: `the domU configurations could not be read: ${f.domuError}`, remedy: 'Copy the domU configurations into the dump under files/usr/pkg/etc/xen/ and run with a xenready that reads them (the domu plugin).'}
      return {status: 'n/a', message: 'no domU configuration under files/usr/pkg/etc/xen/ has a pci = [...] list'}
    }

    const hidden = f.effective?.parse.devices ?? []
    const owners = new Map<string, string[]>()
    const outcomes: Outcome[] = []
    const kernelNote = ' The domU kernel must have `xpci* at xenbus ?` and `pci* at xpci ?` (not in the default DOMU kernels).'
    for (const domu of f.domus) {
      for (const e of domu.entries) {
        const subject = `${domu.source}: ${e.raw}`
        if (!e.address) {
          outcomes.push({status: 'fail', subject, message: e.problem ?? `"${e.raw}" does not parse`, evidence: refs(domu.ref), remedy: "Write each entry as the Howto does: pci = [ '0000:00:06.0', '0000:00:0a.0' ]."})
          continue
        }

        const a = e.address
        const matches = e.allFunctions ? hidden.filter((h) => h.bus === a.bus && h.device === a.device) : hidden.filter((h) => sameAddress({...h, domain: a.domain}, a))
        for (const m of e.allFunctions ? matches : [a]) {
          const k = hexBdf(m)
          owners.set(k, [...(owners.get(k) ?? []), domu.source])
        }

        const label = e.allFunctions ? `${hexBdf(a).slice(0, 5)}.*` : hexBdf(a)
        if (!f.effective) {
          outcomes.push({status: f.bootConfigs ? 'fail' : 'unknown', subject, message: f.bootConfigs ? `${label} is given to the domU but no dom0 boot line has pciback.hide, so dom0's own driver keeps it` : `${label} is given to the domU; the boot configuration is not in the evidence, so whether it is hidden is unknown`, evidence: refs(domu.ref), remedy: `Add \`pciback.hide=(${label})\` to the dom0 line and reboot.${kernelNote}`})
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

        outcomes.push({status: 'pass', subject, message: `${label} is hidden by ${f.effective.arg}.${kernelNote}`, evidence: refs(domu.ref, f.effective.ref)})
      }
    }

    for (const [k, sources] of owners) {
      const distinct = [...new Set(sources)]
      if (distinct.length > 1) {
        outcomes.push({status: 'warn', subject: k, message: `${k} is given to ${distinct.length} domU configs (${distinct.join(', ')}): only one of them can run with it at a time`, evidence: refs(...f.domus.filter((d) => distinct.includes(d.source)).map((d) => d.ref)), remedy: 'Give each device to one domU, or never run those domUs at the same time (check xendomains= in /etc/rc.conf).'})
      }
    }

    return outcomes
  }),
}

const iommu: CheckDefinition = {
  id: 'pci.iommu',
  title: 'DMA exposure of PCI pass-through (IOMMU)',
  targets: TARGETS,
  evidence: ['xl-info.txt', 'xm-info.txt', 'xl-dmesg.txt', 'dmesg.boot', 'ls-paths.txt'],
  description:
    'Always a warning for pass-through, stating what the evidence shows about an IOMMU: `hvm_directio` in `virt_caps` of `xl info`/`xm info`, VT-d/AMD-Vi/"I/O virtualisation" lines of `xl dmesg`, ACPI DMAR/IVRS tables in dmesg or /sys/firmware/acpi/tables on Linux.',
  why: 'Giving a domain access to a PCI device most likely gives it read/write access to the whole physical memory, as PCs don\'t have an IOMMU to restrict memory access to DMA-capable devices (Howto); pciback(4): the device could overwrite physical memory portions via DMA.',
  remedy: 'Pass devices only to trusted domUs; on hardware with Intel VT-d or AMD-Vi, enable it in the firmware and check that `xl dmesg` says "I/O virtualisation enabled" and `xl info` lists hvm_directio in virt_caps.',
  references: [HOWTO, 'pciback(4)'],
  run: whenPassthrough((f, ctx) => {
    const {xen} = xenFacts(ctx)
    const yes: EvidenceRef[] = []
    const no: EvidenceRef[] = []
    const caps = xen?.info?.virt_caps
    if (caps) (/\b(?:hvm|pv)_directio\b/.test(caps.value) ? yes : no).push(refOf(caps))
    const xlDmesg = ctx.evidence.get('xl-dmesg.txt')
    if (xlDmesg.present) {
      const lines = parseXenIommuLines(xlDmesg.text, 'xl-dmesg.txt')
      yes.push(...lines.enabled.slice(0, 3).map((l) => refOf(l)))
      no.push(...lines.disabled.slice(0, 3).map((l) => refOf(l)))
    }

    const tables = (f.dmesg?.iommuTables ?? []).map((l) => refOf(l))
    const ls = hostPaths(ctx)
    const sysTables = ['/sys/firmware/acpi/tables/DMAR', '/sys/firmware/acpi/tables/IVRS'].map((p) => ls?.get(p)).filter((x): x is Fact<{exists: boolean}> => x !== undefined && x.value.exists)
    const exposure = 'a domU given a PCI device can read and write all physical memory by DMA unless an IOMMU confines it'
    if (no.length > 0 && yes.length === 0) {
      return {status: 'warn', message: `${exposure}; the hypervisor shows no usable IOMMU${tables.length + sysTables.length > 0 ? ' although the firmware describes one (ACPI DMAR/IVRS): enable VT-d/AMD-Vi' : ''}`, evidence: refs(...no, ...tables, ...sysTables)}
    }

    if (yes.length > 0) return {status: 'warn', message: `${exposure}; the evidence shows an IOMMU in use by Xen, which limits the exposure (PV pass-through still trusts the domU with the device)`, evidence: refs(...yes, ...no)}
    if (tables.length + sysTables.length > 0) {
      return {status: 'warn', message: `${exposure}; the firmware describes an IOMMU (ACPI DMAR/IVRS) but whether Xen uses it is unknown (no xl info / xl dmesg)`, evidence: refs(...tables, ...sysTables)}
    }

    return {status: 'warn', message: `${exposure}; whether this machine has a usable IOMMU is unknown (no virt_caps, xl dmesg or ACPI DMAR/IVRS evidence)`, remedy: 'Run `xl info > xl-info.txt` and `xl dmesg > xl-dmesg.txt` on the running dom0 (look for hvm_directio and "I/O virtualisation enabled"); pass devices only to trusted domUs.'}
  }),
}

export const pciPlugin: PluginDefinition = {
  name: 'pci',
  title: 'PCI pass-through: pciback.hide, devices, /kern/xen/pci, domU pci lists, IOMMU',
  evidence: [
    {
      name: PCICTL,
      description: 'PCI devices of one bus, bus:device:function in DECIMAL',
      argv: ['pcictl', '{bus}', 'list'],
      os: ['netbsd'],
      root: true,
      expand: {from: 'dmesg.boot', match: '^(?:\\[[^\\]]*\\]\\s*)?(pci\\d+) at '},
    },
    {name: LSPCI, description: 'PCI devices of a Linux host before NetBSD is installed (hex numbers, class codes)', argv: ['lspci', '-nn'], os: ['linux']},
    {name: ASSIGNABLE, description: 'devices ready for pass-through on an xl-era dom0', argv: ['xl', 'pci-assignable-list'], os: ['netbsd', 'linux'], root: true},
    {name: KERN_XEN_PCI, description: 'one entry per device attached to pciback (0000:bb:dd.f, hex)', argv: ['ls', '-l', '/kern/xen/pci'], os: ['netbsd'], stderr: 'merge'},
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {name: 'xl-info.txt', description: 'hypervisor information on a running xl-era dom0', argv: ['xl', 'info'], os: ['netbsd'], root: true},
    {name: 'xm-info.txt', description: 'hypervisor information on a running xm-era dom0 (Xen 3.x, 4.1)', argv: ['xm', 'info'], os: ['netbsd'], root: true},
    {name: 'xl-dmesg.txt', description: 'the hypervisor\'s own boot messages on a running xl-era dom0', argv: ['xl', 'dmesg'], os: ['netbsd'], root: true},
  ],
  lsPaths: ['/sys/firmware/acpi/tables/DMAR', '/sys/firmware/acpi/tables/IVRS'],
  facts: [{name: 'pci', derive: derivePciFacts}],
  checks: [hideSyntax, hideExists, notIsaVga, attached, versions, domuMatch, iommu],
}
