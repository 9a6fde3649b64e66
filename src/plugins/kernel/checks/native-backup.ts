import {type CheckDefinition, type EvidenceRef, refs, type Fact} from '../../../engine/types.js'
import type {PathStatus} from '../../../parsers/ls.js'
import {EVIDENCE, XEN_ANY, gather, filePath, lookup, lsRemedy, xenEntries, entryName} from '../common.js'
import {kernelKindByName} from '../kinds.js'
import {dom0Mode, parseXenCmdline} from '../../../parsers/xen-cmdline.js'

const NATIVE_CANDIDATES = ['/netbsd-GENERIC', '/netbsd.GENERIC', '/netbsd', '/netbsd.old', '/onetbsd']

export const nativeBackup: CheckDefinition = {
  id: 'kernel.native-backup',
  title: 'A native (non-Xen) NetBSD kernel is kept for recovery',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: EVIDENCE,
  description:
    'A native kernel file in `ls-paths.txt`: the one a native boot entry names, else /netbsd-GENERIC, /netbsd.GENERIC, /netbsd (when it is not the dom0 module), /netbsd.old, /onetbsd.',
  why: 'Keep your native kernel around, as it can be useful for recovery (Howto).',
  remedy:
    'Keep a native kernel next to the dom0 one, e.g. `cp /netbsd /netbsd-GENERIC` before installing the dom0 kernel, and add a boot entry for it (grub `kernel --type=netbsd /netbsd-GENERIC`, boot.cfg `menu=Boot normally:boot netbsd-GENERIC`).',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)'],
  run(ctx) {
    const c = gather(ctx)
    if (!c.host.paths) return {status: 'unknown', message: 'ls-paths.txt is missing, so which kernels exist is unknown'}
    // A PVH dom0 boots the native kernel (GENERIC of NetBSD 10): the same file boots without Xen.
    for (const e of xenEntries(c.boot)) {
      if (
        !e.dom0 ||
        dom0Mode(parseXenCmdline(e.xen!.args.join(' '))).mode !== 'pvh' ||
        kernelKindByName(e.dom0.path).kind !== 'native'
      )
        continue
      const found = lookup(c.host, filePath(e.dom0.path))
      if (found.state === 'exists')
        return {
          status: 'pass',
          message: `${filePath(e.dom0.path)} is the PVH dom0 kernel of ${entryName(e)} and a native kernel too: it boots without Xen as well`,
          evidence: refs(e.dom0.ref, found.fact),
        }
    }

    const dom0Paths = new Set((c.boot?.entries ?? []).flatMap((e) => (e.dom0 ? [filePath(e.dom0.path)] : [])))
    // A grub `chainloader +1` entry boots whatever the partition's boot blocks load: not a file to look for.
    const nativeEntries = (c.boot?.entries ?? []).filter((e) => e.native && !e.native.path.startsWith('+'))
    const named = nativeEntries.map((e) => ({path: filePath(e.native!.path), ref: e.native!.ref}))
    const candidates = [
      ...named,
      ...NATIVE_CANDIDATES.map((path) => ({path, ref: undefined as EvidenceRef | undefined})),
    ]
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

    if (unlisted.length > 0)
      return {
        status: 'unknown',
        message: `the native kernel ${unlisted.join(', ')} of the boot entries is not in ls-paths.txt`,
        remedy: lsRemedy(unlisted[0]!),
      }
    const checked = candidates.map((x) => x.path).filter((p) => !dom0Paths.has(p) && !XEN_ANY.test(p))
    const missingRefs = checked.map((p) => c.host.paths!.get(p)).filter((f): f is Fact<PathStatus> => f !== undefined)
    // An ls-paths.txt made for other checks (device nodes only) says nothing about kernels.
    if (missingRefs.length === 0)
      return {
        status: 'unknown',
        message: `none of the kernel paths (${[...new Set(checked)].join(', ')}) is in ls-paths.txt`,
        remedy: lsRemedy('/netbsd /netbsd-GENERIC /netbsd.old'),
      }
    return {
      status: 'warn',
      message: `no native kernel found (${[...new Set(checked)].join(', ')} missing${dom0Paths.size > 0 ? `; ${[...dom0Paths].join(', ')} is the dom0 kernel` : ''}): nothing to boot if Xen or the dom0 kernel fails`,
      evidence: refs(...missingRefs.slice(0, 6)),
    }
  },
}
