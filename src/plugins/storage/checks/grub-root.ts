import {MiB, formatBytes} from '../../../util/bytes.js'
import {type CheckDefinition, refs} from '../../../engine/types.js'
import {DISKLABEL_PATTERN, DUMPFS_PATTERN} from '../facts.js'
import {splitPartitionName} from '../parse-disklabel.js'
import {storage} from '../common.js'
import {DKCTL_PATTERN} from '../disk-map.js'

const GRUB_ROOT_LIMIT = 512 * MiB

export const grubRoot: CheckDefinition = {
  id: 'storage.grub-root',
  title: 'Root partition is small FFSv1 with 8k blocks / 1k fragments (when grub boots Xen)',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [
    'files/grub/menu.lst',
    'files/boot/grub/menu.lst',
    'files/boot.cfg',
    'mount.txt',
    'files/etc/fstab',
    DISKLABEL_PATTERN,
    DKCTL_PATTERN,
    DUMPFS_PATTERN,
  ],
  description:
    "With grub as the bootloader: the root partition or wedge (mount.txt or fstab) in its disklabel or `dkctl listwedges` (size), and its `dumpfs -s` superblock (FFSv1/FFSv2, bsize, fsize). n/a where NetBSD's boot loader boots Xen from boot.cfg on a GPT/UEFI install (root on a wedge, an EFI system wedge).",
  why: 'If you plan to use the grub boot loader, the root partition has to be smaller than 512Mb, and formatted as FFSv1 with 8k block/1k fragments; if it is larger, uses FFSv2 or has different block/fragment sizes, grub may fail to load some files (Howto).',
  remedy:
    "Recreate the root partition below 512 MB and format it `newfs -O 1 -b 8192 -f 1024 /dev/rwd0a` (FFSv1, 8k blocks, 1k fragments), or use NetBSD's boot loader (/boot with a boot.cfg `multiboot` entry), which reads FFSv2 and large partitions.",
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)', 'newfs(8)', 'boot.cfg(5)'],
  run(ctx) {
    const boot = ctx.optionalFacts('boot')
    if (!boot.value) return {status: 'unknown', message: `the bootloader is unknown: ${boot.reason}`}
    const {loaders} = boot.value

    if (!loaders.includes('grub')) {
      return {
        status: 'n/a',
        message: loaders.includes('netbsd')
          ? "NetBSD's boot loader (boot.cfg) boots Xen; it has no limit on root size, FFS version or block size"
          : "no grub menu.lst in the evidence, so grub's root partition limits do not apply (collect /grub/menu.lst if grub boots this machine)",
      }
    }

    const both = loaders.includes('netbsd')
      ? " (a boot.cfg exists too: if NetBSD's /boot is what actually boots, these limits do not apply)"
      : ''
    const s = storage(ctx)
    const rootWedge = s.root && /^dk\d+$/.test(s.root.value) ? s.diskMap.devices[s.root.value] : undefined
    const efi = Object.values(s.diskMap.used).find((u) => /EFI system/.test(u.why))
    if (loaders.includes('netbsd') && (rootWedge || (s.root && /^dk\d+$/.test(s.root.value)) || efi)) {
      return {
        status: 'n/a',
        message: `root is on ${s.root ? `the wedge ${s.root.value}` : 'a GPT disk'}${efi ? ` and ${efi.name} is an EFI system partition` : ''}, and boot.cfg exists: NetBSD's boot loader (efiboot or /boot) boots Xen from it; grub's root partition limits do not apply`,
        evidence: refs(s.root, efi?.ref),
      }
    }

    if (!s.root) {
      const why = s.rootDevice
        ? `the root device ${s.rootDevice.value} is not a partition or wedge this tool can place`
        : 'no mount.txt or files/etc/fstab line for /'
      return {status: 'unknown', message: `cannot find the root partition: ${why}`, evidence: refs(s.rootDevice)}
    }

    const root = s.root.value
    const part = splitPartitionName(root)
    const disk = part ? s.disks[part.disk] : rootWedge?.disk ? s.disks[rootWedge.disk] : undefined
    const label = part && disk ? disk.partitions[part.letter] : undefined
    const fs = s.filesystems[root]
    const problems: string[] = []
    const unknowns: string[] = []
    const ok: string[] = []
    const sectors = label?.value.sizeSectors ?? rootWedge?.range?.sizeSectors
    if (sectors !== undefined) {
      const bps = disk?.bytesPerSector ?? 512
      const bytes = sectors * BigInt(bps)
      const sizeText = `root ${root} is ${formatBytes(bytes)}${!disk || disk.bytesPerSectorAssumed ? ' (assuming 512-byte sectors)' : ''}`
      if (bytes >= BigInt(GRUB_ROOT_LIMIT)) problems.push(`${sizeText}, not smaller than 512 MB`)
      else ok.push(sizeText)
    } else {
      unknowns.push(
        `the size of ${root} (no ${part ? `disklabel-${part.disk}.txt partition ${part.letter}` : /^dk\d+$/.test(root) ? 'dkctl listwedges line for it' : 'disklabel'})`,
      )
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

    const evidence = refs(s.root, label, rootWedge?.ref, fs?.ffsVersion, fs?.magic, bsize, fsize)
    if (problems.length > 0)
      return {
        status: 'fail',
        message: `grub boots Xen but ${problems.join('; ')}: grub may fail to load xen.gz or the dom0 kernel${both}`,
        evidence,
      }
    if (unknowns.length > 0) {
      return {
        status: 'unknown',
        message: `${ok.length > 0 ? `${ok.join(', ')}; but ` : ''}unknown: ${unknowns.join(', ')}`,
        evidence,
        remedy: /^dk\d+$/.test(root)
          ? `Collect \`dkctl <disk> listwedges > dkctl-<disk>.txt\` for the disk holding ${root} and \`dumpfs -s /dev/r${root} > dumpfs-${root}.txt\` (as root).`
          : `Collect \`disklabel ${part?.disk ?? 'wd0'} > disklabel-${part?.disk ?? 'wd0'}.txt\` and \`dumpfs -s /dev/r${root} > dumpfs-${root}.txt\` (as root).`,
      }
    }

    return {status: 'pass', message: `${ok.join(', ')}: grub can read the root file system${both}`, evidence}
  },
}
