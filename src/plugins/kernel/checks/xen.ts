import {type CheckContext, type CheckDefinition, refs} from '../../../engine/types.js'
import {parseCksum} from '../../../parsers/cksum.js'
import type {HostFacts} from '../../facts.js'
import {EVIDENCE, gather, filePath, lookup, xenEntries, entryName, lsRemedy, type Lookup} from '../common.js'

/** ls-paths.txt, else the cksum lines of the package directories (`/usr/pkg/xen420-kernel/xen.gz`). */
function lookupWithCksum(ctx: CheckContext, host: HostFacts, path: string): Lookup {
  const found = lookup(host, path)
  if (found.state === 'exists' || found.state === 'missing' || !path.startsWith('/usr/pkg/')) return found
  for (const name of ctx.evidence.names('cksum-{xenkernel}.txt')) {
    const e = ctx.evidence.get(name)
    if (!e.present) continue
    const line = parseCksum(e.text, name).get(path)
    if (!line) continue
    return line.value.exists
      ? {state: 'exists', fact: {...line, value: {exists: true, type: 'file', mode: '-', size: line.value.size}}}
      : {state: 'missing', fact: {...line, value: {exists: false, error: line.value.error}}}
  }

  return found
}

export const xenKernel: CheckDefinition = {
  id: 'kernel.xen',
  title: 'The Xen kernel (xen.gz) is on the root file system',
  since: '0.1.0',
  actor: 'packages',
  hostOs: ['NetBSD'],
  evidence: EVIDENCE,
  description:
    "The path of the Xen line of the boot entry (else /xen.gz) in `ls-paths.txt`, or, for the package's own `/usr/pkg/xenNNN-kernel/xen.gz`, in the cksum output of that directory (`cksum-xenNNN-kernel.txt`).",
  why: "pkgsrc installs the Xen kernels under /usr/pkg/xen*-kernel/; the file you're looking for is xen.gz: copy it to your root file system (Howto).",
  remedy:
    'Install the hypervisor and copy it to the root file system: `pkgin install xenkernel420 xentools420`, then `cp /usr/pkg/xen420-kernel/xen.gz /` (`cp /usr/pkg/xen*-kernel/xen.gz /` for the branch installed); or load it where pkgsrc installs it, as boot.cfg(5) does: `multiboot /usr/pkg/xen420-kernel/xen.gz dom0_mem=1024M` (the boot loader must be able to read that file system).',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)'],
  run(ctx) {
    const c = gather(ctx)
    const entry = xenEntries(c.boot)[0]
    const path = entry ? filePath(entry.xen!.path) : '/xen.gz'
    const from = entry ? `named by ${entryName(entry)}` : "the Howto's location (no Xen boot entry in the evidence)"
    const found = lookupWithCksum(ctx, c.host, path)
    const entryRef = entry ? [entry.xen!.ref] : []
    if (found.state === 'no-ls')
      return {
        status: 'unknown',
        message: `ls-paths.txt is missing, so whether ${path} (${from}) exists is unknown`,
        evidence: refs(...entryRef),
      }
    if (found.state === 'unlisted')
      return {
        status: 'unknown',
        message: `${path} (${from}) is not in ls-paths.txt`,
        evidence: refs(...entryRef),
        remedy: lsRemedy(path),
      }
    if (found.state === 'missing') {
      return {
        status: 'fail',
        message: `${path} (${from}) does not exist: ${found.fact.value.exists ? '' : found.fact.value.error}`,
        evidence: refs(...entryRef, found.fact),
      }
    }

    const v = found.fact.value
    if (v.exists && v.type !== 'file' && v.type !== 'symlink')
      return {
        status: 'fail',
        message: `${found.fact.text.trim().split(/\s+/).at(-1)} is a ${v.type}, not a file`,
        evidence: refs(...entryRef, found.fact),
      }
    const size = v.exists && v.size !== undefined ? ` (${v.size} bytes)` : ''
    return {status: 'pass', message: `${path} exists${size}, ${from}`, evidence: refs(...entryRef, found.fact)}
  },
}
