import type {PluginDefinition} from '../../engine/types.js'
import {DISKLABEL_PATTERN, DUMPFS_PATTERN, deriveStorageFacts} from './facts.js'
import {grubRoot} from './checks/grub-root.js'
import {guestSpace} from './checks/guest-space.js'
import {DF_FILE, DKCTL_PATTERN} from './disk-map.js'

export const storagePlugin: PluginDefinition = {
  name: 'storage',
  title: "Disks and file systems: grub's root partition limits, space for guest disks",
  evidence: [
    {
      kind: 'command',
      name: DISKLABEL_PATTERN,
      description: 'the disklabel of each disk (partition sizes, offsets, fstype, fsize/bsize)',
      argv: ['disklabel', '{disk}'],
      os: ['netbsd'],
      root: true,
      // `hw.disknames = wd0 cd0 dk0`: every wd/sd/ld/raid/xbd/ccd disk name on that line (flags gm).
      expand: {from: 'sysctl.txt', match: '(?<=^hw\\.disknames\\s*[=:][^\\n]*)\\b((?:wd|sd|ld|raid|xbd|ccd)\\d+)\\b'},
    },
    {
      kind: 'command',
      name: DKCTL_PATTERN,
      description:
        'the dk(4) wedges of each disk: GPT partitions with their size, offset and type (root is on one on UEFI installs)',
      argv: ['dkctl', '{disk}', 'listwedges'],
      os: ['netbsd'],
      root: true,
      expand: {from: 'sysctl.txt', match: '(?<=^hw\\.disknames\\s*[=:][^\\n]*)\\b((?:wd|sd|ld|raid|xbd|ccd)\\d+)\\b'},
    },
    {
      kind: 'command',
      name: DF_FILE,
      description: 'space used on each mounted file system (where file-backed guest images live)',
      argv: ['df', '-k'],
      os: ['netbsd'],
    },
    {
      kind: 'command',
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
  checks: [grubRoot, guestSpace],
}
