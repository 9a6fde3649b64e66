/**
 * A tokenizer and parser for the subset of Python (xm, Xen 3.x/4.1) and of the xl configuration
 * language (Xen 4.2+) that domain configuration files use:
 *
 *   name = "string" | 'string' | """triple""" | 123 | 0x301 | -1 | 1.5 | True | False | None
 *   name = [ value, value, ]        (lists and tuples, over several lines, trailing comma allowed)
 *   name += [ ... ]                 (xl: append; Python: concatenation)
 *   # comments, `;` between statements, `\` line continuations, adjacent strings concatenated
 *   name = other_name               (a name assigned earlier, as Python would resolve it)
 *
 * Never `eval`. Anything else (expressions, `import`, `if`, dicts, function calls) is a syntax error
 * with its line and column; parsing resumes at the next statement so that a file with one bad line
 * still yields its other values. Never throws.
 */
import {type EvidenceRef, type Fact, fact} from '../engine/types.js'
import {errorText} from '../util/error-text.js'

/** A value of an xm/xl domain config: a string, number, boolean, nothing, or a list of them. */
export type ConfigValue = string | number | boolean | null | ConfigValue[]

export interface XenConfigError {
  line: number
  /** 1-based column (in characters) where the problem starts. */
  column: number
  message: string
}

export interface XenConfigAssignment {
  name: string
  op: '=' | '+='
  value: ConfigValue
  line: number
  column: number
  /** The source line where the statement starts. */
  text: string
  /** For a list value: where each element starts (line and its text), so findings can quote one entry. */
  items?: EvidenceRef[]
}

export interface ParsedXenConfig {
  /** Each name with its value after all assignments (`+=` applied), at the line of its last assignment. */
  values: Record<string, Fact<ConfigValue>>
  /** For list values: the line of each element, after `+=` (parallel to the list). */
  items: Record<string, EvidenceRef[]>
  assignments: XenConfigAssignment[]
  errors: XenConfigError[]
}

/** Past this many errors the file is plainly not a config; stop listing them. */
const MAX_ERRORS = 20
/** Nesting deeper than this is not a config either, and would risk the stack. */
const MAX_DEPTH = 64

type Tok =
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

const describe = (t: Tok): string =>
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

class SyntaxProblem {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly message: string,
  ) {}
}

interface Parsed {
  value: ConfigValue
  items?: EvidenceRef[]
}

/** Parses a domain configuration. `source` is the evidence name the facts will cite. Never throws. */
export function parseXenConfig(text: string, source: string): ParsedXenConfig {
  const out: ParsedXenConfig = {values: {}, items: {}, assignments: [], errors: []}
  try {
    parseInto(String(text ?? ''), source, out)
  } catch (error) {
    // Not expected; a parser bug must still end as a finding, not a crash.
    out.errors.push({line: 1, column: 1, message: `internal parser error: ${errorText(error)}`})
  }

  return out
}

