import type {CheckContext, CheckDefinition, EvidenceRef, Outcome, PluginDefinition} from '../../engine/types.js'
import {refOf, TARGETS} from '../../engine/types.js'
import {formatBytes, MiB} from '../../util/bytes.js'
import type {BootEntry} from '../facts.js'
import {BOOT_CFG, BOOT_CONFIGS, type BootFactsFull, deriveBootFacts, dom0MemArg} from './facts.js'
import {dom0Bytes} from './memory.js'
import {netbsdOnly} from '../host/index.js'

const boot = (ctx: CheckContext) => ctx.facts<BootFactsFull>('boot')
const MEMORY_EVIDENCE = ['sysctl.txt', 'dmesg.boot', 'xl-info.txt', 'xm-info.txt'] as const

/** The Howto's grub lines and boot.cfg(5)'s Xen example, quoted in remedies. */
export const HOWTO_GRUB_XEN = '`kernel (hd0,a)/xen.gz dom0_mem=65536 com1=115200,8n1` followed by `module (hd0,a)/netbsd bootdev=wd0a ro console=ttyS0`'
export const BOOTCFG_XEN = '`menu=Boot Xen with 256MB for dom0:load /netbsd-XEN3_DOM0 console=pc;multiboot /usr/pkg/xen3-kernel/xen.gz dom0_mem=256M`'
const MIN_DOM0 = 64 * MiB
const MIN_GUESTS = 128 * MiB

function noConfig(): Outcome {
  return {status: 'unknown', message: `no bootloader configuration in the evidence (${BOOT_CONFIGS.join(', ')})`}
}

function entryName(e: BootEntry): string {
  return `${e.loader === 'grub' ? 'grub' : 'boot.cfg'} entry "${e.label}"`
}

/** With both grub and boot.cfg present, nothing here says which one the boot blocks hand over to. */
function bothNote(f: BootFactsFull): string {
  return f.loaders.length > 1 ? ' Both a grub menu.lst and /boot.cfg exist: which one the MBR/boot blocks use is unknown (grub if `setup (hd0)` installed it, else NetBSD\'s /boot reads boot.cfg), so both were checked.' : ''
}

function xenEntries(f: BootFactsFull): BootEntry[] {
  return f.entries.filter((e) => e.xen)
}

function args(line: {args: string[]} | undefined, key: string): string | undefined {
  let value: string | undefined
  for (const a of line?.args ?? []) if (a.startsWith(`${key}=`)) value = a.slice(key.length + 1)
  return value
}

