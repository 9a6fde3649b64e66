import {type CheckDefinition, TARGETS, type EvidenceRef, refOf} from '../../../engine/types.js'
import {DISKLABEL_PATTERN} from '../facts.js'
import {formatBytes} from '../../../util/bytes.js'
import {storage, dedupe, bytesOf} from '../common.js'


function overlaps(a: {offsetSectors: bigint; sizeSectors: bigint}, b: {offsetSectors: bigint; sizeSectors: bigint}): boolean {
  return a.offsetSectors < b.offsetSectors + b.sizeSectors && b.offsetSectors < a.offsetSectors + a.sizeSectors
}

export const guestSpace: CheckDefinition = {
  id: 'storage.guest-space',
  title: 'Unused partitions are left for domU virtual disks',
  targets: TARGETS,
  evidence: [DISKLABEL_PATTERN, 'mount.txt', 'files/etc/fstab'],
  description: 'Disklabel partitions that are neither mounted (mount.txt), nor in fstab (file systems and swap), nor overlapping one that is: they can back domU virtual disks (`phy:/dev/wd0e`).',
  why: 'Keep in mind that you will probably want to provide virtual disks to other domains, so reserve some partitions for these virtual disks; alternatively, create large files in the file system, map them to vnd(4) devices and export these vnd devices to other domains (Howto).',
  remedy: 'Leave a partition unused for each domU disk (`disk = [ \'phy:/dev/wd0e,0x1,w\' ]`), or use file-backed disks through vnd(4): `dd if=/dev/zero of=/home/xen/nbsd1.img bs=1m count=4096` and `disk = [ \'file:/home/xen/nbsd1.img,0x1,w\' ]`.',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)', 'vnd(4)'],
  run(ctx) {
    const s = storage(ctx)
    const disks = Object.values(s.disks)
    if (disks.length === 0) return {status: 'unknown', message: 'no disklabel in the evidence'}
    if (!s.haveMounts) return {status: 'unknown', message: 'mount.txt is missing, so which partitions are in use is unknown'}
    const used = (name: string) => s.mounted.has(name) || s.inFstab.has(name)
    const free: string[] = []
    const refs: EvidenceRef[] = []
    const fictitious: string[] = []
    for (const disk of disks) {
      if (disk.fictitious) {
        fictitious.push(disk.disk)
        refs.push(...dedupe([disk.parsed.label]))
        continue
      }

      const parts = Object.values(disk.partitions)
      const inUse = parts.filter((p) => used(`${disk.disk}${p.value.letter}`))
      for (const p of parts) {
        const name = `${disk.disk}${p.value.letter}`
        if (used(name) || p.value.fstype === 'swap' || p.value.sizeSectors === 0n) continue
        if (inUse.some((u) => overlaps(u.value, p.value))) continue
        free.push(`${name} (${p.value.fstype}, ${formatBytes(bytesOf(disk, p.value.sizeSectors))})`)
        refs.push(refOf(p))
      }
    }

    const gpt = fictitious.length > 0 ? ` ${fictitious.join(', ')} ha${fictitious.length === 1 ? 's' : 've'} a fictitious label (GPT or MBR-only disk: partitions are dk wedges; list them with \`dkctl ${fictitious[0]} listwedges\`).` : ''
    if (free.length > 0) return {status: 'pass', message: `not mounted nor in fstab, usable for domU disks: ${free.join(', ')}.${gpt}`, evidence: refs}
    if (fictitious.length === disks.length) {
      return {status: 'unknown', message: `only fictitious labels: the real partitions are GPT wedges, not in the disklabel.${gpt}`, evidence: refs, remedy: `Run \`dkctl ${fictitious[0]} listwedges\` to see the wedges; a wedge that is not mounted can back a domU disk (\`phy:/dev/dkN\`), or use vnd(4) file-backed disks.`}
    }

    return {
      status: 'warn',
      message: `every partition of ${disks.filter((d) => !d.fictitious).map((d) => d.disk).join(', ')} is mounted, in fstab, swap, or overlaps one that is: no partition is left for domU virtual disks; use vnd(4) file-backed disks instead, or repartition.${gpt}`,
      evidence: dedupe([...disks.flatMap((d) => Object.values(d.partitions)).slice(0, 8), ...refs]),
    }
  },
}
