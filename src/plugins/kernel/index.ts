import type {CheckContext, CheckDefinition, EvidenceRef, Fact, PluginDefinition} from '../../engine/types.js'
import {refs, TARGETS} from '../../engine/types.js'
import type {PathStatus} from '../../parsers/ls.js'
import type {BootEntry, BootFacts, CpuFacts, HostFacts} from '../facts.js'
import {netbsdOnly} from '../host/index.js'

/** Paths whose `ls -ld` the collector writes into ls-paths.txt for these checks. */
export const KERNEL_PATHS = [
  '/xen.gz',
  '/xen-debug.gz',
  '/netbsd',
  '/netbsd.gz',
  '/netbsd.backup',
  '/netbsd.old',
  '/onetbsd',
  '/netbsd-XEN3_DOM0',
  '/netbsd-XEN3_DOM0.gz',
  '/netbsd-XEN3PAE_DOM0',
  '/netbsd-XEN3PAE_DOM0.gz',
  '/netbsd-GENERIC',
  '/netbsd-GENERIC.gz',
  '/netbsd.GENERIC',
] as const

const EVIDENCE = ['ls-paths.txt', 'files/grub/menu.lst', 'files/boot/grub/menu.lst', 'files/boot.cfg', 'uname.txt', 'dmesg.boot'] as const
const DOM0_NAME = /XEN3PAE_DOM0|XEN3_DOM0|XEN_DOM0|DOM0/i
const PAE_DOM0 = /XEN3PAE_DOM0/i
const XEN_ANY = /XEN|DOM0|DOMU/i

interface Context {
  host: HostFacts
  boot?: BootFacts
  bootError?: string
  cpu?: CpuFacts
}

function gather(ctx: CheckContext): Context {
  const out: Context = {host: ctx.facts<HostFacts>('host')}
  try {
    out.boot = ctx.facts<BootFacts>('boot')
  } catch (error) {
    out.bootError = error instanceof Error ? error.message : String(error)
  }

  try {
    out.cpu = ctx.facts<CpuFacts>('cpu')
  } catch {
    // Without CPU facts the PAE advice is skipped, nothing else depends on them.
  }

  return out
}

/** The file a bootloader path names on the root file system: `(hd0,a)/xen.gz`, `hd0a:/xen.gz`, `xen.gz` → `/xen.gz`. */
export function filePath(path: string): string {
  const file = path.replace(/^\([^)]*\)/, '').replace(/^[a-z]+\d*[a-p]?:/i, '')
  if (!file) return path
  return file.startsWith('/') ? file : `/${file}`
}

type Lookup = {state: 'exists'; fact: Fact<PathStatus>} | {state: 'missing'; fact: Fact<PathStatus>} | {state: 'unlisted'} | {state: 'no-ls'}

function lookup(host: HostFacts, path: string): Lookup {
  if (!host.paths) return {state: 'no-ls'}
  // The NetBSD boot loader and grub both read gzipped kernels: `/netbsd-XEN3_DOM0` may exist as `.gz`.
  for (const candidate of [path, `${path}.gz`]) {
    const f = host.paths.get(candidate)
    if (f?.value.exists) return {state: 'exists', fact: f}
  }

  const f = host.paths.get(path)
  return f ? {state: 'missing', fact: f} : {state: 'unlisted'}
}

function xenEntries(boot: BootFacts | undefined): BootEntry[] {
  const xen = (boot?.entries ?? []).filter((e) => e.xen)
  return [...xen.filter((e) => e.isDefault), ...xen.filter((e) => !e.isDefault)]
}

function entryName(e: BootEntry): string {
  return `${e.loader === 'grub' ? 'grub' : 'boot.cfg'} entry "${e.label}"`
}


function lsRemedy(path: string): string {
  return `Run \`ls -ld ${path} >> ls-paths.txt 2>&1\` on the host (xenready lists ${KERNEL_PATHS.slice(0, 3).join(', ')}... itself).`
}