const xenEntry: CheckDefinition = {
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

function defaultRefs(f: BootFactsFull, source: string): EvidenceRef[] {
  const d = source === BOOT_CFG ? f.bootCfg?.default : f.grub?.default
  return d ? [refOf(d)] : []
}

function dedupe(refs: EvidenceRef[]): EvidenceRef[] {
  const seen = new Set<string>()
  return refs.filter((r) => !seen.has(`${r.source}:${r.line}`) && Boolean(seen.add(`${r.source}:${r.line}`))).map(refOf)
}

function memoryRemedy(f: BootFactsFull): string {
  return f.underXen
    ? 'This host already runs Xen, so its sysctl and dmesg show only dom0\'s share: run `xl info > xl-info.txt` (or `xm info > xm-info.txt` with Xen 3.x/4.1) to get `total_memory`.'
    : 'Run `sysctl hw.physmem64 > sysctl.txt` (or copy /var/run/dmesg.boot, which has `total memory =`).'
}

const dom0Mem: CheckDefinition = {
  id: 'boot.dom0-mem',
  title: 'dom0_mem= fits the physical memory and leaves room for guests',
  targets: TARGETS,
  evidence: [...BOOT_CONFIGS, ...MEMORY_EVIDENCE],
  description: 'The `dom0_mem=` argument of each Xen line (a number is KB; K/M/G suffixes; `min:`/`max:` and `%` forms) against the physical memory (`hw.physmem64`, dmesg `total memory =`, or `total_memory` of `xl info` on a running dom0).',
  why: 'The bootloader line is where you specify the memory allocated to domain0 (Howto: `dom0_mem=65536` gives domain0 64MB). More than the machine has cannot boot; what dom0 does not take is what the guests get.',
  remedy: `Set dom0_mem on the Xen line, below the physical memory and leaving at least 128 MB for guests: grub ${HOWTO_GRUB_XEN}; boot.cfg \`multiboot /xen.gz dom0_mem=512M\`.`,
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)', 'Xen command line: dom0_mem'],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const xen = xenEntries(f)
    if (xen.length === 0) return {status: 'n/a', message: 'no Xen boot entry to read dom0_mem from (see boot.xen-entry)'}
    const host = f.physicalMemory
    return xen.map((entry): Outcome => {
      const subject = entryName(entry)
      const raw = dom0MemArg(entry)
      const line = refOf(entry.xen!.ref)
      if (raw === undefined) {
        return {
          status: 'warn',
          subject,
          message: `the Xen line has no dom0_mem=: dom0 starts owning all the memory and guests only get what it gives back${host ? ` (this machine has ${formatBytes(host.value)})` : ''}`,
          evidence: host ? [line, refOf(host)] : [line],
        }
      }

      const parsed = f.dom0Mem.get(entry)?.value
      if (!parsed) return {status: 'warn', subject, message: `dom0_mem=${raw} is not a size Xen understands (a number in KB, or with a K/M/G suffix, or min:/max: forms)`, evidence: [line]}
      if (!host) {
        const abs = entry.dom0MemBytes
        if (abs !== undefined && abs < MIN_DOM0) return {status: 'warn', subject, message: `dom0_mem=${raw} gives dom0 only ${formatBytes(abs)} (less than 64 MB)`, evidence: [line]}
        const share = f.underXen && f.kernelMemory ? `; ${f.kernelMemory.source} shows ${formatBytes(f.kernelMemory.value)}, but under Xen that is dom0's own share, not the machine's memory` : ''
        return {
          status: 'unknown',
          subject,
          message: `dom0_mem=${raw}${abs === undefined ? '' : ` (${formatBytes(abs)})`}: the physical memory is not in the evidence${share}`,
          evidence: f.kernelMemory ? [line, refOf(f.kernelMemory)] : [line],
          remedy: memoryRemedy(f),
        }
      }

      const dom0 = dom0Bytes(parsed, host.value)
      const left = host.value - dom0
      const evidence = [line, refOf(host)]
      const what = `dom0_mem=${raw} gives dom0 ${formatBytes(dom0)} of ${formatBytes(host.value)}`
      if (dom0 > host.value) {
        return {status: 'fail', subject, message: `${what}: more than the machine has`, evidence, remedy: `Lower dom0_mem below ${formatBytes(host.value)}, leaving room for guests, e.g. \`dom0_mem=${Math.max(64, Math.floor(host.value / MiB / 4))}M\`.`}
      }

      if (dom0 < MIN_DOM0) return {status: 'warn', subject, message: `${what}: less than 64 MB for dom0`, evidence, remedy: 'Give dom0 at least 64 MB (the Howto uses `dom0_mem=65536`, 64 MB; current NetBSD dom0s want 512 MB or more).'}
      if (left < MIN_GUESTS) return {status: 'warn', subject, message: `${what}: only ${formatBytes(Math.max(0, left))} left for guests (less than 128 MB)`, evidence, remedy: `Lower dom0_mem so that guests get at least 128 MB, e.g. \`dom0_mem=${Math.max(64, Math.floor((host.value - MIN_GUESTS) / MiB / 2))}M\`.`}
      return {status: 'pass', subject, message: `${what}, leaving ${formatBytes(left)} for Xen and the guests`, evidence}
    })
  },
}

type ConsoleKind = 'serial' | 'vga' | 'xencons'

function dom0Console(value: string | undefined): ConsoleKind | undefined {
  if (value === undefined) return 'xencons'
  if (/^(?:ttyS\d*|com\d*|serial)$/i.test(value)) return 'serial'
  if (/^(?:tty\d*|pc|vga)$/i.test(value)) return 'vga'
  return undefined
}

