import {type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

export interface MountEntry {
  device: string
  mountPoint: string
  type: string
  options: string[]
}

/** `mount` output, NetBSD (`/dev/wd0a on / type ffs (local)`) and Linux (`... type ext4 (rw,relatime)`). */
export function parseMount(text: string, source = 'mount.txt'): Array<Fact<MountEntry>> {
  const out: Array<Fact<MountEntry>> = []
  for (const {line, text: t} of numberedLines(text)) {
    const m = /^(\S+) on (\S.*?) type (\S+)(?: \((.*)\))?\s*$/.exec(t)
    if (!m) continue
    out.push(
      fact(
        {device: m[1]!, mountPoint: m[2]!, type: m[3]!, options: m[4] ? m[4].split(',').map((o) => o.trim()) : []},
        source,
        line,
        t,
      ),
    )
  }

  return out
}

export interface FstabEntry {
  device: string
  mountPoint: string
  type: string
  options: string[]
}

/** `/etc/fstab`: whitespace-separated fields, `#` comments. */
export function parseFstab(text: string, source = 'files/etc/fstab'): Array<Fact<FstabEntry>> {
  const out: Array<Fact<FstabEntry>> = []
  for (const {line, text: t} of numberedLines(text)) {
    const body = t.replace(/#.*$/, '').trim()
    if (!body) continue
    const fields = body.split(/\s+/)
    if (fields.length < 3) continue
    out.push(
      fact(
        {
          device: fields[0]!,
          mountPoint: fields[1]!,
          type: fields[2]!,
          options: (fields[3] ?? '').split(',').filter(Boolean),
        },
        source,
        line,
        t,
      ),
    )
  }

  return out
}
