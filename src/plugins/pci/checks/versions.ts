import {type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import * as semver from '../../../util/semver.js'
import {HOWTO, passthroughApplies} from '../common.js'
import {passthroughStatement} from '../package-statements.js'
import {pvhDom0Entry} from '../../boot-entries.js'

/** Xen releases the Howto names: only 3.1 carries PCI pass-through with a NetBSD dom0. */
export const versions: CheckDefinition = {
  id: 'pci.versions',
  title: 'NetBSD and Xen releases support PCI pass-through with a NetBSD dom0',
  since: '0.1.0',
  actor: 'packages',
  evidence: ['uname.txt', 'dmesg.boot', 'pkg_info.txt', 'xl-info.txt', 'xm-info.txt'],
  description:
    'The NetBSD release (≥ 5.1) and the Xen version (running hypervisor, else the xenkernel package), judged by era: the Howto\'s Xen 3.1 rule for Xen 3.x–4.1; for later Xen, what the installed xenkernel package says in its own DESCR (xenkernel418, xenkernel420: "PCI passthrough is not supported."); and whether the boot entry asks for a PVH dom0 (`dom0=pvh`), which has no pass-through.',
  why: 'This functionality is only available in NetBSD-5.1 (and later) domain0 and domU. If the domain0 is NetBSD, it has to be running Xen 3.1, as support has not been ported to later versions at this time (Howto, written for Xen 3.1/3.3/4.1). pciback(4) of NetBSD 10 still documents pciback.hide and `pci = [...]` for PV domUs.',
  remedy:
    "Run NetBSD 5.1 or later in dom0 and domU; with the Howto's packages use Xen 3.1 (sysutils/xenkernel3 and xentools3), not 3.3 or 4.1.",
  references: [HOWTO, 'pciback(4) (NetBSD 10)', 'pkgsrc sysutils/xenkernel420/DESCR', 'Xen SUPPORT.md (x86/PVH)'],
  applies: passthroughApplies,
  run(ctx) {
    const {value: xen, reason} = ctx.optionalFacts('xen')
    if (!xen) return {status: 'unknown', message: `the NetBSD and Xen releases are unknown: ${reason}`}
    if (xen.otherOs)
      return {
        status: 'n/a',
        message: `this host runs ${xen.otherOs.value}, not NetBSD yet: install NetBSD 5.1 or later (today 10.x) as dom0; pass-through needs it in the domU too`,
        evidence: refs(xen.otherOs),
        pending: 'install NetBSD',
      }
    const outcomes: Outcome[] = []
    const nb = xen.netbsdVersion
    if (!nb || !xen.netbsdRelease)
      outcomes.push({
        status: 'unknown',
        subject: 'NetBSD',
        message: 'the NetBSD release is unknown (uname.txt, sysctl.txt and dmesg.boot missing or without a release)',
      })
    else if (semver.lt(nb, '5.1.0'))
      outcomes.push({
        status: 'fail',
        subject: 'NetBSD',
        message: `NetBSD ${xen.netbsdRelease.value} is older than 5.1: pciback and xpci first appeared in NetBSD 5.1`,
        evidence: refs(xen.netbsdRelease),
        remedy: 'Upgrade dom0 and the domU to NetBSD 5.1 or later.',
      })
    else
      outcomes.push({
        status: 'pass',
        subject: 'NetBSD',
        message: `NetBSD ${xen.netbsdRelease.value} is 5.1 or later (pciback and xpci first appeared in 5.1); the domU needs 5.1 or later too, with xpci in its kernel`,
        evidence: refs(xen.netbsdRelease),
      })
    const v = xen.xenVersion
    const parsed = v ? semver.coerce(v.value) : null
    if (!v || !parsed) {
      outcomes.push({
        status: 'unknown',
        subject: 'Xen',
        message: 'the Xen version is unknown (no running hypervisor and no xenkernel package in the evidence)',
      })
      return outcomes
    }

    const mm = `${parsed.major}.${parsed.minor}`
    const ev = refs(v)
    if (parsed.major === 3 && parsed.minor === 1)
      outcomes.push({
        status: 'pass',
        subject: 'Xen',
        message: `Xen ${v.value}: the release the Howto names for PCI pass-through with a NetBSD dom0`,
        evidence: ev,
      })
    else if (parsed.major < 3 || (parsed.major === 3 && parsed.minor === 0))
      outcomes.push({
        status: 'fail',
        subject: 'Xen',
        message: `Xen ${v.value} predates Xen 3.1, the first release with PCI pass-through for a NetBSD dom0`,
        evidence: ev,
      })
    else if (parsed.major === 3 || (parsed.major === 4 && parsed.minor <= 1)) {
      outcomes.push({
        status: 'fail',
        subject: 'Xen',
        message: `Xen ${mm}: the Howto says "3.1 supports PCI pass-through while other versions do not" (Xen 3.1, 3.3 and 4.1 were the packaged releases); pciback in this era works with Xen 3.1 only`,
        evidence: ev,
        remedy:
          'Install Xen 3.1 (sysutils/xenkernel3, sysutils/xentools3) for PCI pass-through, or move to a current Xen release.',
      })
    } else {
      const kernelPkg = xen.packages.kernel
      const statement = kernelPkg ? passthroughStatement(kernelPkg.value.name) : undefined
      if (statement && !statement.supported) {
        outcomes.push({
          status: 'fail',
          subject: 'Xen',
          message: `Xen ${mm} from ${kernelPkg!.value.name}-${kernelPkg!.value.version}, whose own description says: "${statement.quote}" (${statement.source})`,
          evidence: refs(v, kernelPkg),
          remedy:
            'Do not count on PCI pass-through with this package: give the domU a virtual device (a `vif` on a bridge, an `xbd` disk) instead, or test pass-through yourself knowing pkgsrc does not support it.',
        })
      } else if (statement) {
        outcomes.push({
          status: 'pass',
          subject: 'Xen',
          message: `Xen ${mm} from ${kernelPkg!.value.name}: "${statement.quote}" (${statement.source})`,
          evidence: refs(v, kernelPkg),
        })
      } else {
        outcomes.push({
          status: 'warn',
          subject: 'Xen',
          message: `Xen ${mm}${kernelPkg ? ` from ${kernelPkg.value.name}` : ''}: newer than the Howto's "Xen 3.1 only" rule, and what ${kernelPkg ? `the ${kernelPkg.value.name} package` : 'the installed package'} says about PCI pass-through was not read (pkgsrc xenkernel418 and xenkernel420 say "PCI passthrough is not supported")`,
          evidence: refs(v, kernelPkg),
          remedy: `Read the package's description (\`pkg_info -d ${kernelPkg?.value.name ?? 'xenkernel420'}\`) before relying on pass-through, and test it with one domU first.`,
        })
      }
    }

    const pvh = pvhDom0Entry(ctx.optionalFacts('boot').value)
    if (pvh) {
      outcomes.push({
        status: 'fail',
        subject: 'dom0 mode',
        message: `the Xen line of ${pvh.label} asks for a PVH dom0 (\`dom0=pvh\`): Xen's SUPPORT.md lists "PCI Passthrough to any kind of domUs" among the features a PVH dom0 does not have`,
        evidence: refs(pvh.xen!.ref),
        remedy:
          'Boot a PV dom0 for pass-through: drop `dom0=pvh` and load the XEN3_DOM0 kernel (`load /netbsd-XEN3_DOM0.gz console=pc pciback.hide=(00:0a.0);multiboot /xen.gz dom0_mem=1024M`).',
      })
    }

    return outcomes
  },
}
