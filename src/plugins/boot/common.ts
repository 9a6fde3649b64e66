import type {CheckContext, Outcome} from '../../engine/types.js'
import {type BootFactsFull, BOOT_CONFIGS} from './facts.js'
import type {BootEntry} from '../facts.js'

export const boot = (ctx: CheckContext) => ctx.facts('boot')

/** The Howto's grub lines and boot.cfg(5)'s Xen example, quoted in remedies. */
export const HOWTO_GRUB_XEN =
  '`kernel (hd0,a)/xen.gz dom0_mem=65536 com1=115200,8n1` followed by `module (hd0,a)/netbsd bootdev=wd0a ro console=ttyS0`'

export function noConfig(): Outcome {
  return {status: 'unknown', message: `no bootloader configuration in the evidence (${BOOT_CONFIGS.join(', ')})`}
}

export function entryName(e: BootEntry): string {
  return `${e.loader === 'grub' ? 'grub' : 'boot.cfg'} entry "${e.label}"`
}

export function xenEntries(f: BootFactsFull): BootEntry[] {
  return f.entries.filter((e) => e.xen)
}
