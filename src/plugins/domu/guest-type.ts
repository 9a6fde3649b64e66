/**
 * The guest type a configuration asks for, and whether today's Xen on this dom0 can run it. Pure.
 * Sources (docs/sources/disks-guests.md): xl.cfg(5) "Selecting Guest Type"; tools/xl/xl_parse.c (only
 * `type` and the deprecated `builder` choose the type, PV by default on x86; `pvh` is no longer read);
 * pkgsrc xentools420/version.mk (no qemu-xen-traditional) and xenkernel418/420 MESSAGE (32-bit PV guests).
 */
import type {EvidenceRef, Fact, Outcome} from '../../engine/types.js'
import type {ConfigValue, CpuFacts} from '../facts.js'

type Status = Outcome['status']
export type GuestType = 'pv' | 'pvh' | 'hvm'

export interface RequestedType {
  type?: GuestType
  /** How the config says it: `type = "pvh"`, `builder = "hvm"`, legacy `pvh = 1`, or nothing (xl's PV default). */
  how: 'type' | 'builder' | 'pvh' | 'default'
  ref?: EvidenceRef
  problem?: string
}

const str = (f?: Fact<ConfigValue>) => (typeof f?.value === 'string' ? f.value : undefined)
const truthy = (f?: Fact<ConfigValue>) =>
  f !== undefined && (f.value === true || (typeof f.value === 'number' && f.value !== 0) || f.value === '1')

/** `type` first, `builder` second (xl_parse.c: contradicting values are an error), then legacy `pvh = 1`. */
export function requestedType(values: Record<string, Fact<ConfigValue>>): RequestedType {
  const t = str(values.type)
  const b = str(values.builder)
  const byType: Record<string, GuestType> = {pv: 'pv', pvh: 'pvh', hvm: 'hvm'}
  const byBuilder: Record<string, GuestType> = {generic: 'pv', hvm: 'hvm'}
  if (values.type && (t === undefined || !byType[t]))
    return {
      how: 'type',
      ref: values.type,
      problem: `type = ${JSON.stringify(values.type.value)}: xl knows "pv", "pvh" and "hvm" only ("Invalid domain type")`,
    }
  if (values.builder && (b === undefined || !byBuilder[b]))
    return {
      how: 'builder',
      ref: values.builder,
      problem: `builder = ${JSON.stringify(values.builder.value)}: xl knows "generic" (PV) and "hvm" only`,
    }
  if (t && b && byType[t] !== byBuilder[b])
    return {
      how: 'type',
      ref: values.type,
      problem: `type = "${t}" and builder = "${b}" contradict each other (xl: "Contradicting \\"builder\\" and \\"type\\" options specified")`,
    }
  if (t) return {type: byType[t], how: 'type', ref: values.type}
  if (b) return {type: byBuilder[b], how: 'builder', ref: values.builder}
  if (truthy(values.pvh)) return {type: 'pvh', how: 'pvh', ref: values.pvh}
  return {type: 'pv', how: 'default'}
}

/** Whether the hypervisor (or else the CPU) offers HVM containers, which PVH and HVM guests both need. */
export function hvmCapability(cpu: CpuFacts | undefined): {capable?: boolean; says: string; ref?: EvidenceRef} {
  if (!cpu) return {says: 'the CPU facts are unavailable'}
  if (cpu.xenCaps) {
    const yes = /\bhvm-\d/.test(cpu.xenCaps.value)
    return {
      capable: yes,
      says: `xen_caps: ${cpu.xenCaps.value}${yes ? '' : ' (no hvm-3.0-…: VMX/SVM is off or missing)'}`,
      ref: cpu.xenCaps,
    }
  }

  if (cpu.caps.hvm) return {capable: true, says: `the CPU has ${cpu.caps.hvm.value.toUpperCase()}`, ref: cpu.caps.hvm}
  if (cpu.xenGuest)
    return {
      says: 'this host already runs under Xen, whose dom0 CPUID may hide VMX/SVM: only `xl info` (xen_caps) tells',
      ref: cpu.xenGuest,
    }
  if (!cpu.identity.source || !cpu.identity.featuresSeen) return {says: 'no CPU features lines in the evidence'}
  if (cpu.identity.vendor?.value === 'amd' && !cpu.identity.amdExtendedEcxDecoded)
    return {says: 'this NetBSD kernel does not decode the CPUID word that holds SVM'}
  return {
    capable: false,
    says: 'the CPU has neither VMX nor SVM (or it is disabled in the firmware)',
    ref: cpu.identity.vendor,
  }
}

