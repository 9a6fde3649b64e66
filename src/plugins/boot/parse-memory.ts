import {type Fact, fact} from '../../engine/types.js'
import {numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'

/** One size of Xen's `dom0_mem=`: an absolute size, a fraction of host memory, or (negative) what to leave free. */
export interface XenSize {
  text: string
  /** Absolute part in bytes (negative: subtracted from host memory). */
  bytes: number
  /** `25%` part, when given. */
  percent?: number
}

/** `dom0_mem=` as Xen reads it: a list of `min:<sz>`, `max:<sz>` and `<sz>` (docs/misc/xen-command-line). */
export interface Dom0Mem {
  text: string
  amount?: XenSize
  min?: XenSize
  max?: XenSize
}

const SHIFT: Record<string, number> = {B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4}

/**
 * A Xen size: a number with an optional B/K/M/G/T suffix, *kilobytes* when there is none
 * (the Howto's `dom0_mem=65536` is 64 MB); `<frac>%` and `<size>+<frac>%` (Xen 4.12 and later); a leading `-`.
 */
export function parseXenSize(text: string): XenSize | undefined {
  const m = /^(-)?(?:(\d{1,15})([bkmgt])?(?:\+(\d{1,3}(?:\.\d{1,6})?)%)?|(\d{1,3}(?:\.\d{1,6})?)%)$/i.exec(text.trim())
  if (!m) return undefined
  const unit = SHIFT[(m[3] ?? 'K').toUpperCase()]!
  const sign = m[1] ? -1 : 1
  const size: XenSize = {text, bytes: sign * Number(m[2] ?? 0) * unit}
  const percent = m[4] ?? m[5]
  if (percent !== undefined) size.percent = sign * Number(percent)
  return size
}

/** Never throws; undefined when the value is not a dom0_mem list. */
export function parseDom0Mem(value: string): Dom0Mem | undefined {
  const out: Dom0Mem = {text: value}
  for (const part of value.split(',')) {
    const m = /^(?:(min|max):)?(.*)$/.exec(part.trim())!
    const size = parseXenSize(m[2]!)
    if (!size) return undefined
    if (m[1] === 'min') out.min = size
    else if (m[1] === 'max') out.max = size
    else out.amount = size
  }

  return out.amount || out.min || out.max ? out : undefined
}

export function resolveXenSize(size: XenSize, hostBytes: number): number {
  const fraction = size.percent === undefined ? 0 : (Math.abs(size.percent) / 100) * hostBytes
  const absolute = Math.abs(size.bytes) + fraction
  return size.bytes < 0 || (size.percent ?? 0) < 0 ? hostBytes - absolute : absolute
}

/** Bytes without knowing host memory: only for absolute sizes. */
export function absoluteBytes(size: XenSize | undefined): number | undefined {
  return size && size.percent === undefined && size.bytes >= 0 ? size.bytes : undefined
}

/**
 * The memory dom0 gets on a host with `hostBytes`: the amount (or all of it), raised to `min`, capped at `max`.
 * Xen keeps some memory for itself, so this is an upper bound.
 */
export function dom0Bytes(mem: Dom0Mem | undefined, hostBytes: number): number {
  let bytes = mem?.amount ? resolveXenSize(mem.amount, hostBytes) : hostBytes
  if (mem?.min) bytes = Math.max(bytes, resolveXenSize(mem.min, hostBytes))
  if (mem?.max) bytes = Math.min(bytes, resolveXenSize(mem.max, hostBytes))
  return bytes
}

const DMESG_UNITS: Record<string, number> = {B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4}

/** `total memory = 2047 MB` of a NetBSD dmesg (format_bytes: B, KB, MB, GB, TB). */
export function findDmesgTotalMemory(text: string, source: string): Fact<number> | undefined {
  for (const {line, text: raw} of numberedLines(text)) {
    const m = /^total memory\s*=\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)\b/.exec(stripKernelTimestamp(raw))
    if (m) return fact(Math.round(Number(m[1]) * DMESG_UNITS[m[2]!]!), source, line, raw)
  }

  return undefined
}
