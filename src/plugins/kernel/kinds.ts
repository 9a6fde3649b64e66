/**
 * What a NetBSD kernel file is, from its name, and where a PVH dom0 stands per NetBSD release and Xen
 * branch. Pure. Sources and revisions: docs/sources/today-rules.md.
 */
import * as semver from '../../util/semver.js'

export type KernelKind = 'pv-dom0' | 'pv-dom0-pae' | 'domu' | 'native' | 'kmod' | 'unnamed'

/**
 * The kind of a kernel by its file name. `XEN3_DOM0`/`XEN3PAE_DOM0` are the PV dom0 configurations
 * (sys/arch/{amd64,i386}/conf); `GENERIC`/`INSTALL` are native kernels; `netbsd` alone says nothing
 * (sysupgrade and the installer write GENERIC there).
 */
export function kernelKindByName(path: string): {kind: KernelKind; config?: string} {
  const name = path.replace(/^.*\//, '')
  if (/\.kmod$/i.test(name)) return {kind: 'kmod'}
  if (/XEN3PAE_DOM0/i.test(name)) return {kind: 'pv-dom0-pae', config: 'XEN3PAE_DOM0'}
  if (/XEN3?_?DOM0|DOM0/i.test(name))
    return {kind: 'pv-dom0', config: /XEN3_DOM0/i.test(name) ? 'XEN3_DOM0' : undefined}
  if (/DOMU/i.test(name)) return {kind: 'domu', config: /XEN3PAE_DOMU/i.test(name) ? 'XEN3PAE_DOMU' : 'XEN3_DOMU'}
  const m = /(GENERIC|INSTALL|PVH|MICROVM)/i.exec(name)
  if (m) return {kind: 'native', config: m[1]!.toUpperCase()}
  return {kind: 'unnamed'}
}

export interface PvhSupport {
  /** `none`: the release has no PVH dom0 code; `experimental`: code exists, no release declares it supported. */
  status: 'none' | 'experimental' | 'unknown'
  why: string
}

/**
 * NetBSD as a PVH dom0, by release. netbsd-10 has the PVH dom0 paths (sys/arch/xen/xen/genfb_xen.c
 * rev 1.2.2.2 on netbsd-10: the dom0 console through XENPF_get_dom0_console under XENPVHVM; hypervisor.c
 * rev 1.94 sets up privcmd for any privileged domain, not only XENPV), but the NetBSD Xen HowTo's table
 * still says "PVHv2 | current-only (domU, dom0 not yet)" and no release announcement declares PVH dom0
 * support. NetBSD 9 and older have no PVH guest code at all.
 */
export function netbsdPvhDom0(version: string | undefined): PvhSupport {
  if (!version)
    return {
      status: 'unknown',
      why: 'the NetBSD release is unknown: PVH dom0 code exists only from NetBSD 10 (netbsd-10 and -current), as an experiment',
    }
  const v = semver.coerce(version)
  if (!v) return {status: 'unknown', why: `NetBSD ${version} is not a release number xenready understands`}
  if (v.major < 9 || (v.major === 9 && v.minor < 99))
    return {
      status: 'none',
      why: `NetBSD ${version} has no PVH support (PVH guest and dom0 code first ships with NetBSD 10)`,
    }
  return {
    status: 'experimental',
    why: `NetBSD ${version} has the PVH dom0 code, but no NetBSD release declares PVH dom0 supported (the NetBSD Xen HowTo: "dom0 not yet"): experimental`,
  }
}

/**
 * Xen's own statement of PVH dom0 support (SUPPORT.md of each branch): "Status, dom0: Experimental" up to
 * 4.18; "Supported, with caveats" from 4.19 (CHANGELOG 4.19: "Declare PVH dom0 supported with caveats"),
 * with "PCI Passthrough to any kind of domUs" among the missing features. Both need VMX/SVM and an IOMMU.
 */
export function xenPvhDom0(release: string | undefined): 'experimental' | 'supported-with-caveats' | undefined {
  const m = release ? /^(\d+)\.(\d+)/.exec(release) : null
  if (!m) return undefined
  const [major, minor] = [Number(m[1]), Number(m[2])]
  return major > 4 || (major === 4 && minor >= 19) ? 'supported-with-caveats' : 'experimental'
}
