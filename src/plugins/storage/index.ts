import type {CheckContext, CheckDefinition, EvidenceRef, PluginDefinition} from '../../engine/types.js'
import {refOf, TARGETS} from '../../engine/types.js'
import {formatBytes, MiB} from '../../util/bytes.js'
import type {BootFacts} from '../facts.js'
import {splitPartitionName} from './disklabel.js'
import {DISKLABEL_PATTERN, DUMPFS_PATTERN, type StorageDiskLabel, type StorageFactsFull, deriveStorageFacts} from './facts.js'
import {netbsdOnly} from '../host/index.js'

const storage = (ctx: CheckContext) => ctx.facts<StorageFactsFull>('storage')
const GRUB_ROOT_LIMIT = 512 * MiB

function dedupe(refs: Array<EvidenceRef | undefined>): EvidenceRef[] {
  const seen = new Set<string>()
  return refs
    .filter((r): r is EvidenceRef => r !== undefined)
    .filter((r) => !seen.has(`${r.source}:${r.line}`) && Boolean(seen.add(`${r.source}:${r.line}`)))
    .map(refOf)
}

function bytesOf(disk: StorageDiskLabel, sectors: bigint): bigint {
  return sectors * BigInt(disk.bytesPerSector)
}

const grubRoot: CheckDefinition = {
  id: 'storage.grub-root',
  title: 'Root partition is small FFSv1 with 8k blocks / 1k fragments (when grub boots Xen)',
  targets: TARGETS,
  evidence: ['files/grub/menu.lst', 'files/boot/grub/menu.lst', 'files/boot.cfg', 'mount.txt', 'files/etc/fstab', DISKLABEL_PATTERN, DUMPFS_PATTERN],
  description: 'With grub as the bootloader: the root partition (mount.txt or fstab) in its disklabel (size), and its `dumpfs -s` superblock (FFSv1/FFSv2, bsize, fsize).',
  why: 'If you plan to use the grub boot loader, the root partition has to be smaller than 512Mb, and formatted as FFSv1 with 8k block/1k fragments; if it is larger, uses FFSv2 or has different block/fragment sizes, grub may fail to load some files (Howto).',
  remedy: 'Recreate the root partition below 512 MB and format it `newfs -O 1 -b 8192 -f 1024 /dev/rwd0a` (FFSv1, 8k blocks, 1k fragments), or use NetBSD\'s boot loader (/boot with a boot.cfg `multiboot` entry), which reads FFSv2 and large partitions.',
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)', 'newfs(8)', 'boot.cfg(5)'],
  run(ctx) {
    let loaders: BootFacts['loaders']
    try {
      loaders = ctx.facts<BootFacts>('boot').loaders
    } catch (error) {
      return {status: 'unknown', message: `the bootloader is unknown: ${error instanceof Error ? error.message : String(error)}`}
    }

    if (!loaders.includes('grub')) {
      return {
        status: 'n/a',
        message: loaders.includes('netbsd')
          ? 'NetBSD\'s boot loader (boot.cfg) boots Xen; it has no limit on root size, FFS version or block size'
          : 'no grub menu.lst in the evidence, so grub\'s root partition limits do not apply (collect /grub/menu.lst if grub boots this machine)',
      }
    }

    const both = loaders.includes('netbsd') ? ' (a boot.cfg exists too: if NetBSD\'s /boot is what actually boots, these limits do not apply)' : ''
    const s = storage(ctx)
    if (!s.root) {
      const why = s.rootDevice ? `the root device ${s.rootDevice.value} is not a disklabel partition (a wedge or a name)` : 'no mount.txt or files/etc/fstab line for /'
      return {status: 'unknown', message: `cannot find the root partition: ${why}`, evidence: dedupe([s.rootDevice])}
    }

    const root = s.root.value
    const part = splitPartitionName(root)
    const disk = part ? s.disks[part.disk] : undefined
    const label = part && disk ? disk.partitions[part.letter] : undefined
    const fs = s.filesystems[root]
    const problems: string[] = []
    const unknowns: string[] = []
    const ok: string[] = []
    if (label && disk) {
      const bytes = bytesOf(disk, label.value.sizeSectors)
      const sizeText = `root ${root} is ${formatBytes(bytes)}${disk.bytesPerSectorAssumed ? ' (assuming 512-byte sectors)' : ''}`
      if (bytes >= BigInt(GRUB_ROOT_LIMIT)) problems.push(`${sizeText}, not smaller than 512 MB`)
      else ok.push(sizeText)
    } else {
      unknowns.push(`the size of ${root} (no ${part ? `disklabel-${part.disk}.txt partition ${part.letter}` : 'disklabel'})`)
    }

    if (fs?.ffsVersion) {
      if (fs.ffsVersion.value === 1) ok.push('FFSv1')
      else problems.push('FFSv2')
    } else {
      unknowns.push(`the FFS version (no dumpfs-${root}.txt)`)
    }

    const bsize = fs?.bsize ?? (label?.value.bsize ? {...label, value: label.value.bsize} : undefined)
    const fsize = fs?.fsize ?? (label?.value.fsize ? {...label, value: label.value.fsize} : undefined)
    if (bsize) {
      if (bsize.value === 8192) ok.push('bsize 8192')
      else problems.push(`bsize ${bsize.value}, not 8192`)
    } else {
      unknowns.push('the block size')
    }

    if (fsize) {
      if (fsize.value === 1024) ok.push('fsize 1024')
      else problems.push(`fsize ${fsize.value}, not 1024`)
    } else {
      unknowns.push('the fragment size')
    }

    const evidence = dedupe([s.root, label, fs?.ffsVersion, fs?.magic, bsize, fsize])
    if (problems.length > 0) return {status: 'fail', message: `grub boots Xen but ${problems.join('; ')}: grub may fail to load xen.gz or the dom0 kernel${both}`, evidence}
    if (unknowns.length > 0) {
      return {
        status: 'unknown',
        message: `${ok.length > 0 ? `${ok.join(', ')}; but ` : ''}unknown: ${unknowns.join(', ')}`,
        evidence,
        remedy: `Collect \`disklabel ${part?.disk ?? 'wd0'} > disklabel-${part?.disk ?? 'wd0'}.txt\` and \`dumpfs -s /dev/r${root} > dumpfs-${root}.txt\` (as root).`,
      }
    }

    return {status: 'pass', message: `${ok.join(', ')}: grub can read the root file system${both}`, evidence}
  },
}

