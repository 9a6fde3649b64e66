import type {CheckDefinition, Fact} from '../../../engine/types.js'
import {fact, refs} from '../../../engine/types.js'
import {numberedLines} from '../../../parsers/lines.js'
import * as semver from '../../../util/semver.js'
import type {XenFacts} from '../../facts.js'

export const BOOTMETHOD = 'sysctl-bootmethod.txt'

/** `machdep.bootmethod = UEFI` (or `BIOS`); undefined when the line is missing or says something else. */
export function parseBootMethod(text: string, source = BOOTMETHOD): Fact<'bios' | 'uefi'> | undefined {
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^machdep\.bootmethod\s*[=:]\s*(\S+)/.exec(raw.trim())
    if (!m) continue
    if (/^(?:UEFI|EFI)$/i.test(m[1]!)) return fact('uefi', source, line, raw)
    if (/^BIOS$/i.test(m[1]!)) return fact('bios', source, line, raw)
  }

  return undefined
}

const SERIAL = /console=(?:com\d|ttyS\d)/i

export const bootMethod: CheckDefinition = {
  id: 'boot.method',
  title: 'The boot loader can start Xen with this firmware (BIOS or UEFI), and dom0 gets a console',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [
    BOOTMETHOD,
    'files/boot.cfg',
    'files/grub/menu.lst',
    'files/boot/grub/menu.lst',
    'uname.txt',
    'sysctl.txt',
  ],
  description:
    "`sysctl machdep.bootmethod` (BIOS or UEFI) against the boot configuration: grub legacy (menu.lst) boots from BIOS only; NetBSD's efiboot starts Xen by multiboot2 (exec_multiboot2.c, NetBSD 8.2/9.0 and later); under UEFI a dom0 `console=pc` needs Xen's EFI framebuffer, which the NetBSD 10 dom0 uses (genfb_xen.c).",
  why: "A UEFI machine cannot run a BIOS boot loader; Xen is started by NetBSD's efiboot (bootx64.efi) with the same boot.cfg `multiboot` entry. A NetBSD 9 dom0 has no driver for the EFI framebuffer Xen hands over, so it needs a serial console.",
  remedy:
    "On UEFI, boot with NetBSD's efiboot (`/EFI/BOOT/bootx64.efi` on the EFI system partition) and a boot.cfg entry `menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M`; with a NetBSD 9 dom0 use a serial console (`load /netbsd-XEN3_DOM0.gz console=com0;multiboot /xen.gz dom0_mem=1024M console=com1 com1=115200,8n1`).",
  references: [
    'sys/arch/i386/stand/lib/exec_multiboot2.c',
    'sys/arch/xen/xen/genfb_xen.c',
    'boot.cfg(5)',
    'docs/sources/today-rules.md',
  ],
  run(ctx) {
    const e = ctx.evidence.get(BOOTMETHOD)
    const method = e.present ? parseBootMethod(e.text) : undefined
    if (!method) {
      return {
        status: 'unknown',
        message: e.present
          ? `${BOOTMETHOD} has no \`machdep.bootmethod = BIOS|UEFI\` line`
          : `how this machine boots (BIOS or UEFI) is not in the evidence (${BOOTMETHOD})`,
        remedy: 'Run `sysctl machdep.bootmethod > sysctl-bootmethod.txt` on the NetBSD host.',
      }
    }

    const f = ctx.facts('boot')
    if (method.value === 'bios') {
      return {
        status: 'pass',
        message: `BIOS boot (${method.text.trim()}): NetBSD's /boot (boot.cfg \`multiboot\`) or grub can start Xen`,
        evidence: refs(method),
      }
    }

    if (f.loaders.length === 0)
      return {
        status: 'unknown',
        message: 'UEFI boot, but no boot configuration is in the evidence (files/boot.cfg)',
        evidence: refs(method),
      }
    if (!f.loaders.includes('netbsd')) {
      return {
        status: 'fail',
        message: `UEFI boot (${method.text.trim()}), but the only boot configuration is grub legacy's menu.lst: grub 0.97 is a BIOS boot loader and cannot start Xen on this machine`,
        evidence: refs(method, ...f.entries.slice(0, 1).map((x) => x.ref)),
      }
    }

    const x: XenFacts | undefined = ctx.optionalFacts('xen').value

    const v = x?.netbsdVersion ? semver.coerce(x.netbsdVersion) : null
    const release = x?.netbsdRelease
    if (v && (v.major < 8 || (v.major === 8 && v.minor < 2))) {
      return {
        status: 'fail',
        message: `UEFI boot with NetBSD ${release!.value}: its efiboot predates multiboot2 (added to the x86 boot loaders in NetBSD 8.2 and 9.0), so it cannot start Xen`,
        evidence: refs(method, release),
        remedy: 'Upgrade to NetBSD 10 (installboot/efiboot from the new sets) before setting up Xen.',
      }
    }

    const entry =
      f.entries.find((en) => en.isDefault && en.xen && en.loader === 'netbsd') ??
      f.entries.find((en) => en.xen && en.loader === 'netbsd')
    const serial = entry?.dom0 ? SERIAL.test(entry.dom0.args.join(' ')) : false
    if (v && v.major < 10 && !serial) {
      return {
        status: 'warn',
        message: `UEFI boot with NetBSD ${release!.value}: efiboot starts Xen by multiboot2, but a NetBSD 9 dom0 cannot use the EFI framebuffer Xen hands over (genfb_xen.c came with NetBSD 10): without a serial console dom0 has no console`,
        evidence: refs(method, release, entry?.dom0?.ref),
        remedy:
          'Give dom0 a serial console: `load /netbsd-XEN3_DOM0.gz console=com0;multiboot /xen.gz dom0_mem=1024M console=com1 com1=115200,8n1`, or upgrade to NetBSD 10.',
      }
    }

    const console = serial
      ? 'a serial console'
      : v
        ? `the EFI framebuffer console (genfb_xen, NetBSD ${release!.value})`
        : 'the EFI framebuffer console on NetBSD 10 and later'
    return {
      status: 'pass',
      message: `UEFI boot (${method.text.trim()}): NetBSD's efiboot reads boot.cfg and starts Xen by multiboot2; dom0 gets ${console}`,
      evidence: refs(method, entry?.xen?.ref, release),
    }
  },
}
