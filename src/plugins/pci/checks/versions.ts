import {type CheckDefinition, TARGETS, type Outcome} from '../../../engine/types.js'
import * as semver from '../../../util/semver.js'
import {HOWTO, xenFacts, refs, whenPassthrough} from '../common.js'


/** Xen releases the Howto names: only 3.1 carries PCI pass-through with a NetBSD dom0. */
export const versions: CheckDefinition = {
  id: 'pci.versions',
  title: 'NetBSD and Xen releases support PCI pass-through with a NetBSD dom0',
  targets: TARGETS,
  evidence: ['uname.txt', 'dmesg.boot', 'pkg_info.txt', 'xl-info.txt', 'xm-info.txt'],
  description: 'The NetBSD release (≥ 5.1) and the Xen version (running hypervisor, else the xenkernel package), judged by era: the Howto\'s Xen 3.1 rule for Xen 3.x–4.1, NetBSD\'s current pciback(4) for later releases.',
  why: 'This functionality is only available in NetBSD-5.1 (and later) domain0 and domU. If the domain0 is NetBSD, it has to be running Xen 3.1, as support has not been ported to later versions at this time (Howto, written for Xen 3.1/3.3/4.1). pciback(4) of NetBSD 10 still documents pciback.hide and `pci = [...]` for PV domUs.',
  remedy: 'Run NetBSD 5.1 or later in dom0 and domU; with the Howto\'s packages use Xen 3.1 (sysutils/xenkernel3 and xentools3), not 3.3 or 4.1.',
  references: [HOWTO, 'pciback(4) (NetBSD 10)'],
  run: whenPassthrough((_f, ctx) => {
    const {xen, error} = xenFacts(ctx)
    if (!xen) return {status: 'unknown', message: `the NetBSD and Xen releases are unknown: the xen facts are unavailable (${error})`}
    if (xen.otherOs) return {status: 'n/a', message: `this host runs ${xen.otherOs.value}, not NetBSD yet: install NetBSD 5.1 or later (today 10.x) as dom0; pass-through needs it in the domU too`, evidence: refs(xen.otherOs), pending: 'install NetBSD'}
    const outcomes: Outcome[] = []
    const nb = xen.netbsdVersion
    if (!nb || !xen.netbsdRelease) outcomes.push({status: 'unknown', subject: 'NetBSD', message: 'the NetBSD release is unknown (uname.txt, sysctl.txt and dmesg.boot missing or without a release)'})
    else if (semver.lt(nb, '5.1.0')) outcomes.push({status: 'fail', subject: 'NetBSD', message: `NetBSD ${xen.netbsdRelease.value} is older than 5.1: pciback and xpci first appeared in NetBSD 5.1`, evidence: refs(xen.netbsdRelease), remedy: 'Upgrade dom0 and the domU to NetBSD 5.1 or later.'})
    else outcomes.push({status: 'pass', subject: 'NetBSD', message: `NetBSD ${xen.netbsdRelease.value} is 5.1 or later (pciback and xpci first appeared in 5.1); the domU needs 5.1 or later too, with xpci in its kernel`, evidence: refs(xen.netbsdRelease)})
    const v = xen.xenVersion
    const parsed = v ? semver.coerce(v.value) : null
    if (!v || !parsed) {
      outcomes.push({status: 'unknown', subject: 'Xen', message: 'the Xen version is unknown (no running hypervisor and no xenkernel package in the evidence)'})
      return outcomes
    }

    const mm = `${parsed.major}.${parsed.minor}`
    const ev = refs(v)
    if (parsed.major === 3 && parsed.minor === 1) outcomes.push({status: 'pass', subject: 'Xen', message: `Xen ${v.value}: the release the Howto names for PCI pass-through with a NetBSD dom0`, evidence: ev})
    else if (parsed.major < 3 || (parsed.major === 3 && parsed.minor === 0)) outcomes.push({status: 'fail', subject: 'Xen', message: `Xen ${v.value} predates Xen 3.1, the first release with PCI pass-through for a NetBSD dom0`, evidence: ev})
    else if (parsed.major === 3 || (parsed.major === 4 && parsed.minor <= 1)) {
      outcomes.push({status: 'fail', subject: 'Xen', message: `Xen ${mm}: the Howto says "3.1 supports PCI pass-through while other versions do not" (Xen 3.1, 3.3 and 4.1 were the packaged releases); pciback in this era works with Xen 3.1 only`, evidence: ev, remedy: 'Install Xen 3.1 (sysutils/xenkernel3, sysutils/xentools3) for PCI pass-through, or move to a current Xen release.'})
    } else {
      outcomes.push({
        status: 'warn',
        subject: 'Xen',
        message: `Xen ${mm} is newer than the Howto, whose "Xen 3.1 only" rule dates from the Xen 3.1/3.3/4.1 era; NetBSD's current pciback(4) (NetBSD 10) still documents pciback.hide in boot.cfg and pci = [...] in the domU config for paravirtualized domUs, so pass-through is expected to work but is not covered by the Howto: test it with one domU first`,
        evidence: ev,
        remedy: 'Boot a test PV domU with the device in its pci = [...] list and check that xpci and the device driver attach in it.',
      })
    }

    return outcomes
  }),
}
