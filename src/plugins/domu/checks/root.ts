import {type CheckDefinition, refs} from '../../../engine/types.js'
import {DOMU_PATTERN} from '../facts.js'
import {asString, asStringList} from '../../../parsers/xen-config.js'
import {parseDisk, netbsdKernelConfig, decodeVdev} from '../parse-entries.js'
import {perConfig, syntaxNote, firstLine, kindOf} from '../common.js'

export const root: CheckDefinition = {
  id: 'domu.root',
  title: 'domU root device fits the guest type',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [DOMU_PATTERN],
  description:
    '`root =` (and `root=` inside `extra`) against the guest OS guessed from the kernel path: `xbd0` (or `xbd0a`) for NetBSD, a Linux device on an exported disk (`/dev/hda1 ro`) for Linux; Solaris takes its root from `extra` (bootpath, zfs-bootfs).',
  why: '"Set root device. This one does matter for NetBSD" (`root = "xbd0"`); a Linux guest needs the Linux device its disk is exported as (`disk = [ \'phy:/dev/wd0e,0x300,w\' ]` with `root = "/dev/hda1 ro"`) (Howto).',
  remedy:
    'NetBSD guest: `root = "xbd0"`; Linux guest: `root = "/dev/hda1 ro"` with the disk exported as 0x300 (hda) or 0x301 (hda1).',
  run: (ctx) =>
    perConfig(ctx, (c) => {
      const kind = kindOf(c)
      const r = c.values.root
      const rv = asString(r)?.trim()
      const extraRoot = /(?:^|\s)root=(\S+)/.exec(asString(c.values.extra) ?? '')?.[1]
      const disks = (asStringList(c.values.disk) ?? []).map(parseDisk)
      if (r && rv === undefined)
        return {status: 'fail', message: `root = ${JSON.stringify(r.value)} is not a string`, evidence: refs(r)}
      if (kind === 'hvm') return {status: 'n/a', message: 'an HVM guest finds its root on its own disk'}
      if (kind === 'netbsd') {
        const config = netbsdKernelConfig(asString(c.values.kernel) ?? '') ?? ''
        if (!rv) {
          if (/^INSTALL/.test(config))
            return {status: 'pass', message: `no root =: ${config} boots sysinst from its ramdisk`}
          return {
            status: c.errors.length ? 'unknown' : 'warn',
            message: `no root = line for a NetBSD guest${syntaxNote(c)}; the Howto sets root = "xbd0" ("This one does matter for NetBSD")`,
            evidence: [firstLine(c)],
          }
        }

        const m = /^(?:\/dev\/)?xbd(\d+)([a-p]?)$/.exec(rv)
        if (!m)
          return {
            status: 'fail',
            message: `root = "${rv}" for a NetBSD guest: NetBSD sees its disks as xbd0, xbd1...`,
            evidence: refs(r),
          }
        const n = Number(m[1])
        if (disks.length && n >= disks.length)
          return {
            status: 'fail',
            message: `root = "${rv}" but the config exports only ${disks.length} disk${disks.length > 1 ? 's' : ''} (xbd0${disks.length > 1 ? `..xbd${disks.length - 1}` : ''})`,
            evidence: refs(r, c.values.disk),
          }
        return {
          status: 'pass',
          message: `root = "${rv}": the NetBSD guest's disk ${n}${disks[n] ? ` (${disks[n]!.raw})` : ''}`,
          evidence: refs(r),
        }
      }

      if (kind === 'linux') {
        const dev = rv ?? extraRoot
        if (!dev)
          return {
            status: c.errors.length ? 'unknown' : 'warn',
            message: `no root = (nor root= in extra) for a Linux guest${syntaxNote(c)}; e.g. root = "/dev/hda1 ro"`,
            evidence: [firstLine(c)],
          }
        const m = /^\/dev\/((hd|sd|xvd)([a-z]{1,2})(\d*))(\s+(ro|rw))*\s*$/.exec(dev)
        if (!m)
          return {
            status: 'fail',
            message: `root = "${dev}" is not a Linux disk device (/dev/hda1 ro, /dev/xvda1 ro)`,
            evidence: refs(r ?? c.values.extra),
          }
        const devName = m[1]!
        const devDisk = `${m[2]}${m[3]}`
        const exported = disks.map((d) => (d.vdev ? decodeVdev(d.vdev) : undefined)).filter((x) => x?.linuxName)
        const on = exported.find((x) => x!.linuxName === devName || x!.linuxName === devDisk)
        if (!disks.length)
          return {
            status: 'fail',
            message: `root = "${dev}" but no disk is exported`,
            evidence: refs(r ?? c.values.extra),
          }
        if (!on)
          return {
            status: 'fail',
            message: `root = "${dev}" is on ${devDisk}, but the disks are exported as ${exported.map((x) => x!.linuxName).join(', ') || 'no Linux device'} (${disks.map((d) => d.vdev).join(', ')})`,
            evidence: refs(r ?? c.values.extra, c.values.disk),
          }
        return {
          status: 'pass',
          message: `root = "${dev}" is on the exported ${on.explain}`,
          evidence: refs(r ?? c.values.extra),
        }
      }

      if (kind === 'solaris') {
        const extra = asString(c.values.extra) ?? ''
        if (rv)
          return {
            status: 'warn',
            message: `root = "${rv}" for a Solaris guest: Solaris ignores it and takes its root from extra (-B zfs-bootfs=..., bootpath=...)`,
            evidence: refs(r),
          }
        return {
          status: 'pass',
          message: /zfs-bootfs|bootpath|install_media/.test(extra)
            ? `Solaris guest: the root comes from extra ("${extra}")`
            : 'Solaris guest: no root = (the install media or zfs-bootfs in extra decides)',
          evidence: refs(c.values.extra),
        }
      }

      if (!rv)
        return {status: 'unknown', message: 'no root = and the guest OS is not recognizable from the kernel path'}
      return {
        status: 'unknown',
        message: `root = "${rv}": the guest OS is not recognizable from the kernel path (${asString(c.values.kernel) ?? 'no kernel'}), so whether it fits is unknown`,
        evidence: refs(r),
      }
    }),
}