const xenKernel: CheckDefinition = {
  id: 'kernel.xen',
  title: 'The Xen kernel (xen.gz) is on the root file system',
  targets: TARGETS,
  evidence: EVIDENCE,
  description: 'The path of the Xen line of the boot entry (else /xen.gz) in `ls-paths.txt`.',
  why: 'pkgsrc installs the Xen kernels under /usr/pkg/xen*-kernel/; the file you\'re looking for is xen.gz: copy it to your root file system (Howto).',
  remedy: 'Copy the Xen kernel to the root file system: `cp /usr/pkg/xen*-kernel/xen.gz /` (from the installed xenkernel package).',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)'],
  run(ctx) {
    const c = gather(ctx)
    const entry = xenEntries(c.boot)[0]
    const path = entry ? filePath(entry.xen!.path) : '/xen.gz'
    const from = entry ? `named by ${entryName(entry)}` : 'the Howto\'s location (no Xen boot entry in the evidence)'
    const found = lookup(c.host, path)
    const entryRef = entry ? [entry.xen!.ref] : []
    if (found.state === 'no-ls') return {status: 'unknown', message: `ls-paths.txt is missing, so whether ${path} (${from}) exists is unknown`, evidence: refs(...entryRef)}
    if (found.state === 'unlisted') return {status: 'unknown', message: `${path} (${from}) is not in ls-paths.txt`, evidence: refs(...entryRef), remedy: lsRemedy(path)}
    if (found.state === 'missing') {
      return {status: 'fail', message: `${path} (${from}) does not exist: ${found.fact.value.exists ? '' : found.fact.value.error}`, evidence: refs(...entryRef, found.fact)}
    }

    const v = found.fact.value
    if (v.exists && v.type !== 'file' && v.type !== 'symlink') return {status: 'fail', message: `${found.fact.text.trim().split(/\s+/).at(-1)} is a ${v.type}, not a file`, evidence: refs(...entryRef, found.fact)}
    const size = v.exists && v.size !== undefined ? ` (${v.size} bytes)` : ''
    return {status: 'pass', message: `${path} exists${size}, ${from}`, evidence: refs(...entryRef, found.fact)}
  },
}

