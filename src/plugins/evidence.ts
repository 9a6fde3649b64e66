/**
 * Evidence several plugins read, declared once: the registry refuses one name declared two ways (another
 * command, path, `os` or `root`), so each plugin that needs one of these lists the shared spec instead of
 * writing its own copy. The descriptions are those the evidence catalog has always shown.
 */
import type {CommandSpec, FileSpec} from '../engine/types.js'

export const UNAME: CommandSpec = {
  kind: 'command',
  name: 'uname.txt',
  description: 'kernel name, release, build and architecture',
  argv: ['uname', '-a'],
}
export const MOUNT: CommandSpec = {
  kind: 'command',
  name: 'mount.txt',
  description: 'mounted file systems',
  argv: ['mount'],
}
export const FSTAB: FileSpec = {
  kind: 'file',
  name: 'files/etc/fstab',
  description: 'file systems mounted at boot',
  path: '/etc/fstab',
}
export const SYSCTL: CommandSpec = {
  kind: 'command',
  name: 'sysctl.txt',
  description: 'machine, memory, disks and release sysctl values',
  argv: [
    'sysctl',
    'hw.machine',
    'hw.machine_arch',
    'hw.model',
    'hw.ncpu',
    'hw.physmem64',
    'hw.disknames',
    'kern.ostype',
    'kern.osrelease',
  ],
  os: ['netbsd'],
}
export const DMESG_BOOT: FileSpec = {
  kind: 'file',
  name: 'dmesg.boot',
  description: 'kernel messages of the last boot',
  path: '/var/run/dmesg.boot',
  os: ['netbsd'],
}
export const RC_CONF: FileSpec = {
  kind: 'file',
  name: 'files/etc/rc.conf',
  description: 'daemons started at boot',
  path: '/etc/rc.conf',
  os: ['netbsd'],
}
export const PKG_INFO: CommandSpec = {
  kind: 'command',
  name: 'pkg_info.txt',
  description: 'installed packages',
  argv: ['pkg_info'],
  os: ['netbsd'],
}
export const XL_INFO: CommandSpec = {
  kind: 'command',
  name: 'xl-info.txt',
  description: 'hypervisor information on a running xl-era dom0',
  argv: ['xl', 'info'],
  os: ['netbsd'],
  root: true,
}
export const XM_INFO: CommandSpec = {
  kind: 'command',
  name: 'xm-info.txt',
  description: 'hypervisor information on a running xm-era dom0 (Xen 3.x, 4.1)',
  argv: ['xm', 'info'],
  os: ['netbsd'],
  root: true,
}
export const XL_DMESG: CommandSpec = {
  kind: 'command',
  name: 'xl-dmesg.txt',
  description: "the hypervisor's own boot messages on a running xl-era dom0",
  argv: ['xl', 'dmesg'],
  os: ['netbsd'],
  root: true,
}
