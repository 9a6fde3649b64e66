import * as semver from '../../../util/semver.js'
import {type CheckDefinition, TARGETS, refOf} from '../../../engine/types.js'
import type {XenFacts} from '../../facts.js'


/** NetBSD 5.0 is the first release the Howto installs as dom0; PCI pass-through needs 5.1 in dom0 and domU. */
export const MIN_DOM0_RELEASE = '5.0.0'
export const MIN_PCI_PASSTHROUGH_RELEASE = '5.1.0'

/** `9.99.100` is NetBSD-current between 9 and 10: say so, since users read it as "9.99". */
function describe(printed: string, version: string): string {
  const v = semver.parse(version)
  if (v && v.minor >= 99) return `NetBSD-current ${printed} (development snapshot after ${v.major}, before ${v.major + 1}.0)`
  return `NetBSD ${printed}`
}

export const release: CheckDefinition = {
  id: 'netbsd.release',
  title: 'NetBSD release is recent enough for a Xen dom0',
  targets: TARGETS,
  evidence: ['uname.txt', 'sysctl.txt', 'dmesg.boot'],
  description:
    'The release of the running kernel from `uname -a` (`NetBSD host 5.1_STABLE NetBSD 5.1_STABLE (XEN3_DOM0) …`), else sysctl `kern.osrelease`, else the dmesg banner (`NetBSD 5.0.2 (GENERIC) #0: …`), coerced to semver (`5.1_STABLE` → 5.1.0, `9.99.100` is -current before 10.0).',
  why: 'The Howto installs NetBSD 5.0 or later as domain0; PCI pass-through "is only available in NetBSD-5.1 (and later) domain0 and domU".',
  remedy: 'Install NetBSD 5.0 or later (today: NetBSD 10 amd64 with the xenkernel420/xentools420 packages); for PCI pass-through, NetBSD 5.1 or later.',
  references: ['Howto: Installing NetBSD as privileged domain (Dom0)', 'Howto: Using PCI devices in guest domains'],
  run(ctx) {
    let f: XenFacts
    try {
      f = ctx.facts<XenFacts>('xen')
    } catch (error) {
      return {status: 'unknown', message: `the xen facts that carry the NetBSD release are unavailable: ${error instanceof Error ? error.message : String(error)}`}
    }

    const r = f.netbsdRelease
    if (!r || !f.netbsdVersion) {
      if (f.otherOs) {
        return {status: 'n/a', message: `this host runs ${f.otherOs.value}, not NetBSD yet: install NetBSD ${ctx.target === 'pci-passthrough' ? '5.1' : '5.0'} or later (today NetBSD 10) as the dom0`, evidence: [refOf(f.otherOs)], pending: 'install NetBSD'}
      }

      return {status: 'unknown', message: 'no NetBSD release found: uname.txt, sysctl.txt (kern.osrelease) and dmesg.boot are missing or have no release'}
    }

    const what = describe(r.value, f.netbsdVersion)
    const needed = ctx.target === 'pci-passthrough' ? MIN_PCI_PASSTHROUGH_RELEASE : MIN_DOM0_RELEASE
    const purpose = ctx.target === 'pci-passthrough' ? 'PCI pass-through (dom0 and domU)' : 'a Xen dom0'
    const evidence = [refOf(r)]
    if (semver.lt(f.netbsdVersion, needed)) {
      return {status: 'fail', message: `${what} (${f.netbsdVersion}) is older than ${needed.replace(/\.0$/, '')}, the first release supported for ${purpose}`, evidence}
    }

    const era = f.era ? `; ${f.eraReason}` : ''
    return {status: 'pass', message: `${what} (${f.netbsdVersion}) is ${needed.replace(/\.0$/, '')} or later, as ${purpose} needs${era}`, evidence}
  },
}
