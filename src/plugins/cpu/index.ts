import type {CheckContext, CheckDefinition, Outcome, PluginDefinition} from '../../engine/types.js'
import {refs, TARGETS} from '../../engine/types.js'
import {type CpuFacts, CPU_SOURCES, deriveCpuFacts} from './facts.js'

const cpu = (ctx: CheckContext) => ctx.facts<CpuFacts>('cpu')
const EVIDENCE = [...CPU_SOURCES, 'uname.txt', 'linux-virt.txt'] as const
const HOW_TO_GET = 'Run `cpuctl identify 0 > cpuctl-identify.txt` on the NetBSD host (or save `/proc/cpuinfo` as proc-cpuinfo.txt on a Linux host before installing).'

function noCpuEvidence(f: CpuFacts): Outcome {
  return {status: 'unknown', message: `no CPU identification found (${f.tried.join('; ') || 'no evidence'})`, remedy: HOW_TO_GET}
}


const i686: CheckDefinition = {
  id: 'cpu.i686',
  title: 'CPU is i686-class or better',
  targets: TARGETS,
  evidence: EVIDENCE,
  description: 'The CPU class NetBSD prints in the CPU name line (`(686-class)`), or the family in /proc/cpuinfo; any 64-bit CPU qualifies.',
  why: 'Xen is a virtual machine monitor for x86 hardware and requires i686-class CPUs (Howto, Introduction).',
  remedy: 'Use a machine with an i686-class (Pentium Pro or later) or 64-bit x86 CPU; 486- and 586-class CPUs cannot run Xen.',
  run(ctx) {
    const f = cpu(ctx)
    const {cpuClass} = f.identity
    if (f.caps.longMode) return {status: 'pass', message: `64-bit CPU (${f.caps.longMode.value}), i686-class or better`, evidence: refs(f.caps.longMode, cpuClass)}
    if (!cpuClass) return noCpuEvidence(f)
    if (cpuClass.value >= 6) return {status: 'pass', message: `${cpuClass.value}86-class CPU`, evidence: refs(cpuClass)}
    return {status: 'fail', message: `${cpuClass.value}86-class CPU: Xen needs i686-class or better`, evidence: refs(cpuClass)}
  },
}

function hvmFromXenCaps(f: CpuFacts, target: string): Outcome | undefined {
  if (!f.xenCaps) return undefined
  const hvm = /\bhvm-\d/.test(f.xenCaps.value)
  const evidence = refs(f.xenCaps, f.virtCaps)
  if (hvm) return {status: 'pass', message: `the hypervisor reports HVM support (xen_caps: ${f.xenCaps.value})`, evidence}
  return {
    status: target === 'hvm' ? 'fail' : 'warn',
    message: `the running hypervisor reports no HVM capability (xen_caps: ${f.xenCaps.value}); HVM guests will not start`,
    evidence,
    remedy: 'Enable Intel VT-x or AMD-V (SVM) in the BIOS/firmware setup and reboot; on a virtual machine enable nested virtualization on the outer host.',
  }
}