export interface HostForGuests {
  /** `xm` or `xl`, when known. */
  era?: 'xm' | 'xl'
  /** Branch of the installed packages: `4.20` for xentools420, `3` for xentools3. */
  toolsRelease?: string
  kernelRelease?: string
  /** Running or installed Xen version, semver (`4.20.1`). */
  xenVersion?: string
  hvm: {capable?: boolean; says: string; ref?: EvidenceRef}
}

export interface TypeVerdict {
  status: Status
  says: string[]
  evidence: Array<EvidenceRef | undefined>
  remedy?: string
}

const releaseAtLeast = (release: string | undefined, major: number, minor: number): boolean | undefined => {
  const m = /^(\d+)(?:\.(\d+))?/.exec(release ?? '')
  if (!m) return undefined
  const [a, b] = [Number(m[1]), Number(m[2] ?? 0)]
  return a > major || (a === major && b >= minor)
}

const worst = (a: Status, b: Status): Status => {
  const rank: Record<Status, number> = {'n/a': 0, pass: 1, unknown: 2, warn: 3, fail: 4}
  return rank[b] > rank[a] ? b : a
}

/** A NetBSD release in a kernel path (`/xen/netbsd-9.3/netbsd-GENERIC`, `netbsd10-GENERIC`), when written there. */
export function netbsdReleaseInPath(path: string): number | undefined {
  const m = /netbsd[-_]?(\d{1,2})(?:[._]\d+)?(?![\d])/i.exec(path)
  return m ? Number(m[1]) : undefined
}

/**
 * The guest type rules. `kernelConfig` is the NetBSD kernel configuration in the kernel's file name
 * (`XEN3_DOMU`, `GENERIC`), `netbsd` whether the guest is NetBSD.
 */
