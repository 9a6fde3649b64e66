import {type BootFactsFull, BOOT_CFG, BOOT_CONFIGS} from '../facts.js'
import {type EvidenceRef, refOf, type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import {boot, HOWTO_GRUB_XEN, noConfig, entryName} from '../common.js'
import type {BootEntry} from '../../facts.js'
import type {BootCfgEntry} from '../parse-bootcfg.js'
import {isKernelModuleName} from '../order.js'

export const BOOTCFG_XEN =
  '`menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M` (`load` before `multiboot`: boot.cfg(5) runs the commands in order and `multiboot` starts Xen at once; /xen.gz is a copy of /usr/pkg/xen420-kernel/xen.gz from xenkernel420)'

/**
 * What is wrong with the modules of a boot.cfg Xen item, from the order the boot loader loads them
 * (order.ts): a `load` after `multiboot` never runs; Xen builds dom0 from the first module.
 */
function planProblem(entry: BootEntry): {message: string; refs: EvidenceRef[]} | undefined {
  const plan = (entry as Partial<BootCfgEntry>).plan
  if (!plan) return undefined
  if (plan.bootsFirst)
    return {
      message: `\`${plan.bootsFirst}\` comes before \`multiboot\` in ${entryName(entry)}: it boots a kernel at once and Xen is never started`,
      refs: [entry.ref],
    }
  const first = plan.modules[0]
  if (!first) {
    if (plan.lateLoads.length > 0) {
      return {
        message: `${entryName(entry)} runs \`multiboot ${plan.xen.path}\` before \`load ${plan.lateLoads[0]!.path}\`: the boot loader runs the commands in order and \`multiboot\` starts Xen at once, so the \`load\` never runs and Xen has no dom0 kernel`,
        refs: [entry.ref],
      }
    }

    return undefined
  }

  if (isKernelModuleName(first.path)) {
    const where = first.global
      ? `the global \`load=${first.path}\` line (loaded while boot.cfg is read, before any menu item)`
      : `\`load ${first.path}\``
    const next = plan.modules.find((m) => !isKernelModuleName(m.path))
    return {
      message: `the first module of ${entryName(entry)} is ${where}, a kernel module, not a kernel: Xen builds dom0 from the first module${next ? `, not from ${next.path}` : ''}`,
      refs: [first.ref, entry.ref],
    }
  }

  return undefined
}

/** With both grub and boot.cfg present, nothing here says which one the boot blocks hand over to. */
function bothNote(f: BootFactsFull): string {
  return f.loaders.length > 1
    ? " Both a grub menu.lst and /boot.cfg exist: which one the MBR/boot blocks use is unknown (grub if `setup (hd0)` installed it, else NetBSD's /boot reads boot.cfg), so both were checked."
    : ''
}

function defaultRefs(f: BootFactsFull, source: string): EvidenceRef[] {
  const d = source === BOOT_CFG ? f.bootCfg?.default : f.grub?.default
  return d ? [refOf(d)] : []
}

export const xenEntry: CheckDefinition = {
  id: 'boot.xen-entry',
  title: 'A boot entry loads xen.gz by multiboot and the dom0 kernel as a module',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: BOOT_CONFIGS,
  description:
    "The boot.cfg `menu=` items (`load /netbsd-XEN3_DOM0.gz ...;multiboot /xen.gz ...`) and the grub menu.lst `title` entries (`kernel .../xen.gz`, `module ...`), and which one is the default. For boot.cfg, the modules in the order the boot loader loads them: global `load=` lines first (read with the file), then the item's `load` commands written before `multiboot`; a `load` after `multiboot` never runs, and the first module must be the dom0 kernel.",
  why: 'The Xen kernel has to be loaded using the multiboot protocol, with the NetBSD domain0 kernel as a module (Howto). boot.cfg(5): "Each command is executed just as though the user had typed it in", and `multiboot` starts Xen at once (boot2.c and efiboot boot.c `command_multiboot` call `exec_multiboot`), so the dom0 kernel must be loaded before; Xen builds dom0 from the first module.',
  remedy: `Add a Xen item to /boot.cfg for NetBSD's own boot loader: ${BOOTCFG_XEN}. On a host that boots with grub legacy (Howto): \`title Xen 3 / NetBSD (hda0, serial)\`, \`root(hd0,0)\`, ${HOWTO_GRUB_XEN}.`,
  references: [
    'boot.cfg(5)',
    'sys/arch/i386/stand/boot/boot2.c (command_multiboot)',
    'sys/lib/libsa/bootcfg.c (perform_bootcfg)',
    'NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)',
    'docs/sources/today-rules.md',
  ],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const outcomes: Outcome[] = []
    for (const source of f.configSources) {
      const entries = f.entries.filter((e) => e.ref.source === source)
      const subject = f.loaders.length > 1 ? source : undefined
      const withSubject = (o: Outcome): Outcome => (subject ? {...o, subject} : o)
      const isGrub = source !== BOOT_CFG
      const remedy = isGrub
        ? `Add a grub entry as in the Howto: \`title Xen 3 / NetBSD (hda0, serial)\`, \`root(hd0,0)\`, ${HOWTO_GRUB_XEN}.`
        : `Add a menu item as in boot.cfg(5): ${BOOTCFG_XEN}.`
      const xen = entries.filter((e) => e.xen)
      const complete = xen.filter((e) => e.dom0 && !planProblem(e))
      const broken = xen.map((e) => planProblem(e)).filter((p) => p !== undefined)
      const chosenEntry = entries.find((e) => e.isDefault)
      const chosenProblem = chosenEntry ? planProblem(chosenEntry) : undefined
      if (broken.length > 0 && (complete.length === 0 || chosenProblem)) {
        const shown = chosenProblem ? [chosenProblem] : broken
        const other =
          chosenProblem && complete[0] ? ` (${entryName(complete[0])} would work, but it is not the default)` : ''
        outcomes.push(
          withSubject({
            status: 'fail',
            message: `${shown.map((p) => p.message).join('; ')}${other}.${bothNote(f)}`,
            evidence: refs(...shown.flatMap((p) => p.refs)),
            remedy: `Load the dom0 kernel first, then start Xen, in one item: ${BOOTCFG_XEN}; keep global \`load=\` lines for native boots only.`,
          }),
        )
        continue
      }

      if (complete.length === 0) {
        const evidence =
          xen.length > 0 ? xen.flatMap((e) => [e.ref, e.xen!.ref]) : entries.slice(0, 5).map((e) => e.ref)
        const message =
          xen.length > 0
            ? `${xen.map(entryName).join(', ')} load${xen.length === 1 ? 's' : ''} ${xen[0]!.xen!.path} but no dom0 kernel as a module (${isGrub ? '`module` line' : '`load` command'})`
            : entries.length === 0
              ? `${source} has no ${isGrub ? '`title` entries' : '`menu=` items'}`
              : `none of the ${entries.length} entries of ${source} loads Xen by multiboot (${isGrub ? '`kernel .../xen.gz`' : '`multiboot /xen.gz`'})`
        outcomes.push(
          withSubject({status: 'fail', message: message + '.' + bothNote(f), evidence: refs(...evidence), remedy}),
        )
        continue
      }

      const chosen = entries.find((e) => e.isDefault)
      const first = complete[0]!
      const summary = `${entryName(first)} loads ${first.xen!.path} by multiboot and ${first.dom0!.path} as the dom0 module`
      if (chosen && !chosen.dom0) {
        outcomes.push(
          withSubject({
            status: 'warn',
            message: `${summary}, but the default is ${entryName(chosen)}, which does not boot Xen: the machine boots without Xen unless someone picks the entry.${bothNote(f)}`,
            evidence: refs(...[first.ref, first.xen!.ref, first.dom0!.ref, chosen.ref, ...defaultRefs(f, source)]),
            remedy: isGrub
              ? `Make the Xen entry the default: \`default=${entries.indexOf(first)}\` (grub counts from 0).`
              : `Make the Xen entry the default: \`default=${entries.indexOf(first) + 1}\` (boot.cfg counts from 1).`,
          }),
        )
        continue
      }

      outcomes.push(
        withSubject({
          status: 'pass',
          message: `${summary}${chosen === first ? ' (the default entry)' : ''}.${bothNote(f)}`,
          evidence: refs(...[first.ref, first.xen!.ref, first.dom0!.ref]),
        }),
      )
    }

    return outcomes
  },
}