function parseInto(text: string, source: string, out: ParsedXenConfig): void {
  const lines = text.split(/\r\n|\r|\n/)
  const lineText = (n: number) => lines[n - 1] ?? ''
  const toks = tokenize(text)
  let p = 0
  const peek = () => toks[p]!
  const next = () => toks[p < toks.length - 1 ? p++ : p]!

  const fail = (t: Tok, message: string): never => {
    throw new SyntaxProblem(t.line, t.col, t.kind === 'error' ? t.message : message)
  }

  const parseValue = (depth: number): Parsed => {
    const t = next()
    if (depth > MAX_DEPTH) fail(t, `lists nested deeper than ${MAX_DEPTH} levels`)
    if (t.kind === 'string') {
      let value = t.value
      // Adjacent string literals are one string, as in Python ('a' 'b' == 'ab').
      while (peek().kind === 'string') value += (next() as {value: string}).value
      return {value}
    }

    if (t.kind === 'number') return {value: t.value}
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      const n = next()
      if (n.kind !== 'number') fail(n, `expected a number after '${t.value}', found ${describe(n)}`)
      return {value: t.value === '-' ? -(n as {value: number}).value : (n as {value: number}).value}
    }

    if (t.kind === 'name') {
      if (t.value === 'True' || t.value === 'False') return {value: t.value === 'True'}
      if (t.value === 'None') return {value: null}
      const known = out.values[t.value]
      if (known) return {value: known.value, items: out.items[t.value]}
      fail(t, `name '${t.value}' is not defined (only literals and names assigned earlier are understood)`)
    }

    if (t.kind === 'op' && (t.value === '[' || t.value === '(')) {
      const closer = t.value === '[' ? ']' : ')'
      const value: ConfigValue[] = []
      const items: EvidenceRef[] = []
      for (;;) {
        const n = peek()
        if (n.kind === 'op' && n.value === closer) {
          next()
          break
        }

        const after = toks[p + 1]
        if (n.kind === 'name' && after?.kind === 'op' && (after.value === '=' || after.value === '+=')) {
          fail(
            n,
            `'${t.value}' opened at line ${t.line}, column ${t.col} is never closed: found the next assignment ('${n.value} ${after.value}') inside the list opened at line ${t.line}`,
          )
        }

        items.push({source, line: n.line, text: lineText(n.line)})
        value.push(parseValue(depth + 1).value)
        const sep = next()
        if (sep.kind === 'op' && sep.value === closer) break
        if (!(sep.kind === 'op' && sep.value === ',')) {
          fail(
            sep,
            sep.kind === 'eof'
              ? `'${t.value}' opened at line ${t.line}, column ${t.col} is never closed`
              : `expected ',' or '${closer}' in the list opened at line ${t.line}, found ${describe(sep)}`,
          )
        }
      }

      return {value, items}
    }

    if (t.kind === 'op' && t.value === '{') fail(t, 'dictionaries are not part of a domain configuration')
    return fail(t, `expected a value, found ${describe(t)}`)
  }

  const statement = () => {
    const t = next()
    if (t.kind !== 'name') fail(t, `expected a name at the start of a statement, found ${describe(t)}`)
    const name = (t as {value: string}).value
    const opTok = next()
    if (!(opTok.kind === 'op' && (opTok.value === '=' || opTok.value === '+='))) {
      const hint = /^(import|from|if|for|while|def|class|try|print|exec|with|del|global|lambda|return)$/.test(name)
        ? ` (Python '${name}' statements are not supported)`
        : ''
      fail(opTok, `expected '=' or '+=' after '${name}', found ${describe(opTok)}${hint}`)
    }

    const op = (opTok as {value: string}).value as '=' | '+='
    const parsed = parseValue(0)
    const end = peek()
    if (!(end.kind === 'newline' || end.kind === 'eof' || (end.kind === 'op' && end.value === ';'))) {
      fail(end, `unexpected ${describe(end)} after the value of '${name}' (expressions are not supported)`)
    }

    let value = parsed.value
    let items = parsed.items
    const prior = out.values[name]
    if (op === '+=' && prior) {
      const a = prior.value
      if (Array.isArray(a) && Array.isArray(value)) {
        value = [...a, ...value]
        items = [...(out.items[name] ?? []), ...(items ?? [])]
      } else if (typeof a === 'string' && typeof value === 'string') value = a + value
      else if (typeof a === 'number' && typeof value === 'number') value = a + value
      else fail(opTok, `cannot '+=' a ${typeName(value)} to '${name}', a ${typeName(a)}`)
    }

    // `+=` to a name never assigned: xl treats it as `=`; Python would raise NameError. Keep the value.
    const a: XenConfigAssignment = {name, op, value: parsed.value, line: t.line, column: t.col, text: lineText(t.line)}
    if (parsed.items) a.items = parsed.items
    out.assignments.push(a)
    out.values[name] = fact(value, source, t.line, lineText(t.line))
    if (Array.isArray(value) && items) out.items[name] = items
    else delete out.items[name]
  }

  while (peek().kind !== 'eof') {
    const t = peek()
    if (t.kind === 'newline' || (t.kind === 'op' && t.value === ';')) {
      next()
      continue
    }

    try {
      statement()
    } catch (error) {
      if (!(error instanceof SyntaxProblem)) throw error
      out.errors.push({line: error.line, column: error.column, message: error.message})
      if (out.errors.length >= MAX_ERRORS) {
        out.errors.push({line: error.line, column: error.column, message: `more than ${MAX_ERRORS} errors; stopped`})
        return
      }

      // Resume at the next logical line (brackets already swallow inner newlines in the tokenizer).
      while (peek().kind !== 'eof' && peek().kind !== 'newline') next()
    }
  }
}

function typeName(v: ConfigValue): string {
  return v === null ? 'None' : Array.isArray(v) ? 'list' : typeof v
}

/** The value as a string (strings only), else undefined. */
export function asString(f: Fact<ConfigValue> | undefined): string | undefined {
  return f && typeof f.value === 'string' ? f.value : undefined
}

/** The value as a number: numbers, and strings holding a decimal integer (xl accepts `memory = "256"`). */
export function asNumber(f: Fact<ConfigValue> | undefined): number | undefined {
  if (!f) return undefined
  if (typeof f.value === 'number') return f.value
  if (typeof f.value === 'string' && /^\s*\d+\s*$/.test(f.value)) return Number(f.value)
  return undefined
}

/** A list of strings: a list's string elements, or a single string as a one-element list. */
export function asStringList(f: Fact<ConfigValue> | undefined): string[] | undefined {
  if (!f) return undefined
  if (typeof f.value === 'string') return [f.value]
  if (Array.isArray(f.value)) return f.value.filter((v): v is string => typeof v === 'string')
  return undefined
}
