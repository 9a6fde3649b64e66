/**
 * What domu.disk says about one guest disk's dom0 side: a device (wedge, partition, whole disk, raw name,
 * device-mapper) judged by the storage facts' disk map, or an image file judged by `ls -ld` and `df`.
 * Pure. Rules and sources: docs/sources/disks-guests.md.
 */
import type {EvidenceRef, Fact, Outcome} from '../../engine/types.js'
import {type DfEntry, filesystemOf} from '../../parsers/df.js'
import {blockPathOf, parseDiskDevice} from '../../parsers/disk-device.js'
import {listedPath, type PathStatus} from '../../parsers/ls.js'
import type {DiskMap, DiskOwnership} from '../facts.js'
import type {DiskSpec} from './disk-spec.js'

type Status = Outcome['status']

export interface DiskWorld {
  map?: DiskMap
  /** The storage facts' ownership questions about that map. */
  ownership?: DiskOwnership
  /** Why the disk map is unavailable (storage facts missing or failed). */
  mapError?: string
  paths?: Map<string, Fact<PathStatus>>
  /** df.txt entries; undefined when df.txt is not in the evidence. */
  df?: Array<Fact<DfEntry>>
}

export interface TargetVerdict {
  status: Status
  parts: string[]
  evidence: EvidenceRef[]
  /** Commands that would turn an unknown into an answer. */
  need: string[]
}

/** Above this share used, the file system holding a writable image is too full to share with dom0. */
export const IMAGE_FS_FULL_PERCENT = 90

const RANK: Record<Status, number> = {'n/a': 0, pass: 1, unknown: 2, warn: 3, fail: 4}

export function judgeDiskTarget(d: DiskSpec, w: DiskWorld): TargetVerdict {
  const v: TargetVerdict = {status: 'pass', parts: [], evidence: [], need: []}
  const flag = (s: Status, text: string) => {
    if (RANK[s] > RANK[v.status]) v.status = s
    v.parts.push(text)
  }

  const target = d.target
  if (!target) return v
  if (d.script) {
    flag('unknown', `${target} is handed to the script ${d.script}: what it stands for is not in the evidence`)
    return v
  }

  const isDevice = target.startsWith('/dev/')
  const listed = listedPath(w.paths, target)
  if (listed.state === 'no-ls') {
    flag('unknown', `whether ${target} exists is unknown (no ls-paths.txt)`)
    v.need.push(`ls -ld ${target} >> ls-paths.txt`)
  } else if (listed.state === 'missing') {
    v.evidence.push(listed.fact)
    flag('fail', `${target} does not exist in dom0 (${listed.fact.value.error})`)
  } else if (listed.state === 'exists') {
    const ls = listed.fact
    v.evidence.push(ls)
    const t = ls.value.type
    if (isDevice && t !== 'block-device' && t !== 'char-device') flag('fail', `${target} is a ${t}, not a device`)
    else if (!isDevice && t !== 'file' && t !== 'symlink') flag('fail', `${target} is a ${t}, not an image file`)
    else
      v.parts.push(
        `${target} exists${t === 'block-device' ? ' (block device)' : t === 'file' && ls.value.size !== undefined ? ` (${Math.round(ls.value.size / 1024 ** 2)} MB)` : ''}`,
      )
  } else if (isDevice && w.map?.devices[nameOf(target) ?? '']) {
    const dev = w.map.devices[nameOf(target)!]!
    if (dev.ref) v.evidence.push(dev.ref)
    v.parts.push(`${dev.name} is in ${dev.ref?.source ?? `the layout of ${dev.disk}`}`)
  } else if (isDevice && partitionOfLabelledDisk(target, w.map)) {
    const p = partitionOfLabelledDisk(target, w.map)!
    flag('fail', `${p.disk} has no partition ${p.letter} (disklabel-${p.disk}.txt)`)
  } else {
    flag('unknown', `${target} is not in ls-paths.txt (paths a guest config names are known only from the configs)`)
    v.need.push(`ls -ld ${target} >> ls-paths.txt`)
  }

  if (isDevice) judgeDevice(target, w, v, flag)
  else judgeImage(d, target, w, v, flag)
  return v
}

/** A partition letter of a disk whose disklabel is in the evidence (so a missing letter is a fact, not a gap). */
function partitionOfLabelledDisk(path: string, map: DiskMap | undefined): {disk: string; letter: string} | undefined {
  const d = parseDiskDevice(path)
  return d.kind === 'partition' && map?.labelled.has(d.disk) ? {disk: d.disk, letter: d.letter} : undefined
}

const nameOf = (path: string): string | undefined => {
  const d = parseDiskDevice(path)
  return d.kind === 'partition' || d.kind === 'wedge' || d.kind === 'disk' ? d.name : undefined
}

function judgeDevice(target: string, w: DiskWorld, v: TargetVerdict, flag: (s: Status, t: string) => void): void {
  const dev = parseDiskDevice(target)
  if (!w.map || !w.ownership) {
    flag('unknown', `whether dom0 uses ${target} is unknown: ${w.mapError ?? 'the storage facts are unavailable'}`)
    return
  }

  const own = w.ownership.of(target)
  v.evidence.push(...own.refs)
  if (own.owner === 'dom0')
    flag(
      'fail',
      `${own.says}: the guest would write over what dom0 uses (data loss${/root/.test(own.says) ? ", dom0's own root file system" : ''})`,
    )
  else if (own.owner === 'unknown') {
    flag('unknown', own.says)
    v.need.push(...own.need)
  } else v.parts.push(own.says)
  if (dev.raw)
    flag('warn', `${target} is the raw (character) device; give the guest the block device ${blockPathOf(dev)}`)
}

function judgeImage(
  d: DiskSpec,
  target: string,
  w: DiskWorld,
  v: TargetVerdict,
  flag: (s: Status, t: string) => void,
): void {
  if (!target.startsWith('/')) {
    flag('fail', `${target} is a relative path: xl resolves it against its own working directory, not the config's`)
    return
  }

  if (!w.df) {
    v.parts.push('how full its file system is is unknown (no df.txt)')
    return
  }

  const fs = filesystemOf(w.df, target)
  if (!fs) {
    v.parts.push(`no df.txt line holds ${target}`)
    return
  }

  v.evidence.push(fs)
  const where = `${fs.value.mountPoint} (${fs.value.filesystem})`
  if (d.writable !== false && fs.value.capacityPercent > IMAGE_FS_FULL_PERCENT) {
    flag(
      'warn',
      `the file system holding it, ${where}, is ${fs.value.capacityPercent}% full: the image cannot grow and dom0 shares that space`,
    )
  } else v.parts.push(`on ${where}, ${fs.value.capacityPercent}% used`)
}

/** The remedy's example disk line in the host era's form (xm: the Howto's; xl: xl-disk-configuration's). */
export function diskExample(era: 'xm' | 'xl' | undefined): string {
  return era === 'xm'
    ? "disk = [ 'phy:/dev/wd0e,0x1,w' ]"
    : "disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/dk3' ]"
}