const dom0Kernel: CheckDefinition = {
  id: 'kernel.dom0',
  title: 'The dom0 kernel the boot entry loads exists and is a XEN3_DOM0 / XEN3PAE_DOM0 kernel',
  targets: TARGETS,
  evidence: [...EVIDENCE, 'cpuctl-identify.txt'],
  description: 'The module of the Xen boot entry in `ls-paths.txt`; whether it is a dom0 kernel from its name (XEN3_DOM0, XEN3PAE_DOM0) or from the running kernel in `uname.txt` when the host already runs Xen; on i386 with PAE, XEN3PAE_DOM0 (CPU facts).',
  why: 'You need a NetBSD/Xen kernel for domain0 on your root file system: the XEN3PAE_DOM0 or XEN3_DOM0 kernel provided as part of the i386 or amd64 binaries (Howto); a GENERIC kernel loaded as a Xen module does not boot as dom0.',
  remedy: 'Install the dom0 kernel from the release sets on the root file system, e.g. `cp netbsd-XEN3_DOM0 /` (amd64) or `cp netbsd-XEN3PAE_DOM0 /` (i386 with PAE), and load it as the module: grub `module (hd0,a)/netbsd-XEN3_DOM0 bootdev=wd0a ro console=tty0`, boot.cfg `load /netbsd-XEN3_DOM0 console=pc`.',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)'],
  run(ctx) {
    const c = gather(ctx)
    const entries = xenEntries(c.boot)
    const entry = entries.find((e) => e.dom0)
    if (!entry) {
      if (c.bootError) return {status: 'unknown', message: `the boot entries are unknown: ${c.bootError}`}
      const why = entries.length > 0 ? `${entryName(entries[0]!)} loads no dom0 module (see boot.xen-entry)` : (c.boot?.loaders.length ?? 0) > 0 ? 'no Xen boot entry (see boot.xen-entry)' : 'no bootloader configuration in the evidence'
      const present = [...(c.host.paths ?? new Map<string, Fact<PathStatus>>()).entries()].filter(([p, f]) => DOM0_NAME.test(p) && f.value.exists)
      if (present.length > 0) return {status: 'unknown', message: `${why}; a dom0 kernel exists: ${present.map(([p]) => p).join(', ')}`, evidence: refs(...present.map(([, f]) => f))}
      return {status: 'unknown', message: why, evidence: refs(...entries.map((e) => e.xen!.ref))}
    }

    const dom0 = entry.dom0!
    const path = filePath(dom0.path)
    const name = path.replace(/^.*\//, '')
    const found = lookup(c.host, path)
    const base = [dom0.ref]
    if (found.state === 'missing') {
      return {status: 'fail', message: `${path}, the dom0 kernel of ${entryName(entry)}, does not exist: ${found.fact.value.exists ? '' : found.fact.value.error}`, evidence: refs(...base, found.fact)}
    }

    const existence = found.state === 'exists' ? `${path} exists` : found.state === 'no-ls' ? `${path} (existence unknown: no ls-paths.txt)` : `${path} (existence unknown: not in ls-paths.txt)`
    const existRefs = found.state === 'exists' ? [found.fact] : []
    const arch = c.cpu?.arch?.value
    const i386 = arch !== undefined && /^i[3-6]86$/.test(arch)
    const hasPae = c.cpu?.caps.pae !== undefined
    const pvh = (entry.xen!.args ?? []).some((a) => /^dom0=(?:.*,)?pvh\b/.test(a))
    const uname = c.host.uname
    const runningDom0 = uname && /\([A-Z0-9_]*DOM0[A-Z0-9_]*\)/.test(uname.value) ? uname : undefined
    let kind: string | undefined
    let kindRefs: Array<EvidenceRef | undefined> = []
    if (DOM0_NAME.test(name)) {
      kind = `${PAE_DOM0.test(name) ? 'XEN3PAE_DOM0' : 'XEN3_DOM0'} by its name`
    } else if (pvh) {
      kind = 'a PVH dom0 (`dom0=pvh` on the Xen line): a GENERIC-style kernel with PVH support is expected'
    } else if (runningDom0) {
      kind = `presumably the running dom0 kernel (${/\(([A-Z0-9_]+)\)/.exec(runningDom0.value)?.[1] ?? 'DOM0'} in uname.txt)`
      kindRefs = [runningDom0]
    }

    if (!kind) {
      const generic = /GENERIC|INSTALL/i.test(name) && !XEN_ANY.test(name)
      return {
        status: generic ? 'fail' : 'warn',
        message: generic
          ? `${existence}, but ${name} is a native kernel, not a dom0 kernel: Xen cannot start it as domain0`
          : `${existence}, but nothing says it is a dom0 kernel: its name has no XEN3_DOM0/XEN3PAE_DOM0 and the running kernel is not a dom0 (uname.txt)`,
        evidence: refs(...base, ...existRefs, uname),
        remedy: generic ? undefined : 'Name the dom0 kernel after its configuration (`/netbsd-XEN3_DOM0`, `/netbsd-XEN3PAE_DOM0`) and load it as the module, or boot it once and save `uname -a > uname.txt` to confirm.',
      }
    }

    if (found.state !== 'exists') return {status: 'unknown', message: `${existence}; it is ${kind}`, evidence: refs(...base, ...kindRefs), remedy: lsRemedy(path)}
    const paeName = PAE_DOM0.test(name) || (runningDom0 !== undefined && PAE_DOM0.test(runningDom0.value) && !DOM0_NAME.test(name))
    if (i386 && hasPae && !paeName && !pvh) {
      return {
        status: 'warn',
        message: `${existence}, ${kind}; but this is NetBSD/i386 on a CPU with PAE: Xen 3.3 and 4.1 run only in PAE mode and need the XEN3PAE_DOM0 kernel (non-PAE XEN3_DOM0 works only with Xen 3.1)`,
        evidence: refs(...base, ...existRefs, ...kindRefs, c.cpu?.arch, c.cpu?.caps.pae),
        remedy: 'Use the i386 XEN3PAE_DOM0 kernel: `module (hd0,a)/netbsd-XEN3PAE_DOM0 ...` (grub) or `load /netbsd-XEN3PAE_DOM0 ...` (boot.cfg).',
      }
    }

    if (arch === 'amd64' && paeName) {
      return {
        status: 'warn',
        message: `${existence}, ${kind}; but this is NetBSD/amd64: XEN3PAE_DOM0 is the i386 kernel, the amd64 dom0 kernel is XEN3_DOM0`,
        evidence: refs(...base, ...existRefs, ...kindRefs, c.cpu?.arch),
        remedy: 'Use the amd64 XEN3_DOM0 kernel from the amd64 sets: `load /netbsd-XEN3_DOM0` / `module (hd0,a)/netbsd-XEN3_DOM0`.',
      }
    }

    return {status: 'pass', message: `${existence}, ${kind} (${entryName(entry)})`, evidence: refs(...base, ...existRefs, ...kindRefs)}
  },
}

