import {type CheckDefinition, TARGETS, type Fact, refs, type EvidenceRef} from '../../../engine/types.js'
import type {PathStatus} from '../../../parsers/ls.js'
import {EVIDENCE, XEN_ANY, gather, filePath, lookup, xenEntries, entryName, lsRemedy} from '../common.js'

const DOM0_NAME = /XEN3PAE_DOM0|XEN3_DOM0|XEN_DOM0|DOM0/i
const PAE_DOM0 = /XEN3PAE_DOM0/i

export const dom0Kernel: CheckDefinition = {
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
