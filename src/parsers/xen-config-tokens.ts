/**
 * The tokenizer of the domain config language (xen-config.ts): Python's tokens as xm (Xen 3.x/4.1) and xl
 * (Xen 4.2+) configs use them: names, strings (single, double or triple quoted, with Python's escapes),
 * numbers (decimal, hex, octal, binary, float), operators, and newlines except inside brackets or after a
 * backslash. A bad character or number is an `error` token with its line and column, so the parser
 * reports it where it stands. Pure; never throws.
 */

export type Tok =
  | {kind: 'name'; value: string; line: number; col: number}
  | {kind: 'string'; value: string; line: number; col: number}
  | {kind: 'number'; value: number; line: number; col: number}
  | {kind: 'op'; value: string; line: number; col: number}
  | {kind: 'newline'; line: number; col: number}
  | {kind: 'error'; message: string; line: number; col: number}
  | {kind: 'eof'; line: number; col: number}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}

/** A token as an error message names it: `'='`, `a string`, `end of line`. */
export const describe = (t: Tok): string =>
  t.kind === 'eof'
    ? 'end of file'
    : t.kind === 'newline'
      ? 'end of line'
      : t.kind === 'string'
        ? 'a string'
        : t.kind === 'number'
          ? `number ${t.value}`
          : t.kind === 'error'
            ? t.message
            : `'${t.value}'`

/** Splits the text into tokens; newlines inside brackets and after `\` are not tokens, as in Python. */
export function tokenize(text: string): Tok[] {
  const toks: Tok[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  let depth = 0
  const col = (at: number) => at - lineStart + 1
  const newline = (at: number) => {
    line++
    lineStart = at + 1
  }

  while (i < text.length) {
    const c = text[i]!
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v') {
      i++
      continue
    }

    if (c === '\r' && text[i + 1] === '\n') {
      i++
      continue
    }

    if (c === '\n' || c === '\r') {
      if (depth === 0) toks.push({kind: 'newline', line, col: col(i)})
      newline(i)
      i++
      continue
    }

    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++
      continue
    }

    if (c === '\\') {
      // A line continuation: backslash, then (optional CR) newline.
      let j = i + 1
      if (text[j] === '\r') j++
      if (text[j] === '\n' || (j === i + 2 && text[i + 1] === '\r')) {
        const end = text[j] === '\n' ? j : j - 1
        newline(end)
        i = end + 1
        continue
      }

      toks.push({
        kind: 'error',
        message: 'a backslash outside a string must end the line (line continuation)',
        line,
        col: col(i),
      })
      i++
      continue
    }

    const str = /^([rRuUbB]{0,2})(['"])/.exec(text.slice(i, i + 3))
    if (str && /^(?:[rR]?[uUbB]?|[uUbB]?[rR]?)$/.test(str[1]!)) {
      const startLine = line
      const startCol = col(i)
      const raw = /r/i.test(str[1]!)
      const q = str[2]!
      let j = i + str[1]!.length
      const triple = text.startsWith(q.repeat(3), j)
      const close = triple ? q.repeat(3) : q
      j += close.length
      let value = ''
      let closed = false
      let error: string | undefined
      while (j < text.length) {
        if (text.startsWith(close, j)) {
          j += close.length
          closed = true
          break
        }

        const d = text[j]!
        if (d === '\n' || d === '\r') {
          if (!triple) break
          if (d === '\r' && text[j + 1] === '\n') j++
          value += '\n'
          newline(j)
          j++
          continue
        }

        if (d !== '\\') {
          value += d
          j++
          continue
        }

        const e = text[j + 1]
        if (e === undefined) {
          j++
          break
        }

        if (e === '\n' || e === '\r') {
          // Backslash-newline inside a string: the newline is dropped (kept with the backslash in raw strings).
          let k = j + 1
          if (e === '\r' && text[k + 1] === '\n') k++
          if (raw) value += '\\\n'
          newline(k)
          j = k + 1
          continue
        }

        if (raw) {
          value += d + e
          j += 2
          continue
        }

        if (e in SIMPLE_ESCAPES) {
          value += SIMPLE_ESCAPES[e]
          j += 2
        } else if (/[0-7]/.test(e)) {
          const m = /^[0-7]{1,3}/.exec(text.slice(j + 1, j + 4))!
          value += String.fromCharCode(Number.parseInt(m[0], 8) & 0xff)
          j += 1 + m[0].length
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
          const hex = text.slice(j + 2, j + 2 + n)
          const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === n ? Number.parseInt(hex, 16) : Number.NaN
          if (Number.isNaN(cp) || cp > 0x10ffff) {
            error ??= `invalid \\${e} escape at line ${line}, column ${col(j)}`
            value += d + e
            j += 2
          } else {
            value += String.fromCodePoint(cp)
            j += 2 + n
          }
        } else {
          // Python keeps unknown escapes as written (`\d` stays backslash-d).
          value += d + e
          j += 2
        }
      }

      if (!closed) {
        toks.push({
          kind: 'error',
          message: triple
            ? `unterminated triple-quoted string starting at line ${startLine}`
            : 'unterminated string (a quote is missing before the end of the line)',
          line: startLine,
          col: startCol,
        })
        i = j
        continue
      }

      toks.push(
        error
          ? {kind: 'error', message: error, line: startLine, col: startCol}
          : {kind: 'string', value, line: startLine, col: startCol},
      )
      i = j
      continue
    }

    const rest = text.slice(i, i + 64)
    const num =
      /^(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)[lL]?(?![\w.])/.exec(rest)
    if (num && /^[\d.]/.test(c)) {
      const t = num[0].replace(/[lL]$/, '')
      let value: number
      if (/^0[xX]/.test(t)) value = Number.parseInt(t.slice(2), 16)
      else if (/^0[oO]/.test(t)) value = Number.parseInt(t.slice(2), 8)
      else if (/^0[bB]/.test(t)) value = Number.parseInt(t.slice(2), 2)
      else if (/^0\d+$/.test(t))
        value = /^[0-7]+$/.test(t) ? Number.parseInt(t, 8) : Number.NaN // Python 2 octal: 0777
      else value = Number(t)
      if (Number.isNaN(value)) toks.push({kind: 'error', message: `invalid number ${t}`, line, col: col(i)})
      else toks.push({kind: 'number', value, line, col: col(i)})
      i += num[0].length
      continue
    }

    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)
    if (name) {
      // Names longer than the 64-character window continue; take them whole.
      let j = i + name[0].length
      while (j < text.length && /\w/.test(text[j]!)) j++
      toks.push({kind: 'name', value: text.slice(i, j), line, col: col(i)})
      i = j
      continue
    }

    if (c === '+' && text[i + 1] === '=') {
      toks.push({kind: 'op', value: '+=', line, col: col(i)})
      i += 2
      continue
    }

    if ('[({'.includes(c)) depth++
    if (')]}'.includes(c)) depth = Math.max(0, depth - 1)
    if ('=[](){},;:+-*/%.'.includes(c)) {
      toks.push({kind: 'op', value: c, line, col: col(i)})
      i++
      continue
    }

    const cp = text.codePointAt(i)!
    const shown =
      cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).padStart(4, '0').toUpperCase()}` : String.fromCodePoint(cp)
    toks.push({kind: 'error', message: `unexpected character '${shown}'`, line, col: col(i)})
    i += cp > 0xffff ? 2 : 1
  }

  toks.push({kind: 'eof', line, col: col(i)})
  return toks
}
