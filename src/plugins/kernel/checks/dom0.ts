import {type CheckDefinition, type Fact, refs, type EvidenceRef} from '../../../engine/types.js'
import type {PathStatus} from '../../../parsers/ls.js'
import {EVIDENCE, gather, filePath, lookup, xenEntries, entryName, lsRemedy} from '../common.js'
import {kernelKindByName, netbsdPvhDom0} from '../kinds.js'
import {dom0Mode, parseXenCmdline} from '../../../parsers/xen-cmdline.js'
import type {XenFacts} from '../../facts.js'

const DOM0_NAME = /XEN3PAE_DOM0|XEN3_DOM0|XEN_DOM0|DOM0/i
const PAE_DOM0 = /XEN3PAE_DOM0/i

export const dom0Kernel: CheckDefinition = {
  id: 'kernel.dom0',
  title: 'The dom0 kernel the boot entry loads exists and is a XEN3_DOM0 / XEN3PAE_DOM0 kernel',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [...EVIDENCE, 'cpuctl-identify.txt'],
  description:
    'The first module of the Xen boot entry (the file Xen builds dom0 from) in `ls-paths.txt`, judged by its name: XEN3_DOM0/XEN3PAE_DOM0 for a PV dom0; GENERIC/INSTALL fail as a PV dom0; a name that says nothing (`/netbsd`) warns whatever kernel runs now. With `dom0=pvh`: a PV-only kernel fails, NetBSD before 10 fails (no PVH code), NetBSD 10 and later warn (experimental). On i386 with PAE, XEN3PAE_DOM0 (CPU facts).',
  why: 'You need a NetBSD/Xen kernel for domain0 on your root file system: the XEN3PAE_DOM0 or XEN3_DOM0 kernel provided as part of the i386 or amd64 binaries (Howto); a GENERIC kernel loaded as a Xen module does not boot as dom0.',
  remedy:
    "Install the amd64 dom0 kernel of your release from the sets (`binary/kernel/netbsd-XEN3_DOM0.gz`) as `/netbsd-XEN3_DOM0.gz` and load it first in the Xen item: boot.cfg `menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M`; grub hosts: `module (hd0,a)/netbsd-XEN3_DOM0.gz bootdev=wd0a ro console=pc`. A PVH dom0 (`dom0=pvh`, experimental) loads NetBSD 10's GENERIC instead.",
  references: [
    'NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)',
    'sys/arch/amd64/conf/XEN3_DOM0',
    'Xen SUPPORT.md (x86/PVH)',
    'docs/sources/today-rules.md',
  ],
  run(ctx) {
    const c = gather(ctx)
    const entries = xenEntries(c.boot)
    const entry = entries.find((e) => e.dom0)
    if (!entry) {
      if (c.bootError) return {status: 'unknown', message: `the boot entries are unknown: ${c.bootError}`}
      const why =
        entries.length > 0
          ? `${entryName(entries[0]!)} loads no dom0 module (see boot.xen-entry)`
          : (c.boot?.loaders.length ?? 0) > 0
            ? 'no Xen boot entry (see boot.xen-entry)'
            : 'no bootloader configuration in the evidence'
      const present = [...(c.host.paths ?? new Map<string, Fact<PathStatus>>()).entries()].filter(
        ([p, f]) => DOM0_NAME.test(p) && f.value.exists,
      )
      if (present.length > 0)
        return {
          status: 'unknown',
          message: `${why}; a dom0 kernel exists: ${present.map(([p]) => p).join(', ')}`,
          evidence: refs(...present.map(([, f]) => f)),
        }
      return {status: 'unknown', message: why, evidence: refs(...entries.map((e) => e.xen!.ref))}
    }

    const dom0 = entry.dom0!
    const path = filePath(dom0.path)
    const name = path.replace(/^.*\//, '')
    const found = lookup(c.host, path)
    const base = [dom0.ref]
    if (found.state === 'missing') {
      return {
        status: 'fail',
        message: `${path}, the dom0 kernel of ${entryName(entry)}, does not exist: ${found.fact.value.exists ? '' : found.fact.value.error}`,
        evidence: refs(...base, found.fact),
      }
    }

    const existence =
      found.state === 'exists'
        ? `${path} exists`
        : found.state === 'no-ls'
          ? `${path} (existence unknown: no ls-paths.txt)`
          : `${path} (existence unknown: not in ls-paths.txt)`
    const existRefs = found.state === 'exists' ? [found.fact] : []
    const arch = c.cpu?.arch?.value
    const i386 = arch !== undefined && /^i[3-6]86$/.test(arch)
    const hasPae = c.cpu?.caps.pae !== undefined
    const pvh = dom0Mode(parseXenCmdline(entry.xen!.args.join(' '))).mode === 'pvh'
    const uname = c.host.uname
    const runningDom0 = uname && /\([A-Z0-9_]*DOM0[A-Z0-9_]*\)/.test(uname.value) ? uname : undefined
    const byName = kernelKindByName(name)
    const kindRefs: Array<EvidenceRef | undefined> = []
    const getStarted =
      'Install the dom0 kernel of your release from the sets (amd64: `binary/kernel/netbsd-XEN3_DOM0.gz`, e.g. `ftp https://cdn.NetBSD.org/pub/NetBSD/NetBSD-10.1/amd64/binary/kernel/netbsd-XEN3_DOM0.gz`) as `/netbsd-XEN3_DOM0.gz` and load it first: boot.cfg `menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M` (grub hosts: `module (hd0,a)/netbsd-XEN3_DOM0.gz bootdev=wd0a ro console=pc`).'
    let kind: string
    const x: XenFacts | undefined = ctx.optionalFacts('xen').value

    if (pvh) {
      if (
        byName.kind === 'pv-dom0' ||
        byName.kind === 'pv-dom0-pae' ||
        byName.kind === 'domu' ||
        byName.kind === 'kmod'
      ) {
        const what =
          byName.kind === 'kmod'
            ? 'a kernel module'
            : byName.kind === 'domu'
              ? `${byName.config}, a domU kernel`
              : `${byName.config ?? 'a XEN3_DOM0 kernel'}, a PV-only kernel`
        return {
          status: 'fail',
          message: `${existence}, but it is ${what}, and the Xen line asks for a PVH dom0 (\`dom0=pvh\`): Xen cannot build a PVH dom0 from it`,
          evidence: refs(...base, ...existRefs, entry.xen!.ref),
          remedy:
            "Either drop `dom0=pvh` and keep the PV dom0 kernel (`load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M`), or load NetBSD 10's GENERIC kernel for a PVH dom0 (experimental: `load /netbsd-GENERIC console=pc;multiboot /xen.gz dom0_mem=1024M dom0=pvh`).",
        }
      }

      const support = netbsdPvhDom0(x?.netbsdVersion)
      if (support.status === 'none') {
        return {
          status: 'fail',
          message: `${existence}, loaded as a PVH dom0 (\`dom0=pvh\`), but ${support.why}`,
          evidence: refs(...base, ...existRefs, entry.xen!.ref, x?.netbsdRelease),
          remedy: `Upgrade to NetBSD 10 for a PVH dom0, or boot a PV dom0: ${getStarted}`,
        }
      }

      const status = found.state === 'exists' ? 'warn' : 'unknown'
      return {
        status,
        message: `${existence}, ${byName.config ?? name} loaded as a PVH dom0 (\`dom0=pvh\`): ${support.why}`,
        evidence: refs(...base, ...existRefs, entry.xen!.ref, x?.netbsdRelease),
        remedy: `A PVH dom0 is for testing; for production boot a PV dom0: ${getStarted}`,
      }
    }

    if (byName.kind === 'pv-dom0' || byName.kind === 'pv-dom0-pae') {
      kind = `${byName.config ?? 'a dom0 kernel'} by its name`
    } else if (byName.kind === 'unnamed' && runningDom0 && x?.era === 'xm') {
      // The Howto (Xen 3.x/4.1 era) installs the dom0 kernel as /netbsd itself; within that era the running kernel
      // tells.
      kind = `the dom0 kernel installed as the Howto does (${/\(([A-Z0-9_]+)\)/.exec(runningDom0.value)?.[1] ?? 'DOM0'} in uname.txt, ${x.eraReason.split(' because')[0]})`
      kindRefs.push(runningDom0)
    } else {
      // The file is judged, not the running kernel: boot.cfg may have been edited since, or an upgrade replaced the
      // file.
      const what =
        byName.kind === 'native'
          ? `${byName.config} is a native kernel, not a dom0 kernel: Xen cannot start it as a PV domain0`
          : byName.kind === 'domu'
            ? `${byName.config} is a domU kernel: it cannot be domain0`
            : byName.kind === 'kmod'
              ? 'it is a kernel module, not a kernel'
              : undefined
      if (what)
        return {
          status: 'fail',
          message: `${existence}, but ${what}`,
          evidence: refs(...base, ...existRefs),
          remedy: getStarted,
        }
      const running = runningDom0
        ? ` The running kernel is ${/\(([A-Z0-9_]+)\)/.exec(runningDom0.value)?.[1] ?? 'a dom0 kernel'}, but that is what ${path} was at the last boot: sysupgrade and the installer write GENERIC as /netbsd.`
        : ' sysupgrade and the installer write GENERIC as /netbsd.'
      return {
        status: 'warn',
        message: `${existence}, but nothing says it is a dom0 kernel: its name has no XEN3_DOM0/XEN3PAE_DOM0.${running}`,
        evidence: refs(...base, ...existRefs, uname),
        remedy: `Keep the dom0 kernel under its own name and load that: ${getStarted}`,
      }
    }

    if (found.state !== 'exists')
      return {
        status: 'unknown',
        message: `${existence}; it is ${kind}`,
        evidence: refs(...base, ...kindRefs),
        remedy: lsRemedy(path),
      }
    const paeName =
      PAE_DOM0.test(name) || (runningDom0 !== undefined && PAE_DOM0.test(runningDom0.value) && !DOM0_NAME.test(name))
    if (i386 && hasPae && !paeName && !pvh) {
      return {
        status: 'warn',
        message: `${existence}, ${kind}; but this is NetBSD/i386 on a CPU with PAE: Xen 3.3 and 4.1 run only in PAE mode and need the XEN3PAE_DOM0 kernel (non-PAE XEN3_DOM0 works only with Xen 3.1)`,
        evidence: refs(...base, ...existRefs, ...kindRefs, c.cpu?.arch, c.cpu?.caps.pae),
        remedy:
          'Use the i386 XEN3PAE_DOM0 kernel: `module (hd0,a)/netbsd-XEN3PAE_DOM0 ...` (grub) or `load /netbsd-XEN3PAE_DOM0 ...` (boot.cfg).',
      }
    }

    if (arch === 'amd64' && paeName) {
      return {
        status: 'warn',
        message: `${existence}, ${kind}; but this is NetBSD/amd64: XEN3PAE_DOM0 is the i386 kernel, the amd64 dom0 kernel is XEN3_DOM0`,
        evidence: refs(...base, ...existRefs, ...kindRefs, c.cpu?.arch),
        remedy:
          'Use the amd64 XEN3_DOM0 kernel from the amd64 sets: `load /netbsd-XEN3_DOM0` / `module (hd0,a)/netbsd-XEN3_DOM0`.',
      }
    }

    return {
      status: 'pass',
      message: `${existence}, ${kind} (${entryName(entry)})`,
      evidence: refs(...base, ...existRefs, ...kindRefs),
    }
  },
}
