import type {Status} from '../engine/types.js'
import type {Verdict} from './verdict.js'

/**
 * Whether to colour: `--color`/`--no-color` (`flag`) decide when given, as command-line arguments override
 * the environment (https://no-color.org); then NO_COLOR (non-empty) means none, even with FORCE_COLOR, as
 * the README promises; then FORCE_COLOR (not `0`) means colour even off a terminal or with TERM=dumb;
 * otherwise colour only on a terminal that is not TERM=dumb.
 */
export function useColor(
  stream: {isTTY?: boolean} = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

const CODES: Record<Status, [number, number]> = {
  pass: [32, 39],
  warn: [33, 39],
  fail: [31, 39],
  unknown: [35, 39],
  'n/a': [90, 39],
  error: [41, 49],
}

export function paint(status: Status, text: string, color: boolean): string {
  if (!color) return text
  const [open, close] = CODES[status]
  return `\u001B[${open}m${text}\u001B[${close}m`
}

export function bold(text: string, color: boolean): string {
  return color ? `\u001B[1m${text}\u001B[22m` : text
}

const VERDICT_STATUS: Record<Verdict, Status> = {ready: 'pass', 'not-ready': 'fail', 'cannot-tell': 'unknown'}

export function paintVerdict(verdict: Verdict, text: string, color: boolean): string {
  return bold(paint(VERDICT_STATUS[verdict], text, color), color)
}
