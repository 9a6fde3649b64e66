import type {HostFacts, BootFacts, CpuFacts, BootEntry} from '../facts.js'
import type {CheckContext} from '../../engine/types.js'
import {type Listed, listedPath} from '../../parsers/ls.js'
import {errorText} from '../../util/error-text.js'

/** Paths whose `ls -ld` the collector writes into ls-paths.txt for these checks. */
export const KERNEL_PATHS = [
  '/xen.gz',
  '/xen-debug.gz',
  '/netbsd',
  '/netbsd.gz',
  '/netbsd.backup',
  '/netbsd.old',
  '/onetbsd',
  '/netbsd-XEN3_DOM0',
  '/netbsd-XEN3_DOM0.gz',
  '/netbsd-XEN3PAE_DOM0',
  '/netbsd-XEN3PAE_DOM0.gz',
  '/netbsd-GENERIC',
  '/netbsd-GENERIC.gz',
  '/netbsd.GENERIC',
] as const

export const EVIDENCE = [
  'ls-paths.txt',
  'files/grub/menu.lst',
  'files/boot/grub/menu.lst',
  'files/boot.cfg',
  'uname.txt',
  'dmesg.boot',
] as const
export const XEN_ANY = /XEN|DOM0|DOMU/i

export interface Context {
  host: HostFacts
  boot?: BootFacts
  bootError?: string
  cpu?: CpuFacts
}

export function gather(ctx: CheckContext): Context {
  const out: Context = {host: ctx.facts('host')}
  try {
    out.boot = ctx.facts('boot')
  } catch (error) {
    out.bootError = errorText(error)
  }

  try {
    out.cpu = ctx.facts('cpu')
  } catch {
    // Without CPU facts the PAE advice is skipped, nothing else depends on them.
  }

  return out
}

/** The file a bootloader path names on the root file system: `(hd0,a)/xen.gz`, `hd0a:/xen.gz`, `xen.gz` → `/xen.gz`. */
export function filePath(path: string): string {
  const file = path.replace(/^\([^)]*\)/, '').replace(/^[a-z]+\d*[a-p]?:/i, '')
  if (!file) return path
  return file.startsWith('/') ? file : `/${file}`
}

export type Lookup = Listed

export function lookup(host: HostFacts, path: string): Lookup {
  // The NetBSD boot loader and grub both read gzipped kernels: `/netbsd-XEN3_DOM0` may exist as `.gz`.
  return listedPath(host.paths, path, [`${path}.gz`])
}

export function xenEntries(boot: BootFacts | undefined): BootEntry[] {
  const xen = (boot?.entries ?? []).filter((e) => e.xen)
  return [...xen.filter((e) => e.isDefault), ...xen.filter((e) => !e.isDefault)]
}

export function entryName(e: BootEntry): string {
  return `${e.loader === 'grub' ? 'grub' : 'boot.cfg'} entry "${e.label}"`
}

export function lsRemedy(path: string): string {
  return `Run \`ls -ld ${path} >> ls-paths.txt 2>&1\` on the host (xenready lists ${KERNEL_PATHS.slice(0, 3).join(', ')}... itself).`
}
