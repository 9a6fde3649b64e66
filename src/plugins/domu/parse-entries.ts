/**
 * Pure parsers for the entries of a domain configuration: `vif` and `disk` list elements, virtual
 * device names/numbers (VDEV), MAC addresses, guest kinds. None of them throws.
 */

// ---------------------------------------------------------------- vif

/** Keys xm (Xen 3.x/4.1) and xl (4.2+) accept in a vif entry. */
const VIF_KEYS = new Set([
  'mac',
  'bridge',
  'ip',
  'script',
  'type',
  'model',
  'vifname',
  'rate',
  'backend',
  'uuid',
  'accel',
  'gatewaydev',
  'devid',
  'mtu',
  'trusted',
  'untrusted',
  'forwarddev',
])

export interface VifEntry {
  raw: string
  keys: Record<string, string>
  /** Problems that make the entry wrong (an unparsable pair, an invalid MAC). */
  problems: string[]
  /** Harmless oddities (an unknown key). */
  notes: string[]
}

/** `'mac=aa:00:00:50:02:f0, bridge=bridge0'`: comma-separated `key=value` pairs; `''` takes every default. */
export function parseVif(raw: string): VifEntry {
  const entry: VifEntry = {raw, keys: {}, problems: [], notes: []}
  for (const part of raw.split(',')) {
    const p = part.trim()
    if (!p) continue
    const m = /^([A-Za-z_][\w-]*)\s*=\s*(.*)$/.exec(p)
    if (!m) {
      entry.problems.push(`"${p}" is not key=value`)
      continue
    }

    const key = m[1]!.toLowerCase()
    if (key in entry.keys) entry.problems.push(`${key}= is given twice`)
    entry.keys[key] = m[2]!.trim()
    if (!VIF_KEYS.has(key)) entry.notes.push(`unknown key ${key}=`)
  }

  const mac = entry.keys.mac
  if (mac !== undefined) {
    const problem = macProblem(mac)
    if (problem) entry.problems.push(problem)
  }

  const ip = entry.keys.ip
  if (
    ip !== undefined &&
    !ip.split(/\s+/).every(
      (a) =>
        /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/.test(a) &&
        a
          .split(/[./]/)
          .slice(0, 4)
          .every((o) => Number(o) <= 255),
    )
  ) {
    entry.problems.push(`ip=${ip} is not an IPv4 address`)
  }

  return entry
}

/** Why a MAC address is unusable for a vif, or undefined when it is fine. */
export function macProblem(mac: string): string | undefined {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac))
    return `mac=${mac} is not six hex octets separated by colons (aa:00:00:50:02:f0)`
  const first = Number.parseInt(mac.slice(0, 2), 16)
  if (first & 1)
    return `mac=${mac} is a multicast address (the low bit of the first octet, ${mac.slice(0, 2)}, is set): a vif needs a unicast address`
  if (/^(00:){5}00$/.test(mac)) return `mac=${mac} is the all-zero address`
  return undefined
}

export const normalizeMac = (mac: string) => mac.toLowerCase()

// ---------------------------------------------------------------- disk

export type DiskKind = 'phy' | 'file' | 'tap' | 'other'

export interface DiskEntry {
  raw: string
  kind?: DiskKind
  /** The dom0 side: `/dev/wd0e` (a bare `wd0e` is completed with /dev/, as xm does), or a file path. */
  target?: string
  vdev?: string
  mode?: string
  writable?: boolean
  problems: string[]
}

/**
 * `phy:DEV,VDEV,MODE` / `file:PATH,VDEV,MODE` (xm, the Howto), the xl positional form
 * `TARGET,FORMAT,VDEV,ACCESS`, and the xl key form `format=raw, vdev=xvda, access=rw, target=/dev/wd0e`.
 */
