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
import {describe, type Tok, tokenize} from './xen-config-tokens.js'

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
