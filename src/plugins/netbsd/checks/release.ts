import * as semver from '../../../util/semver.js'
import {type CheckDefinition, type Fact, refOf, refs} from '../../../engine/types.js'
import type {HostFacts, XenFacts} from '../../facts.js'
import {machineArch, xentoolsBuildsOn} from '../floor.js'
import {errorText} from '../../../util/error-text.js'

/** NetBSD 5.0 is the first release the Howto installs as dom0; PCI pass-through needs 5.1 in dom0 and domU. */
export const MIN_DOM0_RELEASE = '5.0.0'
export const MIN_PCI_PASSTHROUGH_RELEASE = '5.1.0'

/** `9.99.100` is NetBSD-current between 9 and 10: say so, since users read it as "9.99". */
function describe(printed: string, version: string): string {
  const v = semver.parse(version)
  if (v && v.minor >= 99)
    return `NetBSD-current ${printed} (development snapshot after ${v.major}, before ${v.major + 1}.0)`
  return `NetBSD ${printed}`
}

/**
 * The machine architecture of the running kernel: the last word of `uname -a`, else sysctl hw.machine_arch, else
 * the port whose build directory the dmesg banner names (a pre-install dump may hold only a dmesg).
 */
function archOf(host: HostFacts | undefined, xen: XenFacts): Fact<string> | undefined {
  const u = host?.uname
  const word = u ? /\s(\S+)\s*$/.exec(u.value)?.[1] : undefined
  if (u && word && /^(?:amd64|x86_64|i[3-6]86|[a-z][a-z0-9_]*)$/.test(word)) return {...u, value: machineArch(word)}
  const port = xen.kernelPort
  return host?.sysctl['hw.machine_arch'] ?? (port && {...port, value: machineArch(port.value)})
}

const TODAY = 'NetBSD 10 amd64 with `pkgin install xenkernel420 xentools420`'