const consoleCheck: CheckDefinition = {
  id: 'boot.console',
  title: 'The Xen console and the dom0 console agree',
  targets: TARGETS,
  evidence: BOOT_CONFIGS,
  description: 'Xen\'s `console=`/`com1=` and the dom0 `console=` (ttyS0, com0 / tty0, pc) of each Xen entry; for grub, the `serial` and `terminal` lines a serial console needs.',
  why: 'domain0 owns the physical console (VGA or serial); the Howto configures the serial port for Xen (`com1=115200,8n1`) with `console=ttyS0` for dom0, or `console=tty0`/`console=pc` for VGA, and grub needs `serial` and `terminal` lines to use the serial port.',
  remedy: 'Serial: grub `serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1`, `terminal --timeout=10 serial console`, Xen `com1=115200,8n1`, dom0 `console=ttyS0`; boot.cfg `load /netbsd-XEN3_DOM0 console=com0;multiboot /usr/pkg/xen3-kernel/xen.gz dom0_mem=256M console=com1 com1=115200,8n1` (Xen counts serial ports from com1, NetBSD from com0). VGA: dom0 `console=tty0` or `console=pc`.',
  references: ['NetBSD/xen Howto: the commented /grub/menu.lst', 'boot.cfg(5)'],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const xen = xenEntries(f)
    if (xen.length === 0) return {status: 'n/a', message: 'no Xen boot entry to read the consoles from (see boot.xen-entry)'}
    return xen.map((entry): Outcome => {
      const subject = entryName(entry)
      const xenConsole = args(entry.xen, 'console')
      const list = xenConsole?.split(',').map((c) => c.trim().toLowerCase()) ?? []
      const ports = (entry.xen?.args ?? []).filter((a) => /^com\d=/i.test(a))
      const xenSerial = list.some((c) => /^com\d/.test(c)) || (xenConsole === undefined && ports.length > 0)
      const xenVga = xenConsole === undefined || list.includes('vga')
      const dom0Value = args(entry.dom0, 'console')
      const dom0 = dom0Console(dom0Value)
      const evidence = dedupe([entry.xen!.ref, ...(entry.dom0 ? [entry.dom0.ref] : [])])
      const xenSays = xenConsole === undefined ? (ports.length > 0 ? `Xen has ${ports.join(' ')} and the default console` : 'Xen uses its default (VGA) console') : `Xen console=${xenConsole}`
      const dom0Says = dom0Value === undefined ? 'dom0 has no console= (it uses the Xen console)' : `dom0 console=${dom0Value}`
      if (dom0 === undefined) return {status: 'warn', subject, message: `${dom0Says} is not a console NetBSD/Xen knows (ttyS0, com0, tty0, pc)`, evidence}
      if (dom0 === 'serial' && !xenSerial) {
        return {status: 'warn', subject, message: `${dom0Says} (serial) but ${xenSays}: the serial port is not set up for Xen`, evidence, remedy: entry.loader === 'grub' ? 'Add `com1=115200,8n1` to the Xen `kernel` line, as in the Howto.' : 'Add `console=com1 com1=115200,8n1` to the `multiboot` command, as in boot.cfg(5).'}
      }

      if (dom0 === 'vga' && !xenVga) {
        return {status: 'warn', subject, message: `${dom0Says} (VGA) but ${xenSays} (serial only): Xen's messages and dom0's go to different consoles`, evidence, remedy: 'Use `console=ttyS0` (grub) or `console=com0` (boot.cfg) for dom0 with a serial Xen console, or `console=vga` for Xen with a VGA dom0.'}
      }

      const serialUsed = dom0 === 'serial' || xenSerial
      if (entry.loader === 'grub' && serialUsed && (!f.grub?.serial || !f.grub.terminal)) {
        const missing = [f.grub?.serial ? '' : '`serial`', f.grub?.terminal ? '' : '`terminal`'].filter(Boolean).join(' and ')
        return {
          status: 'warn',
          subject,
          message: `${dom0Says}, ${xenSays}: a serial console, but menu.lst has no ${missing} line, so grub's menu stays on the VGA screen`,
          evidence,
          remedy: 'Add to menu.lst, as in the Howto: `serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1` and `terminal --timeout=10 serial console`.',
        }
      }

      const grubLines = entry.loader === 'grub' && serialUsed ? [f.grub?.serial, f.grub?.terminal].filter((x) => x !== undefined).map(refOf) : []
      return {status: 'pass', subject, message: `${dom0Says}, ${xenSays}: they agree (${dom0 === 'xencons' ? 'dom0 follows Xen' : dom0})`, evidence: dedupe([...evidence, ...grubLines])}
    })
  },
}

