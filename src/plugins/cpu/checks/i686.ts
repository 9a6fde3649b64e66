import {type CheckDefinition, TARGETS, refs} from '../../../engine/types.js'
import {cpu, EVIDENCE, longModeElsewhere, noCpuEvidence} from '../common.js'

export const i686: CheckDefinition = {
  id: 'cpu.i686',
  title: 'CPU is i686-class or better',
  since: '0.1.0',
  actor: 'hardware',
  targets: TARGETS,
  evidence: EVIDENCE,
  description:
    "The CPU class NetBSD prints (`(686-class)`, `Intel 686-class, 2992MHz`, on the `cpu0:` or the `cpu0 at mainbus0 ...:` line), the family of cpuctl's `family 0x6 model ... (id 0x...)` line or decoded from `id 0x...` (family 4 is 486-, 5 is 586-, 6 and later 686-class), or the family in /proc/cpuinfo; any 64-bit CPU qualifies.",
  why: 'Xen is a virtual machine monitor for x86 hardware and requires i686-class CPUs (Howto, Introduction).',
  remedy:
    'Use a machine with an i686-class (Pentium Pro or later) or 64-bit x86 CPU; 486- and 586-class CPUs cannot run Xen.',
  run(ctx) {
    const f = cpu(ctx)
    const {cpuClass} = f.identity
    if (f.caps.longMode)
      return {
        status: 'pass',
        message: `64-bit CPU (${f.caps.longMode.value}), i686-class or better`,
        evidence: refs(f.caps.longMode, cpuClass),
      }
    // A running amd64 kernel or a 64-bit hypervisor proves a 64-bit CPU even when no CPU line was kept.
    const elsewhere = cpuClass ? undefined : longModeElsewhere(f)
    if (elsewhere)
      return {
        status: 'pass',
        message: `64-bit CPU (${elsewhere.source === 'uname.txt' ? `the running kernel is ${elsewhere.value}` : `xen_caps: ${elsewhere.value}`}), i686-class or better`,
        evidence: refs(elsewhere),
      }
    if (!cpuClass) return noCpuEvidence(f)
    const family = f.identity.family
    const how =
      family && !/\d86-class/.test(cpuClass.text)
        ? ` (family ${family.value}${/id 0x/.test(family.text) && !/family /.test(family.text) ? ', decoded from the CPUID signature' : ''})`
        : ''
    if (cpuClass.value >= 6)
      return {status: 'pass', message: `${cpuClass.value}86-class CPU${how}`, evidence: refs(cpuClass)}
    return {
      status: 'fail',
      message: `${cpuClass.value}86-class CPU${how}: Xen needs i686-class or better`,
      evidence: refs(cpuClass),
    }
  },
}
