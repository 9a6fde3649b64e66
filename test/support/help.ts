/** The lines of one section (`DESCRIPTION`, `EXAMPLES`, ...) of an oclif help text, without their indent. */
export function section(help: string, name: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf(name)
  if (start < 0) return []
  const end = lines.findIndex((l, i) => i > start && /^[A-Z][A-Z ]+$/.test(l))
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim())
}
