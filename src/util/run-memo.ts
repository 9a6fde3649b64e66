/**
 * Memos that live for one dump's run of the checks. Several plugins read the same evidence with the same pure
 * parser (the dmesg's lines, `xl info`'s keys), and each would otherwise split and match it again: in a fleet
 * that was a tenth of the time. Outside a run nothing is kept, and no run sees another dump's results.
 * A memoized parser's result is shared by its callers, so they must not change it.
 */
type Key = string | undefined

/**
 * The tests set XENREADY_FREEZE_RUN_MEMO=1 (vitest.config.ts): every remembered result is then frozen, so a caller
 * that changes a result other callers share throws, and the goldens show it.
 */
const freezeResults = process.env.XENREADY_FREEZE_RUN_MEMO === '1'

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const v of Object.values(value)) deepFreeze(v)
  return value
}
let scope: Map<unknown, Map<Key, unknown>> | undefined

/** Runs `fn` with fresh memos, dropped when it returns (runs nest: an inner run has its own). */
export function withRunMemo<T>(fn: () => T): T {
  const outer = scope
  scope = new Map()
  try {
    return fn()
  } finally {
    scope = outer
  }
}

/**
 * `fn` remembered within a run, by its string arguments (an optional one left out is another key than its
 * default given). The text comes first: its key is the string itself,
 * which V8 compares by identity before content, so a lookup costs no copy of the text.
 */
export function runMemo<A extends readonly Key[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    if (!scope) return fn(...args)
    let memo = scope.get(fn) as Map<Key, unknown> | undefined
    if (!memo) scope.set(fn, (memo = new Map()))
    // One level per argument after the first, so no key is built by joining the text with the others.
    let level: Map<Key, unknown> = memo
    for (let i = 0; i < args.length - 1; i++) {
      let next = level.get(args[i]) as Map<Key, unknown> | undefined
      if (!next) level.set(args[i], (next = new Map()))
      level = next
    }

    const last = args.length === 0 ? '' : args.at(-1)
    if (level.has(last)) return level.get(last) as R
    const result = freezeResults ? deepFreeze(fn(...args)) : fn(...args)
    level.set(last, result)
    return result
  }
}
