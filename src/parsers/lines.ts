/** Splits evidence text into lines, numbered from 1, tolerating CRLF and a missing final newline. */
export interface NumberedLine {
  line: number
  text: string
}

export function numberedLines(text: string): NumberedLine[] {
  const out: NumberedLine[] = []
  const parts = text.split(/\r?\n/)
  if (parts.length > 0 && parts.at(-1) === '') parts.pop()
  for (const [i, t] of parts.entries()) out.push({line: i + 1, text: t})
  return out
}

/** NetBSD 10 prefixes kernel messages with `[   1.0000030] `; the rest of the line is the classic message. */
export function stripKernelTimestamp(text: string): string {
  return text.replace(/^\[\s*\d+\.\d+\]\s?/, '')
}
