import {type CheckDefinition, TARGETS, refs} from '../../../engine/types.js'
import {cpu, EVIDENCE, longModeElsewhere, noCpuEvidence, noFeatures, oldEra} from '../common.js'

export const pae: CheckDefinition = {
  id: 'cpu.pae',
  title: 'CPU has PAE (which i386 dom0 kernel fits)',
  since: '0.1.0',
  actor: 'hardware',
  targets: TARGETS,
  evidence: EVIDENCE,
  description:
    "For a dom0 of the Xen 3.x/4.1 era (xm; the installed packages or the running hypervisor say so): the PAE token of the `cpu0: features` line (CPUID.1:EDX), or the Linux `pae` flag. n/a otherwise: today's Xen is x86_64 only.",
  why: 'On i386, Xen 3.3 and 4.1 run only in PAE mode, with the XEN3PAE_DOM0 kernel; without PAE only Xen 3.1 (xenkernel3) with XEN3_DOM0 i386 remains. On amd64 the XEN3_DOM0 kernel is used and PAE is implied.',
  remedy:
    'Without PAE, use sysutils/xenkernel3 and xentools3 (Xen 3.1) with the non-PAE i386 XEN3_DOM0 kernel, or use a CPU with PAE.',
  run(ctx) {
    const f = cpu(ctx)
    if (!oldEra(ctx))
      return {
        status: 'n/a',
        message:
          "PAE decides which i386 dom0 kernel fits only in the Xen 3.x/4.1 era of the Howto; today's pkgsrc Xen is x86_64 only, where PAE is implied (see cpu.64bit)",
      }
    const elsewhere = f.caps.longMode ? undefined : longModeElsewhere(f)
    if (elsewhere)
      return {
        status: 'pass',
        message: `a 64-bit CPU always has PAE (${elsewhere.source === 'uname.txt' ? `the running kernel is ${elsewhere.value}` : 'the hypervisor is 64-bit'})`,
        evidence: refs(elsewhere),
      }
    if (!f.identity.source) return noCpuEvidence(f)
    if (f.caps.longMode)
      return {
        status: 'pass',
        message: 'a 64-bit CPU always has PAE: use the amd64 XEN3_DOM0 kernel (or XEN3PAE_DOM0 on NetBSD/i386)',
        evidence: refs(f.caps.longMode, f.caps.pae),
      }
    if (f.caps.pae)
      return {
        status: 'pass',
        message: 'PAE is present: on NetBSD/i386 the XEN3PAE_DOM0 kernel fits (Xen 3.1, 3.3 or 4.1)',
        evidence: refs(f.caps.pae),
      }
    if (!f.identity.featuresSeen) return noFeatures(f)
    return {
      status: 'warn',
      message: 'no PAE: only Xen 3.1 (xenkernel3) with the non-PAE i386 XEN3_DOM0 kernel can run here',
      evidence: refs(f.identity.cpuClass, f.identity.model),
    }
  },
}
