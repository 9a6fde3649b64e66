import {type CheckDefinition, TARGETS, refs} from '../../../engine/types.js'
import {cpu, EVIDENCE, longModeElsewhere, noCpuEvidence, noFeatures} from '../common.js'


export const longMode: CheckDefinition = {
  id: 'cpu.64bit',
  title: 'CPU is 64-bit capable (amd64 dom0 with XEN3_DOM0)',
  targets: TARGETS,
  evidence: EVIDENCE,
  description: 'The EM64T (Intel) or LONG (AMD) feature token, or the Linux `lm` flag; and the running architecture from `uname -a`.',
  why: 'A 64-bit CPU runs the amd64 XEN3_DOM0 kernel; current Xen releases run only on 64-bit CPUs, and 32-bit i386 dom0s (XEN3PAE_DOM0) are limited to the Xen 3.x/4.1 era of the Howto.',
  remedy: 'On a 32-bit CPU use Xen 3.1/3.3/4.1 with the i386 XEN3PAE_DOM0 kernel (or XEN3_DOM0 i386 with Xen 3.1 without PAE); for current Xen use a 64-bit machine and NetBSD/amd64.',
  run(ctx) {
    const f = cpu(ctx)
    const elsewhere = f.caps.longMode ? undefined : longModeElsewhere(f)
    if (elsewhere) {
      return {status: 'pass', message: `the CPU runs 64-bit code: ${elsewhere.source === 'uname.txt' ? `the running kernel is ${elsewhere.value}` : `the hypervisor is 64-bit (xen_caps: ${elsewhere.value})`}`, evidence: refs(elsewhere)}
    }

    if (!f.identity.source) return noCpuEvidence(f)
    if (f.caps.longMode) {
      const onI386 = f.arch && /^i[3-6]86$/.test(f.arch.value)
      return {
        status: 'pass',
        message: onI386
          ? `64-bit CPU (${f.caps.longMode.value}) running NetBSD/i386: use XEN3PAE_DOM0, or install NetBSD/amd64 to use XEN3_DOM0 and current Xen`
          : `64-bit CPU (${f.caps.longMode.value}): the amd64 XEN3_DOM0 kernel fits`,
        evidence: refs(f.caps.longMode, f.arch),
      }
    }

    if (!f.identity.featuresSeen) return noFeatures(f)
    return {
      status: 'warn',
      message: 'no EM64T/LONG feature: a 32-bit CPU, limited to i386 dom0 kernels (XEN3PAE_DOM0) and Xen 3.1/3.3/4.1',
      evidence: refs(f.identity.cpuClass, f.identity.model),
    }
  },
}
