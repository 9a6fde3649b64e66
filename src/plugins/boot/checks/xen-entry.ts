import {type BootFactsFull, BOOT_CFG, BOOT_CONFIGS} from '../facts.js'
import {type EvidenceRef, refOf, type CheckDefinition, TARGETS, type Outcome} from '../../../engine/types.js'
import {boot, HOWTO_GRUB_XEN, noConfig, entryName, dedupe} from '../common.js'

export const BOOTCFG_XEN = '`menu=Boot Xen with 256MB for dom0:load /netbsd-XEN3_DOM0 console=pc;multiboot /usr/pkg/xen3-kernel/xen.gz dom0_mem=256M`'

/** With both grub and boot.cfg present, nothing here says which one the boot blocks hand over to. */
function bothNote(f: BootFactsFull): string {
  return f.loaders.length > 1 ? ' Both a grub menu.lst and /boot.cfg exist: which one the MBR/boot blocks use is unknown (grub if `setup (hd0)` installed it, else NetBSD\'s /boot reads boot.cfg), so both were checked.' : ''
}

function defaultRefs(f: BootFactsFull, source: string): EvidenceRef[] {
  const d = source === BOOT_CFG ? f.bootCfg?.default : f.grub?.default
  return d ? [refOf(d)] : []
}

export const xenEntry: CheckDefinition = {
  id: 'boot.xen-entry',
  title: 'A boot entry loads xen.gz by multiboot and the dom0 kernel as a module',
  targets: TARGETS,
  evidence: BOOT_CONFIGS,
  description: 'The grub menu.lst `title` entries (`kernel .../xen.gz`, `module ...`) and the boot.cfg `menu=` items (`multiboot /xen.gz ...`, `load /netbsd-XEN3_DOM0 ...`), and which one is the default.',
  why: 'The Xen kernel has to be loaded using the multiboot protocol, with the NetBSD domain0 kernel as a module; this can be grub or NetBSD\'s boot loader (Howto, Installing NetBSD as privileged domain).',
  remedy: `Add a Xen entry. grub menu.lst (Howto): \`title Xen 3 / NetBSD (hda0, serial)\`, \`root(hd0,0)\`, ${HOWTO_GRUB_XEN}. NetBSD boot.cfg (boot.cfg(5)): ${BOOTCFG_XEN}.`,
  references: ['boot.cfg(5)', 'NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)'],
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
      const complete = xen.filter((e) => e.dom0)
      if (complete.length === 0) {
        const evidence = xen.length > 0 ? xen.flatMap((e) => [e.ref, e.xen!.ref]) : entries.slice(0, 5).map((e) => e.ref)
        const message = xen.length > 0
          ? `${xen.map(entryName).join(', ')} load${xen.length === 1 ? 's' : ''} ${xen[0]!.xen!.path} but no dom0 kernel as a module (${isGrub ? '`module` line' : '`load` command'})`
          : entries.length === 0
            ? `${source} has no ${isGrub ? '`title` entries' : '`menu=` items'}`
            : `none of the ${entries.length} entries of ${source} loads Xen by multiboot (${isGrub ? '`kernel .../xen.gz`' : '`multiboot /xen.gz`'})`
        outcomes.push(withSubject({status: 'fail', message: message + '.' + bothNote(f), evidence: dedupe(evidence), remedy}))
        continue
      }

      const chosen = entries.find((e) => e.isDefault)
      const first = complete[0]!
      const summary = `${entryName(first)} loads ${first.xen!.path} by multiboot and ${first.dom0!.path} as the dom0 module`
      if (chosen && !chosen.dom0) {
        outcomes.push(withSubject({
          status: 'warn',
          message: `${summary}, but the default is ${entryName(chosen)}, which does not boot Xen: the machine boots without Xen unless someone picks the entry.${bothNote(f)}`,
          evidence: dedupe([first.ref, first.xen!.ref, first.dom0!.ref, chosen.ref, ...defaultRefs(f, source)]),
          remedy: isGrub ? `Make the Xen entry the default: \`default=${entries.indexOf(first)}\` (grub counts from 0).` : `Make the Xen entry the default: \`default=${entries.indexOf(first) + 1}\` (boot.cfg counts from 1).`,
        }))
        continue
      }

      outcomes.push(withSubject({status: 'pass', message: `${summary}${chosen === first ? ' (the default entry)' : ''}.${bothNote(f)}`, evidence: dedupe([first.ref, first.xen!.ref, first.dom0!.ref])}))
    }

    return outcomes
  },
}
