import type {CpuFacts} from '../facts.js'
import {type Outcome, refs, type CheckDefinition, TARGETS} from '../../../engine/types.js'
import {pvhDom0Entry} from '../../boot-entries.js'
import {cpu, EVIDENCE, noCpuEvidence, noFeatures} from '../common.js'

const BIOS_REMEDY =
  "Enable Intel VT-x / AMD-V (SVM) in the BIOS/firmware setup and power-cycle the machine (a reboot may keep the firmware's lock), or run only PV guests."

/**
 * Shadow paging when Xen found no HAP (EPT/NPT): HVM and PVH guests run, slowly. A warn where such guests are the
 * point, and with a PVH dom0, which then runs on shadow paging itself (xen/arch/x86/setup.c create_dom0: the
 * PVH dom0 gets XEN_DOMCTL_CDF_hap only when hvm_hap_supported() and no dom0=shadow; Xen 4.19-4.20).
 */
function withHap(f: CpuFacts, target: string, out: Outcome, pvhDom0 = false): Outcome {
  const hap = f.xenBootLog?.hap
  if (out.status !== 'pass' || !hap || hap.value === 'detected') return out
  const what =
    hap.value === 'disabled'
      ? 'HAP (EPT/NPT) is turned off on the Xen command line (hap=0)'
      : 'Xen found no Hardware Assisted Paging (EPT/NPT) on this CPU'
  const message = `${out.message}; but ${what}: ${pvhDom0 ? 'the PVH dom0 itself and ' : ''}HVM and PVH guests run with shadow paging, much slower`
  if (target !== 'hvm' && !pvhDom0) return {...out, message, evidence: [...(out.evidence ?? []), ...refs(hap)]}
  return {
    status: 'warn',
    message,
    evidence: [...(out.evidence ?? []), ...refs(hap)],
    remedy:
      hap.value === 'disabled'
        ? 'Remove `hap=0` (or `hap=false`) from the Xen command line in boot.cfg.'
        : pvhDom0
          ? 'Use a CPU with EPT (Intel) or NPT/RVI (AMD) for a PVH dom0, or boot the PV dom0 kernel (XEN3_DOM0) without `dom0=pvh`.'
          : 'Use a CPU with EPT (Intel) or NPT/RVI (AMD) for HVM and PVH guests, or run PV guests.',
  }
}

function hvmFromXenCaps(f: CpuFacts, target: string): Outcome | undefined {
  if (!f.xenCaps) return undefined
  const hvm = /\bhvm-\d/.test(f.xenCaps.value)
  const evidence = refs(f.xenCaps, f.virtCaps)
  if (hvm)
    return {status: 'pass', message: `the hypervisor reports HVM support (xen_caps: ${f.xenCaps.value})`, evidence}
  return {
    status: target === 'hvm' ? 'fail' : 'warn',
    message: `the running hypervisor reports no HVM capability (xen_caps: ${f.xenCaps.value}); HVM guests will not start`,
    evidence,
    remedy:
      'Enable Intel VT-x or AMD-V (SVM) in the BIOS/firmware setup and reboot; on a virtual machine enable nested virtualization on the outer host.',
  }
}

export const hvm: CheckDefinition = {
  id: 'cpu.hvm',
  title: 'CPU supports hardware virtualization (VMX or SVM) for HVM guests',
  since: '0.1.0',
  actor: 'firmware',
  targets: TARGETS,
  evidence: [...EVIDENCE, 'xl-info.txt', 'xm-info.txt', 'xl-dmesg.txt'],
  description:
    "The VMX (Intel VT) or SVM (AMD-V) token inside `<...>` of any `cpu0: features…` line of `cpuctl identify 0` (the line that carries it changed name between NetBSD releases), the `vmx`/`svm` flag in /proc/cpuinfo, or on a running dom0 the `hvm-3.0-…` entries of `xen_caps` in `xl info`/`xm info` and the hypervisor's boot log (`xl dmesg`: `HVM: VMX enabled` / `HVM: SVM enabled`, `VMX disabled by BIOS`, `HVM: Hardware Assisted Paging (HAP) not detected`, which warns for --target hvm). `Support for HVM VMs:` is Xen's speculative-execution mitigation summary and says nothing about HVM support.",
  why: 'Unmodified guests (HVM) need the CPU\'s VT (Intel, VMX) or SVM (AMD) instructions; "Note that your CPU needs to support this" (Howto). Paravirtualized NetBSD guests do not need it; a PVH dom0 (`dom0=pvh`) does: "Requires hardware virtualisation support (Intel VMX / AMD SVM)" (Xen SUPPORT.md), so then it fails for any target.',
  remedy:
    'Enable Intel VT-x / AMD-V (SVM) in the BIOS/firmware setup; on a virtual machine, enable nested virtualization on the outer hypervisor. Without it, run only paravirtualized (PV) guests.',
  run(ctx) {
    return judge(cpu(ctx), ctx.target, pvhDom0Entry(ctx.optionalFacts('boot').value))
  },
}

