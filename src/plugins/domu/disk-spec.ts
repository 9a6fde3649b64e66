/**
 * One `disk = [...]` entry, read as xl reads it (xen-project/xen docs/man/xl-disk-configuration.5.pod,
 * commit 39c23cbe): comma-separated keyword/value pairs, flags and positional parameters, mixed freely;
 * bare parameters fill `target`, `format`, `vdev`, `access` in that order; `target=` takes the rest of the
 * entry, commas included; the deprecated `[<format>:][<target>],<vdev>[:<devtype>],<access>` form (the
 * Howto's `phy:/dev/wd0e,0x1,w`) and the prefixes `tapdisk: tap2: tap: aio: ioemu: file: phy:` (stripped),
 * `raw: qcow: qcow2: vhd: qed:` (a format) and `iscsi: nbd: enbd: drbd:` (a script). Never throws.
 */
import type {DiskEntry, DiskKind} from './parse-entries.js'

const KEYS = new Set([
  'target',
  'format',
  'vdev',
  'access',
  'devtype',
  'backend',
  'backendtype',
  'script',
  'specification',
  'colo-host',
  'colo-port',
  'colo-export',
  'active-disk',
  'hidden-disk',
  'trusted',
  'untrusted',
])
const FLAGS = new Set(['cdrom', 'direct-io-safe', 'discard', 'no-discard', 'colo', 'trusted', 'untrusted'])
const FORMATS = new Set(['raw', 'qcow', 'qcow2', 'vhd', 'qed'])
const IGNORED = new Set(['tapdisk', 'tap2', 'tap', 'aio', 'ioemu', 'file', 'phy'])
const SCRIPTS = new Set(['iscsi', 'nbd', 'enbd', 'drbd'])

export interface DiskSpec extends DiskEntry {
  format?: string
  devtype?: string
  script?: string
  /** The deprecated prefixes as written (`phy:`, `tap:aio:`, `file:`), which tell the Howto era's intent. */
  prefixes: string[]
}

/** Strips the deprecated prefixes of a target: `tap:aio:/x.img` → `/x.img` with prefixes `tap`, `aio`. */
function stripPrefixes(target: string, spec: DiskSpec): string {
  let t = target
  for (;;) {
    const m = /^([a-z][a-z0-9]*):(.*)$/.exec(t)
    if (!m || !(IGNORED.has(m[1]!) || FORMATS.has(m[1]!) || SCRIPTS.has(m[1]!))) return t
    spec.prefixes.push(m[1]!)
    if (FORMATS.has(m[1]!)) spec.format ??= m[1]!
    if (SCRIPTS.has(m[1]!)) spec.script ??= `block-${m[1]}`
    t = m[2]!
  }
}

function kindOf(spec: DiskSpec, target: string): DiskKind {
  if (spec.script) return 'other'
  if (spec.prefixes.includes('phy')) return 'phy'
  if (spec.prefixes.some((p) => p === 'tap' || p === 'tap2' || p === 'tapdisk' || p === 'aio')) return 'tap'
  if (spec.prefixes.includes('file')) return 'file'
  return target.startsWith('/dev/') ? 'phy' : 'file'
}

export function parseDiskSpec(raw: string): DiskSpec {
  const spec: DiskSpec = {raw, problems: [], prefixes: []}
  const positional: string[] = []
  const named: Record<string, string> = {}
  const parts = raw.split(',')
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.trim()
    const kv = /^([a-z][a-z-]*)=(.*)$/.exec(part)
    if (kv && (KEYS.has(kv[1]!) || kv[1] === 'target')) {
      if (kv[1] === 'target') {
        // "it consumes the whole rest of the DISKSPEC including trailing whitespaces. Therefore ... it must come last"
        named.target = [parts[i]!.replace(/^\s*target=/, ''), ...parts.slice(i + 1)].join(',')
        break
      }

      if (kv[1]! in named) spec.problems.push(`${kv[1]}= is given twice`)
      named[kv[1]!] = kv[2]!.trim()
      continue
    }

    if (kv) {
      spec.problems.push(`unknown key ${kv[1]}= in "${raw}"`)
      continue
    }

    if (FLAGS.has(part)) {
      if (part === 'cdrom') named.devtype ??= 'cdrom'
      continue
    }

    positional.push(part)
  }

  // The deprecated three-field form: TARGET,VDEV[:cdrom],ACCESS (xm and the Howto).
  // `/dev/vg/guest-volume,,hda` is the new form (an empty format); `phy:/dev/wd0e,0x1,w` the old (an access last).
  const old =
    positional.length === 3 &&
    positional[1] !== '' &&
    /^(r|ro|w|rw|w!)$/.test(positional[2]!) &&
    !('vdev' in named) &&
    !('access' in named)
  const order = old ? ['target', 'vdev', 'access'] : ['target', 'format', 'vdev', 'access']
  if (positional.length > order.length)
    spec.problems.push(
      `"${raw}" has ${positional.length} positional fields; xl takes at most target, format, vdev, access`,
    )
  positional.slice(0, order.length).forEach((value, i) => {
    const key = order[i]!
    if (key in named) {
      if (value !== '') spec.problems.push(`${key} is given twice (by position and as ${key}=)`)
      return
    }

    if (value !== '') named[key] = value
  })

  if (old && named.vdev?.includes(':')) {
    const [v, t] = named.vdev.split(':', 2)
    named.vdev = v!
    if (t) named.devtype ??= t
  }

  spec.devtype = named.devtype
  if (named.format) spec.format = named.format
  if (named.script) spec.script = named.script
  const target = named.target === undefined ? undefined : stripPrefixes(named.target.trim(), spec)
  if (target === undefined || target === '') {
    if (spec.devtype !== 'cdrom') spec.problems.push('no device or file (target) is given')
  } else {
    spec.kind = kindOf(spec, target)
    // "F</dev> will be prepended if the path doesn't start with a '/'" (a bare `wd0e`).
    spec.target = target.startsWith('/') || spec.script ? target : `/dev/${target}`
  }

  if (spec.format && !FORMATS.has(spec.format))
    spec.problems.push(`format ${spec.format} is not one xl knows (raw, qcow, qcow2, vhd, qed)`)
  spec.vdev = named.vdev
  if (!spec.vdev) spec.problems.push('no virtual device (VDEV) is given')
  spec.mode = named.access ?? (spec.devtype === 'cdrom' ? 'r' : 'rw')
  if (/^(r|ro)$/.test(spec.mode)) spec.writable = false
  else if (/^(w|rw|w!)$/.test(spec.mode)) spec.writable = true
  else spec.problems.push(`MODE "${spec.mode}" is neither r (read-only) nor w (read-write)`)
  return spec
}
