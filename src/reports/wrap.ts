/**
 * Word wrapping for the text report on a terminal. Pure: widths are display columns, so colour codes
 * take none, combining marks none, and East Asian wide characters (and emoji) two.
 */

const ANSI = /\u001B\[[0-9;]*m/g
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F\u2060\uFEFF]/u
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u

/** Columns a string takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text.replace(ANSI, '')) {
    if (ZERO_WIDTH.test(ch)) continue
    width += WIDE.test(ch) ? 2 : 1
  }

  return width
}

/**
 * Wraps `text` after `prefix` (which may hold colour codes) to `width` columns; continuation lines start
 * with `hang` spaces. Breaks only between words, dropping the blank run it breaks at and keeping every
 * other run as it is (evidence lines have aligned columns); a word longer than a line (a path, a URL)
 * gets a line of its own and is never split. Tabs count as one space. Without a width: one line.
 */
export function wrapText(prefix: string, text: string, width: number | undefined, hang: number): string[] {
  if (width === undefined || width <= 0) return [prefix + text]
  const tokens = text.replace(/\t/g, ' ').match(/\s*\S+/g) ?? []
  const lines: string[] = []
  let line = prefix
  let used = displayWidth(prefix)
  let empty = true
  const indent = ' '.repeat(hang)
  for (const token of tokens) {
    const word = token.trimStart()
    if (empty) {
      // The first word of a line goes there whatever its width: a word is never split.
      line += used === 0 && lines.length === 0 ? token : word
      used += displayWidth(used === 0 && lines.length === 0 ? token : word)
      empty = false
      continue
    }

    const tokenWidth = displayWidth(token)
    if (used + tokenWidth <= width) {
      line += token
      used += tokenWidth
      continue
    }

    lines.push(line)
    line = indent + word
    used = hang + displayWidth(word)
  }

  lines.push(line)
  return lines
}