const BACKUP_NAME = /backup|\.old$|\.bak$|^\/?onetbsd/i

const fallback: CheckDefinition = {
  id: 'boot.fallback',
  title: 'A backup boot entry exists (backup dom0 kernel or native NetBSD kernel)',
  targets: TARGETS,
  evidence: BOOT_CONFIGS,
  description: 'Entries that boot a native NetBSD kernel (grub `kernel --type=netbsd`, `chainloader`; boot.cfg `boot ...`) or a backup dom0 kernel (`netbsd.backup`), and grub\'s `fallback`.',
  why: 'Keep your native kernel around, as it can be useful for recovery; the Howto\'s menu.lst has backup dom0 entries (`module (hd0,a)/netbsd.backup ...`) and a native `kernel --type=netbsd /netbsd-GENERIC` entry in case /xen.gz or /netbsd does not work.',
  remedy: 'grub (Howto): `title NetBSD 5.1`, `root (hd0,a)`, `kernel --type=netbsd /netbsd-GENERIC`, or a backup entry with `module (hd0,a)/netbsd.backup bootdev=wd0a ro console=tty0`; boot.cfg (boot.cfg(5)): `menu=Boot normally:boot`.',
  references: ['NetBSD/xen Howto: the commented /grub/menu.lst'],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const native = f.entries.filter((e) => e.native)
    const defaultDom0 = (f.entries.find((e) => e.isDefault && e.dom0) ?? f.entries.find((e) => e.dom0))?.dom0?.path
    const backups = f.entries.filter((e) => e.dom0 && (BACKUP_NAME.test(e.dom0.path.replace(/^.*\//, '')) || (defaultDom0 !== undefined && e.dom0.path !== defaultDom0)))
    const found = [...native, ...backups]
    if (found.length === 0) {
      return {
        status: 'warn',
        message: `no backup entry in ${f.configSources.join(' and ')}: neither a native NetBSD kernel nor a backup dom0 kernel can be chosen at boot if the Xen entry fails`,
        evidence: f.entries.slice(0, 5).map((e) => refOf(e.ref)),
      }
    }

    const described = found.map((e) => `${entryName(e)} (${e.native ? (e.native.path.startsWith('+') ? `chainloader ${e.native.path}` : `native ${e.native.path}`) : `backup dom0 ${e.dom0!.path}`})`)
    return {status: 'pass', message: `recovery entries: ${described.join(', ')}`, evidence: dedupe(found.flatMap((e) => [e.ref, (e.native ?? e.dom0)!.ref]))}
  },
}

export const bootPlugin: PluginDefinition = {
  name: 'boot',
  title: 'Bootloader configuration: the Xen entry, dom0 memory, consoles, a fallback entry',
  evidence: [
    {name: 'files/grub/menu.lst', description: 'grub (legacy) menu as the Howto installs it', path: '/grub/menu.lst', os: ['netbsd']},
    {name: 'files/boot/grub/menu.lst', description: 'grub (legacy) menu in its other usual place', path: '/boot/grub/menu.lst', os: ['netbsd']},
    {name: 'files/boot.cfg', description: 'NetBSD boot loader configuration (boot.cfg(5))', path: '/boot.cfg', os: ['netbsd']},
  ],
  facts: [{name: 'boot', derive: deriveBootFacts}],
  checks: [xenEntry, dom0Mem, consoleCheck, fallback].map(netbsdOnly),
}
