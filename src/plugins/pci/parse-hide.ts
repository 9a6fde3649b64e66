import {type PciAddress, hexBdf, inRange} from '../../parsers/pci-address.js'

/**
 * The `pciback.hide=` value, parsed exactly as the NetBSD dom0 kernel parses it
 * (sys/arch/xen/xen/pciback.c, pciback_pci_init() and pciback_parse_pci(), rev 1.18):
 *
 * - the value is a run of `(...)` groups with nothing between them; anything else where a `(` is
 *   expected, or a `(` without a `)`, makes the kernel print `pciback_pci_init: syntax error at ...`
 *   and STOP: later groups are ignored and the pci backend is not registered at all;
 * - inside a group: there must be a `:`; a group starting with `0000` skips to after its first `:`
 *   (the domain); then bus = strtoul(16) followed by `:`, device = strtoul(16) followed by `.`,
 *   function = strtoul(16) ending the group. A bad group prints `syntax error at char X` and is
 *   skipped; parsing goes on with the next group.
 *
 * strtoul accepts what the Howto does not document (leading blanks, a sign, `0x`, no digits at all
 * meaning 0, one or three digits): the kernel decides, so those are warnings, not errors.
 * xen_parse_cmdline (xen_machdep.c) copies the value with strncpy into `char xcp_pcidevs[64]`,
 * and splits the command line at single spaces.
 */
export interface HideProblem {
  severity: 'error' | 'warning'
  /** 1-based character position in the value (0: the value as a whole). */
  position: number
  message: string
}

export interface HideGroup {
  /** The group as written, parentheses included. */
  text: string
  /** 1-based position of its `(` in the value. */
  position: number
  /** Set when the kernel accepts the group (even if the address can never match a device). */
  address?: PciAddress
  problems: HideProblem[]
}

export interface HideParse {
  value: string
  groups: HideGroup[]
  /** Problems outside any group (stray characters, unbalanced parentheses, length). */
  problems: HideProblem[]
  /** Devices the kernel claims: accepted groups with real bus/device/function numbers, duplicates once. */
  devices: PciAddress[]
  /** Position where the kernel stopped with `syntax error at`, when it did. */
  stoppedAt?: number
}

/** The size of `xcp_pcidevs` in sys/arch/xen/include/xen.h. */
export const KERNEL_HIDE_BUFFER = 64

const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c)
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c)

interface StrtoulResult {
  /** The value as the kernel stores it in a u_int. */
  value: number
  /** Index of the first character not consumed (the start when there were no digits). */
  end: number
  digits: string
  /** Undocumented extras strtoul accepted: leading blanks, sign, 0x. */
  extras: string[]
}

/** strtoul(s + start, &end, 16) as NetBSD's libkern does it, truncated to u_int. */
function strtoul16(s: string, start: number): StrtoulResult {
  let i = start
  const extras: string[] = []
  while (isSpace(s[i])) i++
  if (i > start) extras.push('blank before the number')
  let negative = false
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-'
    extras.push(`a "${s[i]}" sign`)
    i++
  }

  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isHex(s[i + 2])) {
    extras.push('a "0x" prefix')
    i += 2
  }

  const first = i
  while (isHex(s[i])) i++
  const digits = s.slice(first, i)
  if (digits.length === 0) return {value: 0, end: start, digits: '', extras: []}
  // u_long arithmetic (saturating at ULONG_MAX on overflow), then the assignment to a u_int.
  const ulongMax = (1n << 64n) - 1n
  let v = BigInt(`0x${digits}`)
  if (v > ulongMax) v = ulongMax
  else if (negative) v = ((1n << 64n) - v) & ulongMax
  return {value: Number(v & 0xffffffffn), end: i, digits, extras}
}

const quote = (c: string | undefined) =>
  c === undefined ? 'the end of the group' : c === '(' ? 'a "(" inside a group (unbalanced parentheses)' : `"${c}"`

