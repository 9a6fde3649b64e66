/**
 * Fact contracts between plugins. A plugin reads another plugin's facts only through the engine
 * (`ctx.facts('boot')`, typed by the provider's `FactMap` entry), never by importing its code; these types
 * are the agreement.
 * Providers may add fields; removing or renaming one is a breaking change for the other plugins.
 */
import type {EvidenceRef, Fact} from '../engine/types.js'
import type {ParsedDf} from '../parsers/df.js'
import type {DiskMap, DiskOwnership} from './storage/facts.js'

export type {CpuFacts} from './cpu/facts.js'
export type {HostFacts} from './host/facts.js'
export type {DiskExtent, DiskMap, DiskOwnership, KnownDevice, Ownership} from './storage/facts.js'

/** `boot` facts (boot plugin): the bootloader configuration and its Xen entries. */
export interface BootFacts {
  /** Bootloaders whose configuration is in the evidence: grub (`menu.lst`), netbsd (`boot.cfg`). Empty when neither. */
  loaders: Array<'grub' | 'netbsd'>
  entries: BootEntry[]
  /** Physical memory in bytes, from sysctl `hw.physmem64` or dmesg `total memory =`. */
  physicalMemory?: Fact<number>
}

export interface BootLine {
  /** The path loaded, as written (`(hd0,a)/xen.gz`, `/xen.gz`, `/netbsd-XEN3_DOM0.gz`). */
  path: string
  /** The arguments after the path, split on white space (`dom0_mem=65536`, `pciback.hide=(00:0a.0)`). */
  args: string[]
  ref: EvidenceRef
}

export interface BootEntry {
  loader: 'grub' | 'netbsd'
  label: string
  /** The `title` line or the `menu=` line. */
  ref: EvidenceRef
  isDefault: boolean
  /** The hypervisor loaded by multiboot: grub `kernel .../xen.gz`, boot.cfg `multiboot /xen.gz`. */
  xen?: BootLine
  /** The dom0 kernel loaded as a module: grub `module`, boot.cfg `load`. */
  dom0?: BootLine
  /** A native (non-Xen) NetBSD kernel boot: grub `kernel --type=netbsd`, boot.cfg `boot netbsd`, or a chainloader. */
  native?: BootLine
  /** `dom0_mem=` of the Xen line, in bytes. */
  dom0MemBytes?: number
}

/** `xen` facts (xen runtime plugin): releases, the running hypervisor, installed packages, the era assumed. */
export interface XenFacts {
  /** NetBSD release as printed (`5.1_STABLE`, `10.0`, `9.99.100`) and coerced to semver (`5.1.0`). */
  netbsdRelease?: Fact<string>
  netbsdVersion?: string
  /** Set when this host already runs under Xen: the `hypervisor0 at mainbus0: Xen version` line or a DOM0 kernel. */
  running?: Fact<string>
  /** Whether the running kernel is a dom0 (privileged) rather than a domU. */
  runningDom0?: boolean
  /** Xen version from the running hypervisor, else from the installed xenkernel package, coerced to semver. */
  xenVersion?: Fact<string>
  /** `xm` (Xen 3.x, 4.1, xend) or `xl` (Xen 4.2 and later, xencommons), with why it was assumed. */
  era?: 'xm' | 'xl'
  eraReason: string
  packages: {
    kernel?: Fact<{name: string; version: string}>
    tools?: Fact<{name: string; version: string}>
    /** Every package of `pkg_info.txt` by name; undefined when pkg_info.txt is missing. */
    all?: Map<string, Fact<{name: string; version: string}>>
  }
  /** `xl info` / `xm info` key values (`xen_caps`, `virt_caps`, `total_memory`, `xen_commandline`). */
  info?: Record<string, Fact<string>>
  /** Added by the xen plugin: the running NetBSD kernel's configuration name (`XEN3_DOM0`, `GENERIC`). */
  kernelConfig?: Fact<string>
  /** The port the dmesg's kernel was built for (`amd64`, `i386`), from the build directory under its banner. */
  kernelPort?: Fact<string>
  /** Added by the xen plugin: set when uname.txt shows another OS (Linux before NetBSD is installed). */
  otherOs?: Fact<string>
  /**
   * Added by the xen plugin: the version the running hypervisor reports (dmesg, `xl info`, `xl dmesg`), even when
   * packages say otherwise.
   */
  runningVersion?: Fact<string>
  /** Added by the xen plugin: the Xen release each installed package branch stands for (`xenkernel41` → `4.1`). */
  kernelRelease?: string
  toolsRelease?: string
  /**
   * Added by the xen plugin: the options the running hypervisor was booted with: `xen_commandline` of `xl info`,
   * else the `Command line:` line of its boot log (xl-dmesg.txt, with or without console timestamps).
   */
  commandLine?: Fact<string>
}

/** `storage` facts (storage plugin): disklabels, file systems, the root partition. */
export interface StorageFacts {
  disks: Record<string, DiskLabel>
  /** Root partition name (`wd0a`) from mount.txt or fstab. */
  root?: Fact<string>
  /** Partition names mounted in dom0 (`wd0a`, `wd0e`), from mount.txt. */
  mounted: Set<string>
  /** Every partition and dk(4) wedge with its sectors, and what dom0 mounts and swaps on. */
  diskMap?: DiskMap
  /**
   * Whether dom0 uses a device, and the sectors it covers, asked of the disk map: `ownership.of('/dev/dk3')`
   * (the rules: src/plugins/storage/ownership.ts). Set whenever diskMap is.
   */
  ownership?: DiskOwnership
  /** df.txt (`df -k`), when in the evidence. */
  df?: ParsedDf
}

export interface DiskLabel {
  disk: string
  source: string
  bytesPerSector: number
  totalSectors?: number
  partitions: Record<
    string,
    Fact<{letter: string; sizeSectors: bigint; offsetSectors: bigint; fstype: string; fsize?: number; bsize?: number}>
  >
}

export type {ConfigValue} from '../parsers/xen-config.js'
import type {ConfigValue} from '../parsers/xen-config.js'

/** `domu` facts (domU plugin): every domain config under files/usr/pkg/etc/xen/ (and --domu files). */
export interface DomuFacts {
  configs: DomuConfig[]
}

export interface DomuConfig {
  /** Evidence name of the config file (`files/usr/pkg/etc/xen/nbsd`). */
  source: string
  /** Variables as assigned (after `+=`), each with the line of its (last) assignment. */
  values: Record<string, Fact<ConfigValue>>
  /** Syntax errors, with line and column; a config with errors still yields what parsed before them. */
  errors: Array<{line: number; column: number; message: string}>
}
