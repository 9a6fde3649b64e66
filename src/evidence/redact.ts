/**
 * Redaction of host identifiers in a bundle: the same value becomes the same token in every file, and
 * every token keeps the shape the parsers expect (a MAC is still six octets, an IPv4 address four), so
 * the checks give the same findings on a redacted bundle. What it leaves alone on purpose: PCI ids
 * (`8086:1e31`), versions (`4.18.0nb1`), sizes, `0x..` numbers, dates and times, kernel paths.
 *
 * Kinds: hostnames (learnt from uname, rc.conf `hostname=`, /etc/myname, /etc/hostname, sysctl
 * `kern.hostname`), MAC addresses, IPv4 and IPv6 addresses, serial numbers, UUIDs, user names in
 * `/home/<user>` paths.
 */

export const REDACTION_KINDS = ['hostname', 'mac', 'ipv4', 'ipv6', 'serial', 'uuid', 'user'] as const
export type RedactionKind = (typeof REDACTION_KINDS)[number]

/** Host names that are also words the checks read (`/netbsd`, `dom0`): leaving them is safer and reveals nothing. */
const GENERIC_HOSTNAMES = new Set([
  'localhost',
  'netbsd',
  'xen',
  'dom0',
  'domu',
  'generic',
  'amd64',
  'i386',
  'root',
  'kernel',
  'boot',
  'none',
  '(none)',
  'unknown',
])

