/**
 * "Did you mean ...?" for mistyped command names, flags and check ids. A few lines instead of
 * @oclif/plugin-not-found (and its dependencies) on the start-up path; it runs only once a name is not found.
 */

/**
 * Edit distance where swapping two neighbours counts as one edit (optimal string alignment):
 * `cpu.hmv` is one edit from `cpu.hvm`, as a person sees it, not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[] = Array.from({length: rows * cols}, () => 0)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1)
      d[i * cols + j] = best
    }
  }

  return d[rows * cols - 1]!
}

/**
 * The candidates nearest to what was typed, best first: those at the smallest edit distance when it is
 * small for the word's length (one edit per three characters, at least one and at most three), else the
 * one candidate the word begins (`expl` -> `explain`). Case is ignored. Empty when nothing is close:
 * a far-fetched guess misleads more than none.
 */
export function nearest(typed: string, candidates: Iterable<string>, options: {max?: number} = {}): string[] {
  const word = typed.toLowerCase()
  const unique = [...new Set(candidates)].filter((c) => c.toLowerCase() !== word)
  if (word === '' || unique.length === 0) return []
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)))
  const scored = unique.map((c) => ({c, d: editDistance(word, c.toLowerCase())})).filter((s) => s.d <= limit)
  if (scored.length > 0) {
    const best = Math.min(...scored.map((s) => s.d))
    return scored
      .filter((s) => s.d === best)
      .map((s) => s.c)
      .slice(0, options.max ?? 3)
  }

  const prefixed = unique.filter((c) => word.length >= 2 && c.toLowerCase().startsWith(word))
  return prefixed.length === 1 ? prefixed : []
}

/** `did you mean X?` / `did you mean X or Y?`, or '' when nothing is close. */
export function didYouMean(
  typed: string,
  candidates: Iterable<string>,
  show: (c: string) => string = (c) => c,
): string {
  const near = nearest(typed, candidates)
  if (near.length === 0) return ''
  const names = near.map((c) => show(c))
  return `did you mean ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}?`
}