export function parseDisk(raw: string): DiskEntry {
  const entry: DiskEntry = {raw, problems: []}
  let spec: string | undefined
  if (/(^|,)\s*(target|vdev|access|format|devtype)\s*=/.test(raw)) {
    const keys: Record<string, string> = {}
    const parts = raw.split(',')
    for (let i = 0; i < parts.length; i++) {
      const m = /^\s*([a-z-]+)\s*=\s*(.*?)\s*$/.exec(parts[i]!)
      if (!m) {
        if (parts[i]!.trim()) entry.problems.push(`"${parts[i]!.trim()}" is not key=value`)
        continue
      }

      // target= is the last key and takes the rest of the string, commas included (xl-disk-configuration).
      if (m[1] === 'target') {
        keys.target = [m[2]!, ...parts.slice(i + 1)].join(',').trim()
        break
      }

      keys[m[1]!] = m[2]!
    }

    spec = keys.target
    entry.vdev = keys.vdev
    entry.mode = keys.access ?? 'rw'
    if (keys.devtype === 'cdrom' && !keys.access) entry.mode = 'r'
  } else {
    const parts = raw.split(',').map((p) => p.trim())
    if (parts.length === 3) [spec, entry.vdev, entry.mode] = parts
    else if (parts.length === 4) [spec, , entry.vdev, entry.mode] = parts
    else {
      entry.problems.push(
        `"${raw}" has ${parts.length} comma-separated fields; the Howto's form is phy:DEV,VDEV,MODE (or file:PATH,VDEV,MODE)`,
      )
      return entry
    }
  }

  if (!spec) entry.problems.push('no device or file (target) is given')
  else {
    const m = /^(phy|file|tap|tap2|aio|qcow|qcow2|vhd|raw):(?:(?:aio|sync|vhd|qcow2?|tapdisk|raw):)?(.*)$/.exec(spec)
    const kind = m ? m[1]! : undefined
    const rest = m ? m[2]! : spec
    entry.kind =
      kind === 'phy'
        ? 'phy'
        : kind === 'file'
          ? 'file'
          : kind === undefined
            ? rest.startsWith('/dev/')
              ? 'phy'
              : 'file'
            : kind.startsWith('tap')
              ? 'tap'
              : 'other'
    entry.target = entry.kind === 'phy' && !rest.startsWith('/') ? `/dev/${rest}` : rest
    if (!entry.target) entry.problems.push(`"${spec}" names no device or file`)
  }

  if (!entry.vdev) entry.problems.push('no virtual device (VDEV) is given')
  const mode = entry.mode ?? ''
  if (/^(r|ro)$/.test(mode)) entry.writable = false
  else if (/^(w|rw|w!)$/.test(mode)) entry.writable = true
  else entry.problems.push(`MODE "${mode}" is neither r (read-only) nor w (read-write)`)
  return entry
}

// ---------------------------------------------------------------- vdev

export interface Vdev {
  /** What the guest sees, in words: `Linux hda1 (0x301 = major 3, minor 1)`, `xbd index 1`. */
  explain: string
  /** Linux disk name with partition (`hda1`, `xvda`), when it decodes to one. */
  linuxName?: string
  /** The whole Linux disk (`hda`) the name lies on. */
  linuxDisk?: string
  /** A plain index, meaningful to NetBSD (and Solaris) guests only. */
  index?: number
  cdrom?: boolean
  problem?: string
}

const letters = (n: number) =>
  n < 26
    ? String.fromCharCode(97 + n)
    : `${String.fromCharCode(96 + Math.floor(n / 26))}${String.fromCharCode(97 + (n % 26))}`

/** Linux IDE majors: each carries two disks (minor 0-63 and 64-127). */
const IDE_MAJORS: Record<number, number> = {3: 0, 22: 2, 33: 4, 34: 6, 56: 8, 57: 10, 88: 12, 89: 14, 90: 16, 91: 18}

function linuxFromNumber(major: number, minor: number): {disk: string; name: string} | undefined {
  if (major in IDE_MAJORS) {
    const disk = `hd${letters(IDE_MAJORS[major]! + (minor >= 64 ? 1 : 0))}`
    const part = minor % 64
    return {disk, name: part ? `${disk}${part}` : disk}
  }

  if (major === 8 || major === 202) {
    const disk = `${major === 8 ? 'sd' : 'xvd'}${letters(Math.floor(minor / 16))}`
    const part = minor % 16
    return {disk, name: part ? `${disk}${part}` : disk}
  }

  return undefined
}

