import {type CheckContext, type Fact, type Outcome, refs} from '../../engine/types.js'
import type {XenFacts} from '../facts.js'
import {type CpuFacts, CPU_SOURCES} from './facts.js'

export const cpu = (ctx: CheckContext): CpuFacts => ctx.facts('cpu')
export const EVIDENCE = [...CPU_SOURCES, 'uname.txt', 'linux-virt.txt'] as const
export const HOW_TO_GET =
  'Run `cpuctl identify 0 > cpuctl-identify.txt` on the NetBSD host (or save `/proc/cpuinfo` as proc-cpuinfo.txt on a Linux host before installing).'

export function noCpuEvidence(f: CpuFacts): Outcome {
  return {
    status: 'unknown',
    message: `no CPU identification found (${f.tried.join('; ') || 'no evidence'})`,
    remedy: HOW_TO_GET,
  }
}

/** The Xen 3.x/4.1 era of the Howto (xm): i386 dom0s and PAE rules still apply there. */
export function oldEra(ctx: CheckContext): XenFacts | undefined {
  const x: XenFacts | undefined = ctx.optionalFacts('xen').value
  return x?.era === 'xm' ? x : undefined
}

/**
 * A CPU named by a plain (non-verbose) dmesg, without features lines: VMX/SVM, PAE and 64-bit cannot be told.
 * cpu.hvm, cpu.64bit and cpu.pae return this same outcome, so the text report folds them into one line with one fix.
 */
export function noFeatures(f: CpuFacts): Outcome {
  return {
    status: 'unknown',
    message: `${f.identity.source} names the CPU but has no features lines (NetBSD prints them only on a verbose boot): VMX/SVM, PAE and 64-bit cannot be told from it`,
    evidence: refs(f.identity.model ?? f.identity.cpuClass),
    remedy:
      'Run `cpuctl identify 0 > cpuctl-identify.txt` on the NetBSD host (or boot with `boot -v` and save the dmesg) and check again.',
  }
}

/**
 * Evidence other than CPUID flags that the CPU runs 64-bit code: a 64-bit hypervisor (`xen-3.0-x86_64` in
 * `xen_caps`) or a running amd64/x86_64 kernel (`uname -a`).
 */
export function longModeElsewhere(f: CpuFacts): Fact<string> | undefined {
  if (f.xenCaps && /\bxen-\d+\.\d+-x86_64\b/.test(f.xenCaps.value)) return f.xenCaps
  if (f.arch && /^(?:amd64|x86_64)$/.test(f.arch.value)) return f.arch
  return undefined
}
