import {runMemo} from '../util/run-memo.js'

/** Splits evidence text into lines, numbered from 1, tolerating CRLF and a missing final newline. */
export interface NumberedLine {
  line: number
  text: string
}

/** Shared within a run (util/run-memo.ts): callers must not change the array or its lines. */
export const numberedLines = runMemo(function numberedLines(text: string): readonly NumberedLine[] {
  const parts = text.split(/\r?\n/)
  if (parts.length > 0 && parts.at(-1) === '') parts.pop()
  const out: NumberedLine[] = Array.from({length: parts.length})
  for (let i = 0; i < parts.length; i++) out[i] = {line: i + 1, text: parts[i]!}
  return out
})

/** NetBSD 10 prefixes kernel messages with `[   1.0000030] `; the rest of the line is the classic message. */
export function stripKernelTimestamp(text: string): string {
  // Most lines have no timestamp, and every dmesg parser calls this on every line.
  return text.charCodeAt(0) === 0x5b ? text.replace(/^\[\s*\d+\.\d+\]\s?/, '') : text
}
