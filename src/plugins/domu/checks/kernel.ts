import {type CheckDefinition, refs, type EvidenceRef, type Outcome} from '../../../engine/types.js'
import {DOMU_PATTERN} from '../facts.js'
import {asString} from '../../../parsers/xen-config.js'
import {netbsdKernelConfig} from '../parse-entries.js'
import {requestedType} from '../guest-type.js'
import {Status, worst, host, perConfig, syntaxNote, firstLine, pathStatus, kindOf} from '../common.js'

export const kernel: CheckDefinition = {
  id: 'domu.kernel',
  title: 'domU kernel (and ramdisk) exist in dom0 and fit the guest',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [DOMU_PATTERN, 'ls-paths.txt'],
  description:
    "`kernel =` and `ramdisk =` of each config, looked up in dom0's `ls -ld` listing (ls-paths.txt); for a NetBSD guest, the kernel configuration in the file name (XEN3_DOMU, INSTALL_XEN3_DOMU, not a DOM0 kernel).",
  why: 'The domU kernel "is in the domain0 file system, not on the new domain virtual disk" (Howto). A suitable kernel is XEN3_DOMU; INSTALL_XEN3_DOMU is for sysinst and must be switched back after installing.',
  remedy:
    'Copy the kernel from the binary sets into dom0 and point the config at it: `kernel = "/home/bouyer/netbsd-XEN3_DOMU"` (Howto); after installing, `halt -p` the domain and switch from netbsd-INSTALL_XEN3_DOMU back to XEN3_DOMU.',
  run: (ctx) =>
    perConfig(ctx, (c) => {
      const k = c.values.kernel
      const kind = kindOf(c)
      const boot = asString(c.values.bootloader)
      if (!k) {
        if (kind === 'hvm')
          return {status: 'pass', message: 'an HVM guest: it boots from its own disk (no kernel = needed)'}
        if (boot)
          return {
            status: 'pass',
            message: `no kernel =: the bootloader ${boot} loads the kernel from the guest's disk`,
            evidence: refs(c.values.bootloader),
          }
        return {
          status: c.errors.length ? 'unknown' : 'fail',
          message: `no kernel = line${syntaxNote(c)}: the domain has nothing to boot`,
          evidence: [firstLine(c)],
        }
      }

      const path = asString(k)
      if (!path)
        return {status: 'fail', message: `kernel = ${JSON.stringify(k.value)} is not a path string`, evidence: refs(k)}
      let status: Status = 'pass'
      const says: string[] = []
      const evidence: Array<EvidenceRef | undefined> = [k]
      const p = pathStatus(ctx, path)
      status = worst(status, p.status)
      says.push(
        p.status === 'pass' && p.ls?.value.exists && p.ls.value.type !== 'file' && p.ls.value.type !== 'symlink'
          ? `${path} is a ${p.ls.value.type}, not a kernel file`
          : p.says,
      )
      if (p.ls?.value.exists && p.ls.value.type === 'directory') status = 'fail'
      evidence.push(p.ref)
      if (kind === 'netbsd') {
        const config = netbsdKernelConfig(path)
        if (!config) says.push('the kernel configuration is not in its file name (expected XEN3_DOMU or XEN3PAE_DOMU)')
        else if (/DOM0/.test(config)) {
          status = 'fail'
          says.push(`${config} is a dom0 kernel; a domU needs XEN3_DOMU (or XEN3PAE_DOMU)`)
        } else if (/^INSTALL/.test(config)) {
          status = worst(status, 'warn')
          says.push(
            `${config} is the install kernel (sysinst): once installed, halt -p the domain and switch to XEN3_DOMU`,
          )
        } else if (/DOMU/.test(config)) says.push(`a NetBSD ${config} kernel`)
        else if (/^GENERIC/.test(config) && requestedType(c.values).type === 'pvh')
          says.push(
            `${config} boots as a PVH guest (NetBSD 10 and later)${requestedType(c.values).how === 'pvh' ? '; prefer type = "pvh" to the legacy pvh = 1' : ''}`,
          )
        else {
          status = worst(status, 'warn')
          says.push(
            `${config} is not a Xen PV domU kernel; the Howto uses XEN3_DOMU${/^GENERIC/.test(config) ? ' (GENERIC runs under Xen only as a PVH guest: type = "pvh", NetBSD 10 and later)' : ''}`,
          )
        }
      }

      const rd = c.values.ramdisk
      if (rd) {
        const rdPath = asString(rd)
        if (!rdPath) {
          status = 'fail'
          says.push(`ramdisk = ${JSON.stringify(rd.value)} is not a path`)
        } else {
          const r = pathStatus(ctx, rdPath)
          status = worst(status, r.status)
          says.push(`ramdisk ${r.says}`)
          evidence.push(rd, r.ref)
        }
      }

      const missing = [path, asString(rd)].filter((x): x is string => !!x && !host(ctx).paths?.has(x))
      const out: Outcome = {
        status,
        message: `${kind === 'unknown' ? '' : `${kind} guest: `}${says.join('; ')}`,
        evidence: refs(...evidence),
      }
      if (status === 'unknown' && missing.length)
        out.remedy = `Run \`ls -ld ${missing.join(' ')} >> ls-paths.txt\` on dom0 and check again.`
      const config = kind === 'netbsd' ? netbsdKernelConfig(path) : undefined
      if (status === 'fail' && config && /DOM0/.test(config))
        out.remedy =
          'Boot the domU with the XEN3_DOMU kernel of the binary sets (XEN3PAE_DOMU on i386 PAE), e.g. `kernel = "/home/bouyer/netbsd-XEN3_DOMU"` (Howto).'
      else if (status === 'fail')
        out.remedy = `Put the kernel${rd ? ' and ramdisk' : ''} in dom0's file system at the path${rd ? 's' : ''} named (the domU kernel "is in the domain0 file system, not on the new domain virtual disk"), or point \`kernel =\` at it, e.g. \`kernel = "/home/bouyer/netbsd-XEN3_DOMU"\` (Howto).`
      else if (status === 'warn' && config && /^INSTALL/.test(config))
        out.remedy =
          'Once NetBSD is installed, `halt -p` the domain (not reboot: it would reload the install kernel), switch the config to the XEN3_DOMU kernel, e.g. `kernel = "/home/bouyer/netbsd-XEN3_DOMU"`, and start it again (Howto).'
      return out
    }),
}
