import {type Fact, fact} from '../engine/types.js'
import {numberedLines, stripKernelTimestamp} from './lines.js'
import {runMemo} from '../util/run-memo.js'

/**
 * `hypervisor0 at mainbus0: Xen version 3.1.4`: the kernel runs as a Xen guest (dom0 or domU). Shared within a run
 * (util/run-memo.ts): the boot, cpu and host plugins each ask.
 */
export const findXenHypervisorLine = runMemo(function findXenHypervisorLine(
  text: string,
  source: string,
): Fact<string> | undefined {
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^hypervisor0 at \S+:? Xen version (\d+\.\d+\S*)/.exec(stripKernelTimestamp(raw))
    if (m) return fact(m[1]!, source, line, raw)
  }

  return undefined
})