const hvm: CheckDefinition = {
  id: 'cpu.hvm',
  title: 'CPU supports hardware virtualization (VMX or SVM) for HVM guests',
  targets: TARGETS,
  evidence: [...EVIDENCE, 'xl-info.txt', 'xm-info.txt'],
  description:
    'The VMX (Intel VT) or SVM (AMD-V) token inside `<...>` of any `cpu0: features…` line of `cpuctl identify 0` (the line that carries it changed name between NetBSD releases), the `vmx`/`svm` flag in /proc/cpuinfo, or on a running dom0 the `hvm-3.0-…` entries of `xen_caps` in `xl info`/`xm info`.',
  why: 'Unmodified guests (HVM) need the CPU\'s VT (Intel, VMX) or SVM (AMD) instructions; "Note that your CPU needs to support this" (Howto). Paravirtualized NetBSD guests do not need it.',
  remedy: 'Enable Intel VT-x / AMD-V (SVM) in the BIOS/firmware setup; on a virtual machine, enable nested virtualization on the outer hypervisor. Without it, run only paravirtualized (PV) guests.',
  run(ctx) {
    const f = cpu(ctx)
    const absentStatus = ctx.target === 'hvm' ? 'fail' : 'warn'
    const fromXen = hvmFromXenCaps(f, ctx.target)
    if (fromXen) return fromXen
    if (f.xenGuest && !f.caps.hvm) {
      return {
        status: 'unknown',
        message: `this host already runs under Xen (${f.xenGuest.value}); dom0's CPUID may hide VMX/SVM, so only the hypervisor can tell`,
        evidence: refs(f.xenGuest),
        remedy: 'Run `xl info > xl-info.txt` (or `xm info > xm-info.txt` with Xen 3.x/4.1) on the running dom0 and check again: `xen_caps` lists `hvm-3.0-…` when HVM guests can run.',
      }
    }

    if (!f.identity.source) return noCpuEvidence(f)
    if (f.caps.hvm) {
      return {status: 'pass', message: `${f.caps.hvm.value.toUpperCase()} is present: HVM guests can run`, evidence: refs(f.caps.hvm)}
    }

    if (!f.identity.featuresSeen) {
      return {
        status: 'unknown',
        message: `${f.identity.source} has no CPU features lines (they reach dmesg only on a verbose boot)`,
        evidence: refs(f.identity.model, f.identity.cpuClass),
        remedy: 'Run `cpuctl identify 0 > cpuctl-identify.txt` (or boot with `boot -v`) to see the features lines.',
      }
    }

    const vendor = f.identity.vendor?.value
    if (vendor === 'amd' && !f.identity.amdExtendedEcxDecoded) {
      return {
        status: 'unknown',
        message: 'this NetBSD kernel does not decode CPUID 0x80000001:ECX, the word that holds SVM, so its absence proves nothing',
        evidence: refs(f.identity.vendor),
        remedy: 'Check the CPU model\'s specification for AMD-V, or run `cpuctl identify 0` from a newer NetBSD release (5.1 or later decodes SVM).',
      }
    }

    const wanted = vendor === 'intel' ? 'VMX (Intel VT-x)' : vendor === 'amd' ? 'SVM (AMD-V)' : 'VMX or SVM'
    const why = f.identity.hypervisor
      ? ` This machine runs under a hypervisor (${f.identity.hypervisor.value}): enable nested virtualization on the outer host so that it passes ${wanted} through.`
      : ` If this CPU model has ${wanted}, it may be disabled in the BIOS/firmware setup.`
    return {
      status: absentStatus,
      message: `${wanted} is not among the CPU features: HVM guests will not run, only paravirtualized ones.${why}`,
      evidence: refs(f.identity.hypervisor, f.identity.vendor, ...Object.values(f.identity.flags).slice(0, 1)),
      remedy: f.identity.hypervisor
        ? `Enable nested virtualization on the outer hypervisor (for KVM: \`modprobe kvm_intel nested=1\` or \`kvm_amd nested=1\`, and CPU model \`host\`), or run only PV guests.`
        : `Enable ${wanted} in the BIOS/firmware setup and power-cycle the machine, or run only PV guests.`,
    }
  },
}