/**
 * A VDEV as written: a Linux device number (`0x301` = (3 << 8) + 1 = hda1), a Linux name (`hda1`,
 * `xvda`, `sda`), or a small index (`0x1`, `0`) that only NetBSD and Solaris guests accept; `:cdrom` kept.
 */
export function decodeVdev(raw: string): Vdev {
  const [base = '', suffix] = raw.trim().split(':', 2)
  const cdrom = suffix === 'cdrom' || /cdrom/.test(raw)
  const name = /^(hd|sd|xvd)([a-z]{1,2})(\d*)$/.exec(base)
  if (name) {
    return {
      explain: `Linux ${base}${cdrom ? ' (cdrom)' : ''}`,
      linuxName: base,
      linuxDisk: `${name[1]}${name[2]}`,
      cdrom,
    }
  }

  if (/^(xbd|d)\d+(p\d+)?$/.test(base)) return {explain: `${base}${cdrom ? ' (cdrom)' : ''}`, cdrom}
  const num = /^0[xX][0-9a-fA-F]+$/.test(base)
    ? Number.parseInt(base.slice(2), 16)
    : /^\d+$/.test(base)
      ? Number(base)
      : Number.NaN
  if (Number.isNaN(num))
    return {
      explain: `"${base}"`,
      cdrom,
      problem: `VDEV "${base}" is neither a device number (0x301, 0x1) nor a device name (hda1, xvda, sda)`,
    }
  const major = num >> 8
  const minor = num & 0xff
  if (major === 0)
    return {
      explain: `index ${num} (${base} has major 0: a plain index, which NetBSD and Solaris guests take as the disk's number)`,
      index: num,
      cdrom,
    }
  const linux = linuxFromNumber(major, minor)
  const how = `${base} = (major ${major} << 8) + minor ${minor}`
  if (linux) return {explain: `Linux ${linux.name} (${how})`, linuxName: linux.name, linuxDisk: linux.disk, cdrom}
  return {
    explain: `Linux device major ${major}, minor ${minor} (${how}), not an IDE, SCSI or xvd disk`,
    index: num,
    cdrom,
  }
}

// ---------------------------------------------------------------- guest kind

export type GuestKind = 'netbsd' | 'linux' | 'solaris' | 'hvm' | 'unknown'

/** The guest OS, from the kernel's path and the boot arguments (the config has no field for it). */
export function guestKind(values: {
  kernel?: string
  builder?: string
  type?: string
  extra?: string
  bootloader?: string
  root?: string
}): GuestKind {
  if (values.builder === 'hvm' || values.type === 'hvm') return 'hvm'
  const k = values.kernel ?? ''
  const base = k.slice(k.lastIndexOf('/') + 1)
  if (/netbsd|XEN3(PAE)?_DOMU|XEN_DOMU/i.test(base)) return 'netbsd'
  if (/vmlinu[xz]|linux|xenU|bzImage/i.test(base)) return 'linux'
  if (/solaris|i86xpv/i.test(k) || /i86xpv/.test(values.extra ?? '') || base === 'unix') return 'solaris'
  if (values.root && /^xbd\d/.test(values.root)) return 'netbsd'
  if (values.root && /^\/dev\/(hd|sd|xvd)[a-z]/.test(values.root)) return 'linux'
  return 'unknown'
}

/** NetBSD kernel configuration in the file name: `netbsd-XEN3_DOMU.gz` → `XEN3_DOMU`. */
export function netbsdKernelConfig(kernelPath: string): string | undefined {
  const base = kernelPath.slice(kernelPath.lastIndexOf('/') + 1)
  return /((?:INSTALL_)?XEN[0-9A-Z]*_DOM[0U]|GENERIC[A-Z0-9_]*|INSTALL[A-Z0-9_]*)/.exec(base)?.[1]
}
