import type {ReportFinding as Finding} from './report.js'

function foldKey(f: Finding): string | undefined {
  if ((f.status !== 'n/a' && f.status !== 'unknown') || f.subject) return undefined
  return JSON.stringify([
    f.status,
    f.message,
    f.remedy,
    f.pending ?? '',
    f.evidence.map((e) => [e.source, e.line, e.text]),
    f.waived ?? null,
    f.waiverExpired ?? null,
    f.adjusted ?? null,
  ])
}

/**
 * `n/a` and `unknown` findings of a plugin that say the same thing (same reason, same evidence, same fix)
 * become one line naming all their ids, at the place of the first: on a host before the install, twenty
 * identical "applies once NetBSD is installed" lines, or four "no CPU identification found" with the
 * same fix, would bury the rest.
 */
export function foldFindings(findings: readonly Finding[], verbose = false): Finding[] {
  if (verbose) return [...findings]
  const out: Finding[] = []
  const at = new Map<string, number>()
  for (const f of findings) {
    const key = foldKey(f)
    const index = key === undefined ? undefined : at.get(key)
    if (index === undefined) {
      if (key !== undefined) at.set(key, out.length)
      out.push(f)
    } else {
      out[index] = {...out[index]!, id: `${out[index]!.id}, ${f.id}`}
    }
  }

  return out
}
