import {type Fact, fact} from '../engine/types.js'
import {numberedLines, stripKernelTimestamp} from './lines.js'

/** `hypervisor0 at mainbus0: Xen version 3.1.4`: the kernel runs as a Xen guest (dom0 or domU). */
export function findXenHypervisorLine(text: string, source: string): Fact<string> | undefined {
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^hypervisor0 at \S+:? Xen version (\d+\.\d+\S*)/.exec(stripKernelTimestamp(raw))
    if (m) return fact(m[1]!, source, line, raw)
  }

  return undefined
}