export function judgeGuestType(
  values: Record<string, Fact<ConfigValue>>,
  host: HostForGuests,
  guest: {netbsd: boolean; kernelConfig?: string; kernelPath?: string},
): TypeVerdict {
  const req = requestedType(values)
  const v: TypeVerdict = {status: 'pass', says: [], evidence: [req.ref]}
  const flag = (s: Status, text: string) => {
    v.status = worst(v.status, s)
    v.says.push(text)
  }

  if (req.problem || !req.type) {
    flag('fail', req.problem ?? 'the guest type cannot be read')
    v.remedy =
      'Choose the type with xl\'s own key: `type = "pvh"` (NetBSD 10 and later, Linux), `type = "pv"` or `type = "hvm"`.'
    return v
  }

  const type = req.type
  const label = {pv: 'PV', pvh: 'PVH', hvm: 'HVM'}[type]
  if (req.how === 'pvh') {
    flag(
      'warn',
      'legacy `pvh = 1`: xl reads only `type` (and the deprecated `builder`) since Xen 4.10 and would build this guest as PV; prefer type = "pvh"',
    )
    v.remedy = 'Replace `pvh = 1` with `type = "pvh"`.'
  } else if (req.how === 'builder')
    v.says.push(
      `builder = "${str(values.builder)}" (deprecated since Xen 4.10; type = "${type}" is today's form) asks for ${label}`,
    )
  else if (req.how === 'type') v.says.push(`type = "${type}": a ${label} guest`)
  else
    v.says.push(
      host.era === 'xm'
        ? "no builder =: a PV guest (xm's default)"
        : 'no type =: xl builds a PV guest (the x86 default)',
    )

  if (type === 'pvh' && host.era === 'xm') {
    flag('fail', 'this dom0 runs the xm toolstack (Xen 3.x/4.1), which has no PVH guests')
    v.remedy =
      'Run it as a PV guest with a XEN3_DOMU kernel (remove type/pvh), or upgrade to Xen 4.18 or 4.20 from pkgsrc (xl).'
    return v
  }

  if (type === 'pvh' && releaseAtLeast(host.xenVersion ?? host.toolsRelease, 4, 10) === false) {
    flag('fail', `Xen ${host.xenVersion ?? host.toolsRelease} predates PVH guests as type = "pvh" (Xen 4.10)`)
    v.remedy = 'Upgrade to xenkernel420/xentools420 (or 418) from pkgsrc, or run the guest as PV.'
    return v
  }

  if (type === 'pvh' || type === 'hvm') {
    v.evidence.push(host.hvm.ref)
    if (host.hvm.capable === false) {
      flag('fail', `${label} guests run in an HVM container, which needs VMX/SVM: ${host.hvm.says}`)
      v.remedy = `Enable Intel VT-x / AMD-V in the firmware setup (nested virtualization on a virtual machine), or run the guest as PV${guest.netbsd ? ' with the XEN3_DOMU kernel' : ''}.`
    } else if (host.hvm.capable === undefined)
      flag('unknown', `${label} needs VMX/SVM and whether this host has it is unknown (${host.hvm.says})`)
    else v.says.push(`VMX/SVM available (${host.hvm.says})`)
  }

  if (type === 'pvh' && guest.netbsd) {
    const release = guest.kernelPath ? netbsdReleaseInPath(guest.kernelPath) : undefined
    if (release !== undefined && release < 10) {
      flag(
        'fail',
        `a PVH NetBSD guest needs NetBSD 10 or later; ${guest.kernelPath} is NetBSD ${release} (pkgsrc xenkernel420 MESSAGE: "pvshim (for netbsd-9 or older) or pvh (for netbsd-10 or newer)")`,
      )
      v.remedy =
        'Boot NetBSD 9 and older as PV (`type = "pv"` with netbsd-XEN3_DOMU) or in a PVH container with `pvshim = 1`, or use NetBSD 10\'s GENERIC: `kernel = "/netbsd-GENERIC"`.'
    } else if (guest.kernelConfig && /XEN3(PAE)?_DOMU/.test(guest.kernelConfig) && !truthy(values.pvshim)) {
      flag(
        'warn',
        `${guest.kernelConfig} is NetBSD's PV kernel; a PVH NetBSD guest boots GENERIC of NetBSD 10 or later`,
      )
      v.remedy =
        'Use NetBSD 10\'s GENERIC kernel: `type = "pvh"` with `kernel = "/netbsd-GENERIC"`, or keep XEN3_DOMU with `type = "pv"`.'
    } else v.says.push('NetBSD runs as a PVH guest from NetBSD 10 (GENERIC)')
  }

  if (type === 'hvm') {
    const dm = str(values.device_model_version)
    if (dm === 'qemu-xen-traditional') {
      v.evidence.push(values.device_model_version)
      if (releaseAtLeast(host.toolsRelease, 4, 20)) {
        flag(
          'fail',
          `device_model_version = "qemu-xen-traditional": xentools${host.toolsRelease!.replace('.', '')} does not build it (pkgsrc version.mk: every QEMUTRAD line commented out), so the guest cannot start`,
        )
        v.remedy =
          'Remove `device_model_version` (or set `device_model_version = "qemu-xen"`, which xentools420 builds).'
      } else if (host.toolsRelease === undefined)
        flag(
          'unknown',
          'device_model_version = "qemu-xen-traditional" is built by xentools418 and older, not by xentools420; the installed tools are unknown (pkg_info.txt)',
        )
      else v.says.push(`qemu-xen-traditional is built by xentools${host.toolsRelease.replace('.', '')}`)
    } else if (dm && dm !== 'qemu-xen')
      flag('fail', `device_model_version = "${dm}": xl knows "qemu-xen" (and "qemu-xen-traditional" up to Xen 4.19)`)
  }

  if (type === 'pv' && guest.kernelConfig && /PAE|I386/.test(guest.kernelConfig)) {
    const k = host.kernelRelease
    if (releaseAtLeast(k, 4, 18)) {
      flag(
        'warn',
        `${guest.kernelConfig} is a 32-bit PV kernel: "32bits PV guests are not officially supported any more" (pkgsrc xenkernel${k!.replace('.', '')} MESSAGE)`,
      )
      v.remedy =
        'Switch to pvshim (`type = "pvh"` with `pvshim = 1`, for NetBSD 9 or older) or to PVH with NetBSD 10\'s GENERIC (`type = "pvh"`, `kernel = "/netbsd-GENERIC"`), or use the amd64 XEN3_DOMU kernel.'
    } else if (releaseAtLeast(k, 4, 15)) {
      flag(
        'warn',
        `${guest.kernelConfig} is a 32-bit PV kernel: still enabled by xenkernel415 but "not security-supported anymore" (its MESSAGE)`,
      )
      v.remedy = 'Move to the amd64 XEN3_DOMU kernel, or to PVH (NetBSD 10 GENERIC) / pvshim.'
    }
  }

  return v
}