/** A PVH dom0 (`dom0=pvh` on the default entry) needs VMX/SVM itself: no HVM is then a fail for every target. */
function judge(f: CpuFacts, target: string, pvh: ReturnType<typeof pvhDom0Entry>): Outcome {
  const out = judgeHvm(f, pvh ? 'hvm' : target, target, Boolean(pvh))
  if (!pvh || out.status !== 'fail') return out
  return {
    ...out,
    message: `${out.message} The default boot entry asks for a PVH dom0 (\`dom0=pvh\`): without VMX/SVM the dom0 itself cannot be built.`,
    evidence: [...(out.evidence ?? []), ...refs(pvh.xen!.ref)],
  }
}

/** `judged` is the target the absence is judged for (hvm for a PVH dom0), `target` the one HAP is warned for. */
function judgeHvm(f: CpuFacts, judged: string, target: string, pvhDom0: boolean): Outcome {
  const absentStatus = judged === 'hvm' ? 'fail' : 'warn'
  const fromXen = hvmFromXenCaps(f, judged)
  if (fromXen) return withHap(f, target, fromXen, pvhDom0)
  // The hypervisor's own boot log: on a running dom0 it is the authority, as dom0's CPUID may hide VMX/SVM.
  const log = f.xenBootLog
  if (log?.hvm)
    return withHap(
      f,
      target,
      {
        status: 'pass',
        message: `the hypervisor enabled ${log.hvm.value} at boot: HVM guests can run`,
        evidence: refs(log.hvm),
      },
      pvhDom0,
    )
  if (log && log.hvmDisabled.length > 0) {
    return {
      status: absentStatus,
      message: `the hypervisor found hardware virtualization locked off by the firmware ("${log.hvmDisabled[0]!.value}"): HVM guests will not start, only PV ones`,
      evidence: refs(...log.hvmDisabled.slice(0, 2)),
      remedy: BIOS_REMEDY,
    }
  }

  if (f.xenGuest && !f.caps.hvm) {
    return {
      status: 'unknown',
      message: `this host already runs under Xen (${f.xenGuest.value}); dom0's CPUID may hide VMX/SVM, so only the hypervisor can tell`,
      evidence: refs(f.xenGuest),
      remedy:
        'Run `xl info > xl-info.txt` (or `xm info > xm-info.txt` with Xen 3.x/4.1) on the running dom0 and check again: `xen_caps` lists `hvm-3.0-…` when HVM guests can run.',
    }
  }

  if (!f.identity.source) return noCpuEvidence(f)
  if (f.identity.svmDisabledByBios) {
    return {
      status: absentStatus,
      message: 'the CPU has SVM (AMD-V) but the firmware locked it off: HVM guests will not start, only PV ones',
      evidence: refs(f.identity.svmDisabledByBios, f.caps.hvm),
      remedy: BIOS_REMEDY,
    }
  }

  if (f.caps.hvm) {
    return {
      status: 'pass',
      message: `${f.caps.hvm.value.toUpperCase()} is present: HVM guests can run`,
      evidence: refs(f.caps.hvm),
    }
  }

  if (!f.identity.featuresSeen) return noFeatures(f)

  const vendor = f.identity.vendor?.value
  if (vendor === 'amd' && !f.identity.amdExtendedEcxDecoded) {
    return {
      status: 'unknown',
      message:
        'this NetBSD kernel does not decode CPUID 0x80000001:ECX, the word that holds SVM, so its absence proves nothing',
      evidence: refs(f.identity.vendor),
      remedy:
        "Check the CPU model's specification for AMD-V, or run `cpuctl identify 0` from a newer NetBSD release (5.1 or later decodes SVM).",
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
}