function overlaps(a: {offsetSectors: bigint; sizeSectors: bigint}, b: {offsetSectors: bigint; sizeSectors: bigint}): boolean {
  return a.offsetSectors < b.offsetSectors + b.sizeSectors && b.offsetSectors < a.offsetSectors + a.sizeSectors
}

const guestSpace: CheckDefinition = {
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

export const storagePlugin: PluginDefinition = {
  name: 'storage',
  title: 'Disks and file systems: grub\'s root partition limits, space for guest disks',
  evidence: [
    {
      name: DISKLABEL_PATTERN,
      description: 'the disklabel of each disk (partition sizes, offsets, fstype, fsize/bsize)',
      argv: ['disklabel', '{disk}'],
      os: ['netbsd'],
      root: true,
      // `hw.disknames = wd0 cd0 dk0`: every wd/sd/ld/raid/xbd/ccd disk name on that line (flags gm).
      expand: {from: 'sysctl.txt', match: '(?<=^hw\\.disknames\\s*[=:][^\\n]*)\\b((?:wd|sd|ld|raid|xbd|ccd)\\d+)\\b'},
    },
    {
      name: DUMPFS_PATTERN,
      description: 'the FFS superblock summary of each mounted FFS partition (FFSv1/FFSv2, bsize, fsize)',
      argv: ['dumpfs', '-s', '/dev/r{partition}'],
      os: ['netbsd'],
      root: true,
      // `/dev/wd0a on / type ffs (local)`: the partition name.
      expand: {from: 'mount.txt', match: '^/dev/([a-z]+\\d+[a-p]|dk\\d+) on .* type ffs\\b'},
    },
  ],
  facts: [{name: 'storage', derive: deriveStorageFacts}],
  checks: [grubRoot, guestSpace].map(netbsdOnly),
}
