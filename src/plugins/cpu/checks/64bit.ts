import {type CheckDefinition, TARGETS, refs} from '../../../engine/types.js'
import {cpu, EVIDENCE, longModeElsewhere, noCpuEvidence, noFeatures, oldEra} from '../common.js'

export const longMode: CheckDefinition = {
  id: 'cpu.64bit',
  title: 'CPU is 64-bit capable (amd64 dom0 with XEN3_DOM0)',
  since: '0.1.0',
  actor: 'hardware',
  targets: TARGETS,
  evidence: EVIDENCE,
  description:
    'The EM64T (Intel) or LONG (AMD) feature token, or the Linux `lm` flag; and the running architecture from `uname -a`.',
  why: 'The hypervisor has run only on 64-bit (x86_64) hosts for years, and pkgsrc builds its Xen 4.x packages for x86_64 only (xenkernel420: `ONLY_FOR_PLATFORM= NetBSD-*.*-x86_64`): a 32-bit-only CPU cannot run a maintained Xen at all. 32-bit i386 dom0s (XEN3PAE_DOM0) belong to the Xen 3.x/4.1 era of the Howto, without security support.',
  remedy:
    'Use a 64-bit x86 machine with NetBSD/amd64: `pkgin install xenkernel420 xentools420`, and the amd64 XEN3_DOM0 kernel.',
  run(ctx) {
    const f = cpu(ctx)
    const elsewhere = f.caps.longMode ? undefined : longModeElsewhere(f)
    if (elsewhere) {
      return {
        status: 'pass',
        message: `the CPU runs 64-bit code: ${elsewhere.source === 'uname.txt' ? `the running kernel is ${elsewhere.value}` : `the hypervisor is 64-bit (xen_caps: ${elsewhere.value})`}`,
        evidence: refs(elsewhere),
      }
    }

    if (!f.identity.source) return noCpuEvidence(f)
    if (f.caps.longMode) {
      const onI386 = f.arch && /^i[3-6]86$/.test(f.arch.value)
      return {
        status: 'pass',
        message: onI386
          ? `64-bit CPU (${f.caps.longMode.value}) running NetBSD/i386: today's Xen packages are x86_64 only, so install NetBSD/amd64 and its XEN3_DOM0 kernel`
          : `64-bit CPU (${f.caps.longMode.value}): the amd64 XEN3_DOM0 kernel fits`,
        evidence: refs(f.caps.longMode, f.arch),
      }
    }

    if (!f.identity.featuresSeen) return noFeatures(f)
    const old = oldEra(ctx)
    if (old) {
      return {
        status: 'warn',
        message: `no EM64T/LONG feature: a 32-bit CPU, running the Howto's era (${old.eraReason}): consistent within that era, but no Xen that runs on it has security support any more`,
        evidence: refs(f.identity.cpuClass, f.identity.model),
        remedy: 'Move the dom0 to a 64-bit x86 machine with NetBSD/amd64 and `pkgin install xenkernel420 xentools420`.',
      }
    }

    return {
      status: 'fail',
      message:
        'no EM64T/LONG feature: a 32-bit-only CPU, and no maintained Xen runs on one (the hypervisor is x86_64 only; pkgsrc xenkernel420 builds for NetBSD-*.*-x86_64 only)',
      evidence: refs(f.identity.cpuClass, f.identity.model),
    }
  },
}
