import {type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'
import {runMemo} from '../util/run-memo.js'

/**
 * `key : value` lines as printed by `xm info` / `xl info`, and `key = value` lines of `sysctl`.
 * The first occurrence of a key wins; lines that are neither are ignored. Shared within a run (util/run-memo.ts).
 */
export const parseKeyValues = runMemo(function parseKeyValues(
  text: string,
  source: string,
  separator: ':' | '=',
): Readonly<Record<string, Fact<string>>> {
  const out: Record<string, Fact<string>> = {}
  const re = separator === ':' ? /^([A-Za-z_][\w.-]*)\s*:\s?(.*)$/ : /^([A-Za-z_][\w.-]*)\s*=\s?(.*)$/
  for (const {line, text: t} of numberedLines(text)) {
    const m = re.exec(t.trim())
    if (m && !(m[1]! in out)) out[m[1]!] = fact(m[2]!.trim(), source, line, t)
  }

  return out
})
