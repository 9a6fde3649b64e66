/**
 * `xendomains` from the guest side. pkgsrc sysutils/xentools420/files/xendomains.sh: "xendomains This
 * required variable is a whitespace-separated list of domains"; each is created at boot with
 * `xl create` of `@PKG_SYSCONFDIR@/%s` (xendomains_config's default), i.e. /usr/pkg/etc/xen/<name>.
 */
import type {Fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'
import {rcConfValue} from './parse-guest.js'

export interface XendomainsList {
  /** The rc.conf line. */
  line: Fact<string>
  names: string[]
}

export function xendomainsOf(rcConf: string, source: string): XendomainsList | undefined {
  const v = rcConfValue(rcConf, 'xendomains', source)
  if (!v) return undefined
  return {line: v, names: v.value.split(/\s+/).filter((n) => /^[A-Za-z0-9._-]+$/.test(n))}
}

/** The file names `ls -1 /usr/pkg/etc/xen` printed (ls-usr-pkg-etc-xen.txt). */
export function listedFiles(text: string): Set<string> {
  return new Set(
    numberedLines(text)
      .map((l) => l.text.trim())
      .filter((n) => n && !n.startsWith('ls:')),
  )
}
