import type {Status} from '../engine/types.js'

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR wins. */
export function useColor(stream: {isTTY?: boolean} = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
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
