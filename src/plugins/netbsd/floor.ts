/**
 * Which NetBSD releases today's Xen packages build on, and the userland release. Pure.
 *
 * pkgsrc sysutils/xentools420/Makefile (rev 1.7) and sysutils/xentools418/Makefile list, word for word:
 *   ONLY_FOR_PLATFORM+= NetBSD-1[0-9]*-x86_64 NetBSD-9.99.*-x86_64 NetBSD-9.[1-9]-x86_64
 *                       NetBSD-9.[1-9]_*-x86_64 NetBSD-9.0_STABLE-x86_64
 * and sysutils/xenkernel420/Makefile `ONLY_FOR_PLATFORM= NetBSD-*.*-x86_64`: x86_64 only, and the tools
 * (without which no domain can be created) need NetBSD 9.0_STABLE, 9.1 or later.
 */

export const XENTOOLS_PLATFORMS = [
  'NetBSD-1[0-9]*-x86_64',
  'NetBSD-9.99.*-x86_64',
  'NetBSD-9.[1-9]-x86_64',
  'NetBSD-9.[1-9]_*-x86_64',
  'NetBSD-9.0_STABLE-x86_64',
] as const

/** A pkgsrc platform glob (`*`, `?`, `[...]`) as a regular expression. */
function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = glob.indexOf(']', i)
      re += glob.slice(i, end + 1)
      i = end
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }

  return new RegExp(`^${re}$`)
}

/** NetBSD's MACHINE_ARCH for a uname machine: `amd64` → `x86_64`. */
export function machineArch(machine: string): string {
  return machine === 'amd64' ? 'x86_64' : machine
}

/**
 * Whether xentools418/xentools420 build for this release (as printed: `10.0`, `9.3_STABLE`, `9.99.100`)
 * and MACHINE_ARCH. The matching ONLY_FOR_PLATFORM pattern is returned for the message.
 */
let platformPatterns: Array<[glob: string, re: RegExp]> | undefined

export function xentoolsBuildsOn(release: string, arch: string): {ok: boolean; pattern?: string} {
  const platform = `NetBSD-${release}-${arch}`
  platformPatterns ??= XENTOOLS_PLATFORMS.map((p) => [p, globToRegExp(p)])
  const pattern = platformPatterns.find(([, re]) => re.test(platform))?.[0]
  return pattern ? {ok: true, pattern} : {ok: false}
}