export const release: CheckDefinition = {
  id: 'netbsd.release',
  title: 'NetBSD release and architecture can run a maintained Xen dom0',
  since: '0.1.0',
  actor: 'packages',
  evidence: ['uname.txt', 'sysctl.txt', 'dmesg.boot', 'pkg_info.txt'],
  description:
    'The release of the running kernel from `uname -a` (`NetBSD host 10.1 NetBSD 10.1 (XEN3_DOM0) … amd64`), else sysctl `kern.osrelease`, else the dmesg banner, and the machine architecture (`uname -a`, `hw.machine_arch`, else the port in the kernel build directory under the dmesg banner, `…/sys/arch/amd64/compile/GENERIC`), against the platforms pkgsrc builds the maintained Xen tools for (`ONLY_FOR_PLATFORM` of sysutils/xentools418 and xentools420: NetBSD 9.0_STABLE, 9.1 and later, -current, 10 and 11, x86_64 only). A dom0 already installed with the Xen 3.x/4.1 packages of the Howto is judged within its era, and warned that nothing in it has security support.',
  why: 'Before installing, what can be installed today decides: xentools418/xentools420 build only for NetBSD ≥ 9.1 on x86_64, and xenkernel420 only for x86_64 (pkgsrc Makefiles); older releases can only run Xen branches that no longer receive security fixes. The Howto installs NetBSD 5.0 or later; PCI pass-through "is only available in NetBSD-5.1 (and later) domain0 and domU".',
  remedy: `Upgrade to NetBSD 10 (amd64) first, then install Xen: ${TODAY}.`,
  references: [
    'pkgsrc sysutils/xentools420 Makefile (ONLY_FOR_PLATFORM)',
    'pkgsrc sysutils/xenkernel420 Makefile',
    'Howto: Installing NetBSD as privileged domain (Dom0)',
    'docs/sources/today-rules.md',
  ],
  run(ctx) {
    let f: XenFacts
    try {
      f = ctx.facts('xen')
    } catch (error) {
      return {
        status: 'unknown',
        message: `the xen facts that carry the NetBSD release are unavailable: ${errorText(error)}`,
      }
    }

    const r = f.netbsdRelease
    if (!r || !f.netbsdVersion) {
      if (f.otherOs) {
        return {
          status: 'n/a',
          message: `this host runs ${f.otherOs.value}, not NetBSD yet: install NetBSD 10 amd64 as the dom0 (${TODAY})`,
          evidence: [refOf(f.otherOs)],
          pending: 'install NetBSD',
        }
      }

      return {
        status: 'unknown',
        message:
          'no NetBSD release found: uname.txt, sysctl.txt (kern.osrelease) and dmesg.boot are missing or have no release',
      }
    }

    const what = describe(r.value, f.netbsdVersion)
    const evidence = [refOf(r)]
    if (semver.lt(f.netbsdVersion, MIN_DOM0_RELEASE)) {
      return {
        status: 'fail',
        message: `${what} (${f.netbsdVersion}) is older than 5.0, the first release that runs as a Xen dom0 at all`,
        evidence,
      }
    }

    if (ctx.target === 'pci-passthrough' && semver.lt(f.netbsdVersion, MIN_PCI_PASSTHROUGH_RELEASE)) {
      return {
        status: 'fail',
        message: `${what} (${f.netbsdVersion}) is older than 5.1, the first release with PCI pass-through (dom0 and domU)`,
        evidence,
      }
    }

    const host: HostFacts | undefined = ctx.optionalFacts('host').value

    const arch = archOf(host, f)
    const installed = f.packages.kernel ?? f.packages.tools
    if (f.era === 'xm') {
      return {
        status: 'warn',
        message: `${what} (${f.netbsdVersion}) with Xen of the Howto's era (${f.eraReason}): consistent within the Xen 3.x/4.1 era, but neither this NetBSD nor that Xen receives security fixes any more`,
        evidence: refs(r, installed, f.running),
        remedy: `Plan a reinstall on today's stack: ${TODAY} (x86_64 only).`,
      }
    }

    if (!arch) {
      return {
        status: 'unknown',
        message: `${what}: the machine architecture is unknown (no uname -a, no hw.machine_arch, no build directory under the dmesg banner), and today's Xen packages are x86_64 only`,
        evidence,
        remedy: 'Save `uname -a > uname.txt`.',
      }
    }

    const floor = xentoolsBuildsOn(r.value, arch.value)
    if (floor.ok) {
      return {
        status: 'pass',
        message: `${what} on ${arch.value}: pkgsrc builds the maintained Xen packages (xenkernel420, xentools420) for it (ONLY_FOR_PLATFORM ${floor.pattern})`,
        evidence: refs(r, arch),
      }
    }

    const why =
      arch.value === 'x86_64'
        ? `below the releases pkgsrc builds xentools418/xentools420 for (NetBSD 9.0_STABLE, 9.1 and later)`
        : `not x86_64, and pkgsrc's Xen 4.x packages are x86_64 only (xenkernel420 ONLY_FOR_PLATFORM NetBSD-*.*-x86_64)`
    if (installed || f.running) {
      return {
        status: 'warn',
        message: `${what} on ${arch.value} runs an installed Xen (${installed ? `${installed.value.name}-${installed.value.version}` : f.running!.value}), but it is ${why}: no maintained, security-supported Xen can be installed on it`,
        evidence: refs(r, arch, installed, f.running),
        remedy: `Upgrade to NetBSD 10 amd64 and reinstall Xen: ${TODAY}.`,
      }
    }

    return {
      status: 'fail',
      message: `${what} on ${arch.value} is ${why}: install or upgrade to NetBSD 10.x${arch.value === 'x86_64' ? '' : ' amd64 (on a 64-bit machine)'} before installing Xen`,
      evidence: refs(r, arch),
      remedy: `Upgrade to NetBSD 10.x amd64 (\`sysupgrade auto https://cdn.NetBSD.org/pub/NetBSD/NetBSD-10.1/amd64\`, or a fresh install), then ${TODAY}.`,
    }
  },
}