const longMode: CheckDefinition = {
  id: 'cpu.64bit',
  title: 'CPU is 64-bit capable (amd64 dom0 with XEN3_DOM0)',
  targets: TARGETS,
  evidence: EVIDENCE,
  description: 'The EM64T (Intel) or LONG (AMD) feature token, or the Linux `lm` flag; and the running architecture from `uname -a`.',
  why: 'A 64-bit CPU runs the amd64 XEN3_DOM0 kernel; current Xen releases run only on 64-bit CPUs, and 32-bit i386 dom0s (XEN3PAE_DOM0) are limited to the Xen 3.x/4.1 era of the Howto.',
  remedy: 'On a 32-bit CPU use Xen 3.1/3.3/4.1 with the i386 XEN3PAE_DOM0 kernel (or XEN3_DOM0 i386 with Xen 3.1 without PAE); for current Xen use a 64-bit machine and NetBSD/amd64.',
  run(ctx) {
    const f = cpu(ctx)
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

    if (!f.identity.featuresSeen) return {status: 'unknown', message: `${f.identity.source} has no CPU features lines`, evidence: refs(f.identity.model), remedy: HOW_TO_GET}
    return {
      status: 'warn',
      message: 'no EM64T/LONG feature: a 32-bit CPU, limited to i386 dom0 kernels (XEN3PAE_DOM0) and Xen 3.1/3.3/4.1',
      evidence: refs(f.identity.cpuClass, f.identity.model),
    }
  },
}

const pae: CheckDefinition = {
  id: 'cpu.pae',
  title: 'CPU has PAE (which i386 dom0 kernel fits)',
  targets: TARGETS,
  evidence: EVIDENCE,
  description: 'The PAE token of the `cpu0: features` line (CPUID.1:EDX), or the Linux `pae` flag.',
  why: 'On i386, Xen 3.3 and 4.1 run only in PAE mode, with the XEN3PAE_DOM0 kernel; without PAE only Xen 3.1 (xenkernel3) with XEN3_DOM0 i386 remains. On amd64 the XEN3_DOM0 kernel is used and PAE is implied.',
  remedy: 'Without PAE, use sysutils/xenkernel3 and xentools3 (Xen 3.1) with the non-PAE i386 XEN3_DOM0 kernel, or use a CPU with PAE.',
  run(ctx) {
    const f = cpu(ctx)
    if (!f.identity.source) return noCpuEvidence(f)
    if (f.caps.longMode) return {status: 'pass', message: 'a 64-bit CPU always has PAE: use the amd64 XEN3_DOM0 kernel (or XEN3PAE_DOM0 on NetBSD/i386)', evidence: refs(f.caps.longMode, f.caps.pae)}
    if (f.caps.pae) return {status: 'pass', message: 'PAE is present: on NetBSD/i386 the XEN3PAE_DOM0 kernel fits (Xen 3.1, 3.3 or 4.1)', evidence: refs(f.caps.pae)}
    if (!f.identity.featuresSeen) return {status: 'unknown', message: `${f.identity.source} has no CPU features lines`, evidence: refs(f.identity.model), remedy: HOW_TO_GET}
    return {status: 'warn', message: 'no PAE: only Xen 3.1 (xenkernel3) with the non-PAE i386 XEN3_DOM0 kernel can run here', evidence: refs(f.identity.cpuClass, f.identity.model)}
  },
}

export const cpuPlugin: PluginDefinition = {
  name: 'cpu',
  title: 'CPU class, HVM support, PAE and 64-bit',
  evidence: [
    {name: 'cpuctl-identify.txt', description: 'CPU identification of the first CPU', argv: ['cpuctl', 'identify', '0'], os: ['netbsd'], root: true},
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {name: 'proc-cpuinfo.txt', description: 'Linux CPU information (a host before NetBSD is installed)', path: '/proc/cpuinfo', os: ['linux']},
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
    {name: 'linux-virt.txt', description: 'which hypervisor a Linux host runs under (systeminformation: DMI, systemd-detect-virt)', probe: 'systeminformation.system', os: ['linux']},
    {name: 'xl-info.txt', description: 'hypervisor information on a running xl-era dom0', argv: ['xl', 'info'], os: ['netbsd'], root: true},
    {name: 'xm-info.txt', description: 'hypervisor information on a running xm-era dom0 (Xen 3.x, 4.1)', argv: ['xm', 'info'], os: ['netbsd'], root: true},
  ],
  facts: [{name: 'cpu', derive: deriveCpuFacts}],
  checks: [i686, hvm, longMode, pae],
}
