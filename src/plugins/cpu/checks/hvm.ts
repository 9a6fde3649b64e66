import type {CpuFacts} from '../facts.js'
import {type Outcome, refs, type CheckDefinition, TARGETS} from '../../../engine/types.js'
import {cpu, EVIDENCE, noCpuEvidence, pvhDom0Entry} from '../common.js'


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

export const hvm: CheckDefinition = {
  id: 'cpu.hvm',
  title: 'CPU supports hardware virtualization (VMX or SVM) for HVM guests',
  targets: TARGETS,
  evidence: [...EVIDENCE, 'xl-info.txt', 'xm-info.txt'],
  description:
    'The VMX (Intel VT) or SVM (AMD-V) token inside `<...>` of any `cpu0: features…` line of `cpuctl identify 0` (the line that carries it changed name between NetBSD releases), the `vmx`/`svm` flag in /proc/cpuinfo, or on a running dom0 the `hvm-3.0-…` entries of `xen_caps` in `xl info`/`xm info`.',
  why: 'Unmodified guests (HVM) need the CPU\'s VT (Intel, VMX) or SVM (AMD) instructions; "Note that your CPU needs to support this" (Howto). Paravirtualized NetBSD guests do not need it; a PVH dom0 (`dom0=pvh`) does: "Requires hardware virtualisation support (Intel VMX / AMD SVM)" (Xen SUPPORT.md), so then it fails for any target.',
  remedy: 'Enable Intel VT-x / AMD-V (SVM) in the BIOS/firmware setup; on a virtual machine, enable nested virtualization on the outer hypervisor. Without it, run only paravirtualized (PV) guests.',
  run(ctx) {
    const f = cpu(ctx)
    const pvh = pvhDom0Entry(ctx)
    const absentStatus = ctx.target === 'hvm' || pvh ? 'fail' : 'warn'
    const pvhNote = pvh ? ` The default boot entry asks for a PVH dom0 (\`dom0=pvh\`): without VMX/SVM the dom0 itself cannot be built.` : ''
    const fromXen = hvmFromXenCaps(f, pvh ? 'hvm' : ctx.target)
    if (fromXen) return fromXen.status === 'pass' ? fromXen : {...fromXen, message: fromXen.message + pvhNote, evidence: [...(fromXen.evidence ?? []), ...(pvh ? refs(pvh.xen!.ref) : [])]}
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
      message: `${wanted} is not among the CPU features: HVM guests will not run, only paravirtualized ones.${why}${pvhNote}`,
      evidence: refs(f.identity.hypervisor, f.identity.vendor, ...Object.values(f.identity.flags).slice(0, 1), pvh?.xen?.ref),
      remedy: f.identity.hypervisor
        ? `Enable nested virtualization on the outer hypervisor (for KVM: \`modprobe kvm_intel nested=1\` or \`kvm_amd nested=1\`, and CPU model \`host\`), or run only PV guests.`
        : `Enable ${wanted} in the BIOS/firmware setup and power-cycle the machine, or run only PV guests.`,
    }
  },
}
