import {type CheckDefinition, TARGETS, refs} from '../../../engine/types.js'
import {EVIDENCE, gather, filePath, lookup, xenEntries, entryName, lsRemedy} from '../common.js'


export const xenKernel: CheckDefinition = {
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
