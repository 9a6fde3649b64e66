import type {Fact} from '../../engine/types.js'

/**
 * pkgsrc sysutils/xentools420 files/xendomains.sh (and xentools418): `xendomains` "is a whitespace-separated
 * list of domains, e.g., xendomains="dom1 dom2 dom3""; each is started with `xl create` from
 * `printf "${xendomains_config}" $domain`, default "@PKG_SYSCONFDIR@/%s" (/usr/pkg/etc/xen/%s), and only
 * `if [ -f "$file" ]`: a name without a config file is skipped silently.
 */
export const DEFAULT_XENDOMAINS_CONFIG = '/usr/pkg/etc/xen/%s'
const SWITCH_WORDS = /^(?:yes|no|true|false|on|off|1|0)$/i

export interface XendomainsDomain {
  name: string
  /** The config file xendomains.sh would pass to `xl create`. */
  config: string
  /** Whether that file is in the listing of /usr/pkg/etc/xen; undefined when unknown (no listing, other directory). */
  exists?: boolean
}

export interface XendomainsPlan {
  setting: Fact<string>
  /** The names listed. */
  domains: XendomainsDomain[]
  /** Set when the value reads like an rc.conf switch (`YES`): it is taken as a domain named "YES". */
  switchWord?: string
  configFormat: string
  configSetting?: Fact<string>
}

/**
 * The domains `/etc/rc.d/xendomains start` will try, and whether their configs exist. `listing` is the
 * output of `ls -1 /usr/pkg/etc/xen` (names only); undefined when not collected.
 */
export function planXendomains(
  rc: Readonly<Record<string, Fact<string>>>,
  listing: readonly string[] | undefined,
): XendomainsPlan | undefined {
  const setting = rc.xendomains
  if (!setting) return undefined
  const configSetting = rc.xendomains_config
  const configFormat = configSetting?.value || DEFAULT_XENDOMAINS_CONFIG
  const names = setting.value.split(/\s+/).filter(Boolean)
  const directory = configFormat.replace(/\/[^/]*$/, '')
  const domains = names.map((name): XendomainsDomain => {
    const config = configFormat.replace('%s', name)
    const inListedDir =
      listing !== undefined &&
      directory === '/usr/pkg/etc/xen' &&
      config.startsWith('/usr/pkg/etc/xen/') &&
      !config.slice('/usr/pkg/etc/xen/'.length).includes('/')
    return inListedDir
      ? {name, config, exists: listing.includes(config.slice('/usr/pkg/etc/xen/'.length))}
      : {name, config}
  })
  const switchWord = names.length === 1 && SWITCH_WORDS.test(names[0]!) ? names[0] : undefined
  return {
    setting,
    domains,
    configFormat,
    ...(switchWord ? {switchWord} : {}),
    ...(configSetting ? {configSetting} : {}),
  }
}
