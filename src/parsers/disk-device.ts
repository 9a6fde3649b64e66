/**
 * What a dom0 device path given to a guest (`phy:/dev/dk1`, `target=/dev/rwd0d`) stands for on NetBSD.
 * Pure; never throws. A path not understood is `other`: the checks say `unknown` for it, never `pass`.
 */

export type DiskDevice =
  /** A disklabel partition: `/dev/wd0e` (block) or `/dev/rwd0e` (raw, character). */
  | {kind: 'partition'; path: string; raw: boolean; disk: string; letter: string; name: string}
  /** A dk(4) wedge: `/dev/dk1` or `/dev/rdk1`. */
  | {kind: 'wedge'; path: string; raw: boolean; name: string}
  /** A disk without a partition letter (`/dev/wd0`, `/dev/rwd0`): the whole disk. */
  | {kind: 'disk'; path: string; raw: boolean; disk: string; name: string}
  /** device-mapper / LVM names (`/dev/mapper/vg0-lv0`, `/dev/vg0/lv0`), resolved by lvm(8), not by a label. */
  | {kind: 'mapper'; path: string; raw: boolean; name: string}
  | {kind: 'other'; path: string; raw: boolean}

/** Disk drivers whose units carry disklabel partitions (the names `hw.disknames` lists, plus pseudo-disks). */
const DISK_DRIVERS = 'wd|sd|ld|xbd|raid|ccd|cgd|vnd|md|dm|nvme|ca|flash'
const PARTITION = new RegExp(`^/dev/(r?)((?:${DISK_DRIVERS})\\d{1,4})([a-p])$`)
const WHOLE_DISK = new RegExp(`^/dev/(r?)((?:${DISK_DRIVERS})\\d{1,4})$`)

export function parseDiskDevice(path: string): DiskDevice {
  const p = path.trim()
  const wedge = /^\/dev\/(r?)(dk\d{1,6})$/.exec(p)
  if (wedge) return {kind: 'wedge', path: p, raw: wedge[1] === 'r', name: wedge[2]!}
  const part = PARTITION.exec(p)
  if (part)
    return {
      kind: 'partition',
      path: p,
      raw: part[1] === 'r',
      disk: part[2]!,
      letter: part[3]!,
      name: `${part[2]}${part[3]}`,
    }
  const disk = WHOLE_DISK.exec(p)
  if (disk) return {kind: 'disk', path: p, raw: disk[1] === 'r', disk: disk[2]!, name: disk[2]!}
  const mapper = /^\/dev\/(r?)mapper\/(.+)$/.exec(p)
  if (mapper) return {kind: 'mapper', path: p, raw: mapper[1] === 'r', name: mapper[2]!}
  // lvm(8) on NetBSD also makes /dev/<vg>/<lv> and /dev/<vg>/r<lv>.
  const vg = /^\/dev\/([A-Za-z0-9_.+-]+)\/(r?)([A-Za-z0-9_.+-]+)$/.exec(p)
  if (vg && !['pts', 'fd', 'mapper'].includes(vg[1]!))
    return {kind: 'mapper', path: p, raw: vg[2] === 'r', name: `${vg[1]}-${vg[3]}`}
  return {kind: 'other', path: p, raw: /^\/dev\/r/.test(p)}
}

/** The block device a raw name stands for: `/dev/rdk1` → `/dev/dk1`, `/dev/rwd0e` → `/dev/wd0e`; others unchanged. */
export function blockPathOf(d: DiskDevice): string {
  if (!d.raw) return d.path
  if (d.kind === 'wedge' || d.kind === 'partition' || d.kind === 'disk') return `/dev/${d.name}`
  if (d.kind === 'mapper' && d.path.startsWith('/dev/rmapper/')) return d.path.replace('/dev/rmapper/', '/dev/mapper/')
  return d.path.replace(/\/r([^/]+)$/, '/$1')
}

/**
 * The raw partition letter of a NetBSD port (RAW_PART): 3 (`d`) on i386 and amd64
 * (sys/arch/{i386,amd64}/include/disklabel.h: `#define RAW_PART 3`, "raw partition: XX?d"),
 * 2 (`c`) on the other ports. `machine` is `hw.machine` or uname's last word.
 */
export function rawPartitionLetter(machine: string | undefined): 'c' | 'd' | undefined {
  if (!machine) return undefined
  return /^(amd64|i386|x86_64|i[3-6]86)$/.test(machine.trim()) ? 'd' : 'c'
}