const NATIVE_CANDIDATES = ['/netbsd-GENERIC', '/netbsd.GENERIC', '/netbsd', '/netbsd.old', '/onetbsd']

const nativeBackup: CheckDefinition = {
  id: 'kernel.native-backup',
  title: 'A native (non-Xen) NetBSD kernel is kept for recovery',
  targets: TARGETS,
  evidence: EVIDENCE,
  description: 'A native kernel file in `ls-paths.txt`: the one a native boot entry names, else /netbsd-GENERIC, /netbsd.GENERIC, /netbsd (when it is not the dom0 module), /netbsd.old, /onetbsd.',
  why: 'Keep your native kernel around, as it can be useful for recovery (Howto).',
  remedy: 'Keep a native kernel next to the dom0 one, e.g. `cp /netbsd /netbsd-GENERIC` before installing the dom0 kernel, and add a boot entry for it (grub `kernel --type=netbsd /netbsd-GENERIC`, boot.cfg `menu=Boot normally:boot netbsd-GENERIC`).',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)'],
  run(ctx) {
    const c = gather(ctx)
    if (!c.host.paths) return {status: 'unknown', message: 'ls-paths.txt is missing, so which kernels exist is unknown'}
    const dom0Paths = new Set((c.boot?.entries ?? []).flatMap((e) => (e.dom0 ? [filePath(e.dom0.path)] : [])))
    // A grub `chainloader +1` entry boots whatever the partition's boot blocks load: not a file to look for.
    const nativeEntries = (c.boot?.entries ?? []).filter((e) => e.native && !e.native.path.startsWith('+'))
    const named = nativeEntries.map((e) => ({path: filePath(e.native!.path), ref: e.native!.ref}))
    const candidates = [...named, ...NATIVE_CANDIDATES.map((path) => ({path, ref: undefined as EvidenceRef | undefined}))]
    const unlisted: string[] = []
    for (const {path, ref} of candidates) {
      if (dom0Paths.has(path) || XEN_ANY.test(path)) continue
      const found = lookup(c.host, path)
      if (found.state === 'exists') {
        const via = ref ? ` (booted by a native entry)` : ''
        return {status: 'pass', message: `native kernel ${path} is kept${via}`, evidence: refs(ref, found.fact)}
      }

      if (found.state === 'unlisted' && ref) unlisted.push(path)
    }

    if (unlisted.length > 0) return {status: 'unknown', message: `the native kernel ${unlisted.join(', ')} of the boot entries is not in ls-paths.txt`, remedy: lsRemedy(unlisted[0]!)}
    const checked = candidates.map((x) => x.path).filter((p) => !dom0Paths.has(p) && !XEN_ANY.test(p))
    const missingRefs = checked.map((p) => c.host.paths!.get(p)).filter((f): f is Fact<PathStatus> => f !== undefined)
    // An ls-paths.txt made for other checks (device nodes only) says nothing about kernels.
    if (missingRefs.length === 0) return {status: 'unknown', message: `none of the kernel paths (${[...new Set(checked)].join(', ')}) is in ls-paths.txt`, remedy: lsRemedy('/netbsd /netbsd-GENERIC /netbsd.old')}
    return {
      status: 'warn',
      message: `no native kernel found (${[...new Set(checked)].join(', ')} missing${dom0Paths.size > 0 ? `; ${[...dom0Paths].join(', ')} is the dom0 kernel` : ''}): nothing to boot if Xen or the dom0 kernel fails`,
      evidence: refs(...missingRefs.slice(0, 6)),
    }
  },
}

export const kernelPlugin: PluginDefinition = {
  name: 'kernel',
  title: 'Kernel files: xen.gz, the dom0 kernel, a native backup kernel',
  evidence: [],
  lsPaths: KERNEL_PATHS,
  checks: [xenKernel, dom0Kernel, nativeBackup].map(netbsdOnly),
}

