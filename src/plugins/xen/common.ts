import type {CheckContext} from '../../engine/types.js'
import type {HostFacts} from '../facts.js'

export const xen = (ctx: CheckContext) => ctx.facts('xen')

export function host(ctx: CheckContext): HostFacts {
  return ctx.optionalFacts('host').value ?? {sysctl: {}}
}

/**
 * What `xl create` needs on disk (pkgsrc xentools420 Makefile: XEND_SCRIPTS, CONF_FILES_PERMS ... 0755); xen.toolstack.
 */
export const TOOLSTACK_PATHS = [
  '/usr/pkg/sbin/xl',
  '/usr/pkg/etc/xen/scripts/block',
  '/usr/pkg/etc/xen/scripts/vif-bridge',
] as const

/** `ls -ld` targets: Xen devices, kernfs entries, the rc.d scripts of every era and the xl toolstack. */
export const XEN_LS_PATHS = [
  '/dev/xencons',
  '/dev/xenevt',
  '/dev/xsd_kva',
  '/kern/xen',
  '/kern/xen/privcmd',
  '/kern/xen/xsd_port',
  '/usr/pkg/share/examples/rc.d/xend',
  '/usr/pkg/share/examples/rc.d/xenbackendd',
  '/usr/pkg/share/examples/rc.d/xencommons',
  '/usr/pkg/share/examples/rc.d/xendomains',
  '/etc/rc.d/xend',
  '/etc/rc.d/xenbackendd',
  '/etc/rc.d/xencommons',
  '/etc/rc.d/xendomains',
  ...TOOLSTACK_PATHS,
] as const