/** pciback_parse_pci() on the text between `(` and `)`; `offset` is the 1-based position of that text. */
function parseLocation(str: string, offset: number): {address?: PciAddress; problems: HideProblem[]} {
  const problems: HideProblem[] = []
  const error = (at: number, message: string) => ({
    problems: [...problems, {severity: 'error' as const, position: offset + at, message}],
  })
  const colon = str.indexOf(':')
  if (colon === -1) return error(0, `no ":" in "${str}": the kernel needs bus:device.function, e.g. (00:0a.0)`)
  let p = 0
  if (str.startsWith('0000')) {
    p = colon + 1
    problems.push({
      severity: 'warning',
      position: offset,
      message: `a "${str.slice(0, colon + 1)}" domain prefix: the kernel skips it, but the Howto documents (bus:dev.func) without it`,
    })
  }

  const bus = strtoul16(str, p)
  if (str[bus.end] !== ':') {
    const c = str[bus.end]
    return error(
      bus.end,
      c === '.'
        ? `"." after the bus number where the kernel needs ":" (bus:device.function)`
        : `${quote(c)} where the kernel needs a hex bus number followed by ":"`,
    )
  }

  const dev = strtoul16(str, bus.end + 1)
  if (str[dev.end] !== '.') {
    const c = str[dev.end]
    return error(
      dev.end,
      c === ':'
        ? 'wrong separator: ":" after the device number where the kernel needs "." (bus:device.function, e.g. (00:0a.0))'
        : `${quote(c)} where the kernel needs a hex device number followed by "."`,
    )
  }

  const func = strtoul16(str, dev.end + 1)
  if (func.end !== str.length) {
    const c = str[func.end]
    return error(
      func.end,
      isSpace(c)
        ? 'a blank after the function number'
        : `${quote(c)} after the function number, where the group must end (not a hex digit)`,
    )
  }

  const address = {domain: 0, bus: bus.value, device: dev.value, function: func.value}
  for (const [what, r, width] of [
    ['bus', bus, 2],
    ['device', dev, 2],
    ['function', func, 1],
  ] as const) {
    if (r.digits === '')
      problems.push({
        severity: 'warning',
        position: offset + r.end,
        message: `no ${what} number: the kernel reads it as 0`,
      })
    else if (r.digits.length !== width) {
      problems.push({
        severity: 'warning',
        position: offset,
        message: `${what} "${r.digits}" has ${r.digits.length} digit${r.digits.length === 1 ? '' : 's'}: the kernel accepts it (hex), the Howto writes ${width} (${hexBdf(address)})`,
      })
    }

    for (const extra of r.extras)
      problems.push({
        severity: 'warning',
        position: offset,
        message: `${extra} in the ${what} number: strtoul accepts it, the Howto does not document it`,
      })
  }

  const limits: Array<[string, number, number]> = [
    ['bus', address.bus, 255],
    ['device', address.device, 31],
    ['function', address.function, 7],
  ]
  for (const [what, value, max] of limits) {
    if (value > max)
      problems.push({
        severity: 'error',
        position: offset,
        message: `${what} 0x${value.toString(16)} (${value}) is above ${max}: the kernel accepts the group but no PCI device has that number, so nothing attaches`,
      })
  }

  return {address, problems}
}

/** Parses a `pciback.hide=` value; never throws. */
export function parseHideValue(value: string): HideParse {
  const out: HideParse = {value, groups: [], problems: [], devices: []}
  if (value.length >= KERNEL_HIDE_BUFFER) {
    out.problems.push({
      severity: 'error',
      position: KERNEL_HIDE_BUFFER,
      message: `the value is ${value.length} characters: the kernel copies it into a ${KERNEL_HIDE_BUFFER}-byte buffer (xcp_pcidevs) with strncpy, so at most ${KERNEL_HIDE_BUFFER - 1} characters are read safely; split the devices or shorten the groups`,
    })
  }

  if (value === '') {
    out.problems.push({severity: 'warning', position: 0, message: 'the value is empty: nothing is hidden'})
    return out
  }

  let i = 0
  while (i < value.length) {
    if (value[i] !== '(') {
      const c = value[i]!
      const message =
        c === ')'
          ? `unbalanced parentheses: a ")" at position ${i + 1} closes no group`
          : isSpace(c)
            ? `a blank at position ${i + 1} between groups`
            : `"${c}" at position ${i + 1} where a "(" must start the next group (groups follow each other with nothing between)`
      out.problems.push({
        severity: 'error',
        position: i + 1,
        message: `${message}; the kernel stops here ("pciback_pci_init: syntax error at ${value.slice(i)}"), ignores the rest and does not register the PCI backend`,
      })
      out.stoppedAt = i + 1
      break
    }

    const close = value.indexOf(')', i + 1)
    if (close === -1) {
      out.problems.push({
        severity: 'error',
        position: i + 1,
        message: `unbalanced parentheses: the "(" at position ${i + 1} is never closed; the kernel stops here and does not register the PCI backend`,
      })
      out.stoppedAt = i + 1
      break
    }

    const inner = value.slice(i + 1, close)
    const parsed = parseLocation(inner, i + 2)
    const group: HideGroup = {text: value.slice(i, close + 1), position: i + 1, problems: parsed.problems}
    if (parsed.address) group.address = parsed.address
    out.groups.push(group)
    i = close + 1
  }

  const seen = new Set<string>()
  for (const g of out.groups) {
    if (!g.address || !inRange(g.address)) continue
    const k = hexBdf(g.address)
    if (seen.has(k)) {
      g.problems.push({severity: 'warning', position: g.position, message: `${k} is listed twice`})
      continue
    }

    seen.add(k)
    out.devices.push(g.address)
  }

  return out
}

/** Every problem of a parse, in position order. */
export function allProblems(p: HideParse): Array<HideProblem & {group?: HideGroup}> {
  const list: Array<HideProblem & {group?: HideGroup}> = [
    ...p.problems,
    ...p.groups.flatMap((g) => g.problems.map((x) => ({...x, group: g}))),
  ]
  return list.sort((a, b) => a.position - b.position)
}

/** The `pciback.hide=` argument for these devices, in the Howto's form. */
export function formatHide(devices: readonly PciAddress[]): string {
  return `pciback.hide=${devices.map((d) => `(${hexBdf(d)})`).join('')}`
}