const UUID = /(?<![\w-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![\w-])/g
const MAC = /(?<![\w:.-])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![\w:])/g
// Candidates only; `isIpv6` decides (times, MACs, PCI ids and xl's `hw_caps` words all fail it).
const IPV6 = /(?<![\w:.-])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:.])/g
const IPV4 = /(?<![\w.-])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w-]|\.\d)/g
// `serial S4EVNF0M123456X`, `system-serial = 1234ABC`, `serial number: ...`; the value must hold a digit.
// Blanks, never `\s`: no pattern here matches across a line break, since the sh collector's awk port
// (scripts/xenready-collect.sh) redacts line by line and must give the same bytes.
const SERIAL =
  /(\bserial(?:[ _-]?(?:number|no\.?|#))?[ \t]*[:=#]?[ \t]*)(?=[A-Za-z0-9_.-]*\d)([A-Za-z0-9][A-Za-z0-9_.-]{3,})/gi
const HOME_USER = /(?<=\/home\/)[A-Za-z0-9._-]+(?=\/|\b)/g

/** `trim()` for ASCII white space only (JavaScript's also takes U+00A0, U+FEFF and the like). */
function trimBlanks(s: string): string {
  return s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '')
}

function isIpv6(s: string): boolean {
  const doubles = s.split('::').length - 1
  if (doubles > 1) return false
  const groups = s.split(':')
  if (groups.some((g) => g.length > 4)) return false
  const filled = groups.filter(Boolean)
  if (doubles === 0 && groups.length !== 8) return false
  if (doubles === 1 && groups.length > 8) return false
  // `::`, `::1` and the like carry nothing about the host; `fe80::` alone neither.
  return filled.length >= 2
}

function keepIpv4(octets: number[]): boolean {
  const a = octets[0]!
  // Not an address (999.1.1.1), unspecified, loopback, multicast, and netmasks (255.255.255.0): nothing about the host.
  return octets.some((o) => o > 255) || a === 0 || a === 127 || a >= 224
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

export class Redactor {
  private readonly maps = new Map<RedactionKind, Map<string, string>>(REDACTION_KINDS.map((k) => [k, new Map()]))
  /** Token → the value it replaced, as first seen (for `collect --redaction-map`). */
  private readonly originals = new Map<string, {kind: RedactionKind; value: string}>()
  private hostnames: string[] = []
  private hostnamePattern: RegExp | undefined
  /** The node name of uname -a, as learnt: what names the host in its bundle's name (`bundleHostPart`). */
  unameNode: string | undefined

  /**
   * Learns this host's names from the evidence, so they are replaced wherever they appear. Line by line
   * and with ASCII white space only, as the sh collector's awk port reads them (it works on bytes).
   */
  learnHostnames(files: ReadonlyMap<string, string>): void {
    const found = new Set<string>(this.hostnames)
    const add = (name: string | undefined) => {
      const n = name === undefined ? undefined : trimBlanks(name).replace(/^["']|["']$/g, '')
      if (!n || n.length < 2 || GENERIC_HOSTNAMES.has(n.toLowerCase()) || !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(n)) return
      found.add(n)
      const short = n.split('.')[0]!
      if (short !== n && short.length >= 2 && !GENERIC_HOSTNAMES.has(short.toLowerCase())) found.add(short)
    }

    const lines = (name: string) => files.get(name)?.split('\n') ?? []
    this.unameNode = lines('uname.txt')[0]?.match(/^[^ \t\n\v\f\r]+[ \t]+([^ \t\n\v\f\r]+)/)?.[1]
    add(this.unameNode)
    for (const l of lines('files/etc/rc.conf')) add(l.match(/^[ \t]*hostname=([^ \t\n\v\f\r]+)/)?.[1])
    add(lines('files/etc/myname').find((l) => trimBlanks(l) && !l.startsWith('#')))
    add(lines('files/etc/hostname')[0])
    add(lines('hostname.txt')[0])
    for (const l of lines('sysctl.txt')) add(l.match(/^kern\.hostname[ \t]*[=:][ \t]*([^ \t\n\v\f\r]+)/)?.[1])
    this.addHostnames([...found])
  }

  addHostnames(names: readonly string[]): void {
    // Longest first, so `box.example.org` is one token, not `host-1.example.org`.
    this.hostnames = [...new Set([...this.hostnames, ...names])].sort(
      (a, b) => b.length - a.length || a.localeCompare(b),
    )
    const escaped = this.hostnames.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    // Not after `/` (the `/netbsd` kernel), `.`, `-` or a word character; not before one either.
    this.hostnamePattern =
      escaped.length > 0 ? new RegExp(`(?<![\\w/.-])(?:${escaped.join('|')})(?![\\w-])`, 'g') : undefined
  }

  private token(kind: RedactionKind, value: string, make: (n: number) => string): string {
    const map = this.maps.get(kind)!
    const key = kind === 'hostname' ? value : value.toLowerCase()
    let t = map.get(key)
    if (t === undefined) {
      t = make(map.size + 1)
      map.set(key, t)
      this.originals.set(t, {kind, value})
    }

    return t
  }

  /** Replaces every identifier in `text`; never throws. */
  redact(text: string): string {
    let out = text.replace(UUID, (u) => this.token('uuid', u, (n) => `00000000-0000-4000-8000-${hex(n, 12)}`))
    out = out.replace(MAC, (m) => {
      const lower = m.toLowerCase()
      if (lower === '00:00:00:00:00:00' || lower === 'ff:ff:ff:ff:ff:ff') return m
      // 02:...: a locally administered unicast address, so it still looks like a real NIC's.
      return this.token('mac', m, (n) => `02:00:${hex(n, 8).match(/../g)!.join(':')}`)
    })
    out = out.replace(IPV6, (a) => (isIpv6(a) ? this.token('ipv6', a, (n) => `2001:db8::${hex(n, 1)}`) : a))
    out = out.replace(IPV4, (a, ...parts: string[]) => {
      const octets = parts.slice(0, 4).map(Number)
      if (keepIpv4(octets)) return a
      // The documentation ranges (RFC 5737), then 10/8.
      return this.token('ipv4', a, (n) =>
        n <= 254
          ? `198.51.100.${n}`
          : n <= 508
            ? `203.0.113.${n - 254}`
            : `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      )
    })
    out = out.replace(SERIAL, (_all, prefix: string, value: string) => {
      if (/^0x[0-9a-f]+$/i.test(value)) return `${prefix}${value}`
      return `${prefix}${this.token('serial', value, (n) => `REDACTED${String(n).padStart(4, '0')}`)}`
    })
    out = out.replace(HOME_USER, (u) => this.token('user', u, (n) => `user${n}`))
    if (this.hostnamePattern)
      out = out.replace(this.hostnamePattern, (h) =>
        this.token('hostname', h, (n) => (h.includes('.') ? `host${n}.example.invalid` : `host${n}`)),
      )
    return out
  }

  /** The token a value was replaced by, if it was (host names: as written; other kinds: any case). */
  tokenOf(kind: RedactionKind, value: string): string | undefined {
    return this.maps.get(kind)!.get(kind === 'hostname' ? value : value.toLowerCase())
  }

  /** Every token and the value it stands for: the key to decode a redacted bundle, never put in one. */
  tokens(): Array<{token: string; kind: RedactionKind; value: string}> {
    return [...this.originals].map(([token, o]) => ({token, ...o}))
  }

  /** How many distinct values of each kind were replaced (never the values). */
  counts(): Record<RedactionKind, number> {
    return Object.fromEntries(REDACTION_KINDS.map((k) => [k, this.maps.get(k)!.size])) as Record<RedactionKind, number>
  }
}

/** Redacts a whole dump consistently: one token per value across all files. */
export function redactFiles(
  files: ReadonlyMap<string, string>,
  redactor = new Redactor(),
): {files: Map<string, string>; counts: Record<RedactionKind, number>; redactor: Redactor} {
  redactor.learnHostnames(files)
  const out = new Map<string, string>()
  // Sorted, so the same dump always gets the same tokens.
  for (const name of [...files.keys()].sort()) out.set(name, redactor.redact(files.get(name)!))
  return {files: out, counts: redactor.counts(), redactor}
}
