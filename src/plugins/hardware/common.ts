import type {CheckContext} from '../../engine/types.js'

export const hardware = (ctx: CheckContext) => ctx.facts('hardware')
export const SAVE_DMESG =
  'On the NetBSD host run `cp /var/run/dmesg.boot dmesg.boot` (or `xenready collect`), from a boot of the native GENERIC kernel'
export const INSTALLER_DMESG =
  'Boot the NetBSD installer (or a NetBSD live image) once on this machine, leave sysinst for a shell and save `dmesg > /tmp/dmesg.boot` to a USB stick; put it in the dump as dmesg.boot'
