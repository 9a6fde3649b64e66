import type {CheckContext, Outcome} from '../../engine/types.js'
import {type CpuFacts, CPU_SOURCES} from './facts.js'


export const cpu = (ctx: CheckContext) => ctx.facts<CpuFacts>('cpu')
export const EVIDENCE = [...CPU_SOURCES, 'uname.txt', 'linux-virt.txt'] as const
export const HOW_TO_GET = 'Run `cpuctl identify 0 > cpuctl-identify.txt` on the NetBSD host (or save `/proc/cpuinfo` as proc-cpuinfo.txt on a Linux host before installing).'

export function noCpuEvidence(f: CpuFacts): Outcome {
  return {status: 'unknown', message: `no CPU identification found (${f.tried.join('; ') || 'no evidence'})`, remedy: HOW_TO_GET}
}
