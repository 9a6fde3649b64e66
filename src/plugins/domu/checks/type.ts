import type {CheckDefinition, Outcome} from '../../../engine/types.js'
import {refs} from '../../../engine/types.js'
import {guestKind, netbsdKernelConfig} from '../parse-entries.js'
import {NO_CONFIGS, domu} from '../common.js'
import {hvmCapability, judgeGuestType} from '../guest-type.js'

export const typeCheck: CheckDefinition = {
  id: 'domu.type',
  title: "domU guest type (PV, PVH, HVM) is one this dom0's Xen can run",
  since: '0.1.0',
  actor: 'os-config',
  evidence: [
    'files/usr/pkg/etc/xen/*',
    'xl-info.txt',
    'xm-info.txt',
    'pkg_info.txt',
    'cpuctl-identify.txt',
    'dmesg.boot',
  ],
  description:
    'The type each config asks for, as xl reads it (`type =`, the deprecated `builder =`, PV by default; legacy `pvh = 1` is no longer read by xl), against this dom0: PVH and HVM need VMX/SVM (`xen_caps` of `xl info`, or the CPU features); a PVH NetBSD guest needs NetBSD 10 or later (GENERIC); `device_model_version = "qemu-xen-traditional"` is not built by xentools420; 32-bit PV kernels (XEN3PAE_DOMU) are no longer supported by xenkernel418/420; xm (Xen 3.x/4.1) has no PVH.',
  why: 'xl.cfg(5): type="pvh" "requires a PVH aware kernel", type="hvm" is "a fully virtualised computer"; both are HVM containers that need the CPU\'s VT-x/AMD-V. pkgsrc xenkernel420 MESSAGE: "32bits PV guests are not officially supported any more. Switch to pvshim (for netbsd-9 or older) or pvh (for netbsd-10 or newer)." xentools420 builds qemu-xen only.',
  remedy:
    'Use today\'s form `type = "pvh"` with `kernel = "/netbsd-GENERIC"` for a NetBSD 10 guest on a CPU with VMX/SVM; `type = "pv"` with netbsd-XEN3_DOMU otherwise; leave `device_model_version` unset for HVM.',
  references: [
    'xl.cfg(5) Selecting Guest Type',
    'pkgsrc sysutils/xenkernel420/MESSAGE',
    'pkgsrc sysutils/xentools420/version.mk',
    'docs/sources/disks-guests.md',
  ],
  run(ctx) {
    const {configs} = domu(ctx)
    if (configs.length === 0) return {status: 'n/a', message: NO_CONFIGS}
    const xen = ctx.optionalFacts('xen').value
    const cpu = ctx.optionalFacts('cpu').value
    const host = {
      era: xen?.era,
      toolsRelease: xen?.toolsRelease,
      kernelRelease: xen?.kernelRelease,
      xenVersion: xen?.xenVersion?.value,
      hvm: hvmCapability(cpu),
    }
    return configs.map((c): Outcome => {
      const s = (k: string) => (typeof c.values[k]?.value === 'string' ? (c.values[k]!.value as string) : undefined)
      const kernelPath = s('kernel')
      const kind = guestKind({
        kernel: kernelPath,
        builder: s('builder'),
        type: s('type'),
        extra: s('extra'),
        bootloader: s('bootloader'),
        root: s('root'),
      })
      const v = judgeGuestType(c.values, host, {
        netbsd: kind === 'netbsd',
        kernelPath,
        kernelConfig: kernelPath ? netbsdKernelConfig(kernelPath) : undefined,
      })
      const out: Outcome = {
        status: v.status,
        subject: c.file,
        message: v.says.join('; '),
        evidence: refs(...v.evidence),
      }
      if (v.remedy && v.status !== 'pass') out.remedy = v.remedy
      else if (v.status === 'unknown')
        out.remedy =
          'Run `xl info > xl-info.txt` on the running dom0 (`xen_caps` lists `hvm-3.0-…` when PVH/HVM guests can run), or `cpuctl identify 0 > cpuctl-identify.txt` before Xen is installed.'
      return out
    })
  },
}
