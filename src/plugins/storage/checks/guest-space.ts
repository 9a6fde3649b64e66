import {type CheckDefinition, type EvidenceRef, refOf, refs as refsOf} from '../../../engine/types.js'
import {DISKLABEL_PATTERN} from '../facts.js'
import {formatBytes, MiB} from '../../../util/bytes.js'
import {freeDevices, largestGap} from '../free-space.js'
import {DKCTL_PATTERN} from '../disk-map.js'
import {storage} from '../common.js'

export const guestSpace: CheckDefinition = {
  id: 'storage.guest-space',
  title: 'Unused partitions are left for domU virtual disks',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [DISKLABEL_PATTERN, DKCTL_PATTERN, 'mount.txt', 'files/etc/fstab'],
  description:
    'Disklabel partitions and dk(4) wedges (`dkctl listwedges`) that are neither mounted (mount.txt), nor in fstab (file systems and swap), nor the EFI system wedge, nor overlapping one that is, and whole disks that carry none of them: they can back domU virtual disks (`target=/dev/dk3`, `phy:/dev/wd0e`). On a GPT disk, the largest stretch outside every wedge too (room for `gpt add`).',
  why: 'Keep in mind that you will probably want to provide virtual disks to other domains, so reserve some partitions for these virtual disks; alternatively, create large files in the file system, map them to vnd(4) devices and export these vnd devices to other domains (Howto).',
  remedy:
    "Leave a partition unused for each domU disk (`disk = [ 'phy:/dev/wd0e,0x1,w' ]`), or use file-backed disks through vnd(4): `dd if=/dev/zero of=/home/xen/nbsd1.img bs=1m count=4096` and `disk = [ 'file:/home/xen/nbsd1.img,0x1,w' ]`.",
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)', 'vnd(4)'],
  run(ctx) {
    const s = storage(ctx)
    const map = s.diskMap
    const disks = Object.values(s.disks)
    if (disks.length === 0 && map.wedgeListed.size === 0)
      return {status: 'unknown', message: 'no disklabel and no dkctl listwedges output in the evidence'}
    if (!s.haveMounts)
      return {status: 'unknown', message: 'mount.txt is missing, so which partitions are in use is unknown'}
    const fictitious = new Set(disks.filter((d) => d.fictitious).map((d) => d.disk))
    const refs: EvidenceRef[] = []
    const free: string[] = []
    for (const dev of freeDevices(map, fictitious)) {
      const disk = dev.disk ? s.disks[dev.disk] : undefined
      const size = dev.range ? formatBytes(dev.range.sizeSectors * BigInt(disk?.bytesPerSector ?? 512)) : undefined
      free.push(
        dev.kind === 'disk'
          ? `${dev.name} (a whole disk dom0 does not use${size ? `, ${size}` : ''})`
          : `${dev.name} (${dev.kind === 'wedge' ? `wedge "${dev.label}", ${dev.type}` : dev.type}${size ? `, ${size}` : ''})`,
      )
      if (dev.ref) refs.push(refOf(dev.ref))
    }

    const gaps: string[] = []
    for (const disk of map.wedgeListed) {
      const gap = largestGap(map, disk)
      const bytes = gap ? gap.sizeSectors * BigInt(s.disks[disk]?.bytesPerSector ?? 512) : 0n
      if (gap && bytes >= BigInt(1024 * MiB))
        gaps.push(
          `${disk} has ${formatBytes(bytes)} outside any wedge (sectors ${gap.offsetSectors}-${gap.offsetSectors + gap.sizeSectors - 1n}): \`gpt add -t ffs -l guest1 ${disk}\` makes a wedge of it`,
        )
    }

    const unlisted = [...fictitious].filter((d) => !map.wedgeListed.has(d))
    const gpt =
      unlisted.length > 0
        ? ` ${unlisted.join(', ')} ha${unlisted.length === 1 ? 's' : 've'} a fictitious label (GPT or MBR-only disk: partitions are dk wedges; list them with \`dkctl ${unlisted[0]} listwedges\`).`
        : ''
    for (const d of unlisted) refs.push(...refsOf(s.disks[d]?.parsed.label))
    const room = [
      ...(free.length ? [`not mounted nor in fstab, usable for domU disks: ${free.join(', ')}`] : []),
      ...gaps,
    ]
    if (room.length > 0) return {status: 'pass', message: `${room.join('; ')}.${gpt}`, evidence: refs}
    if (unlisted.length > 0 && unlisted.length === disks.length) {
      return {
        status: 'unknown',
        message: `only fictitious labels: the real partitions are GPT wedges, not in the disklabel.${gpt}`,
        evidence: refs,
        remedy: `Run \`dkctl ${unlisted[0]} listwedges > dkctl-${unlisted[0]}.txt\` to see the wedges; a wedge that is not mounted can back a domU disk (\`target=/dev/dkN\`), or use vnd(4) file-backed disks.`,
      }
    }

    const names = [...disks.filter((d) => !d.fictitious).map((d) => d.disk), ...map.wedgeListed]
    return {
      status: 'warn',
      message: `every partition and wedge of ${[...new Set(names)].join(', ')} is mounted, in fstab, swap, or overlaps one that is: nothing is left for domU virtual disks; use vnd(4) file-backed disks instead, or repartition.${gpt}`,
      evidence: refsOf(...disks.flatMap((d) => Object.values(d.partitions)).slice(0, 8), ...refs),
    }
  },
}
