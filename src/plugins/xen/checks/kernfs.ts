import type {XenFacts} from '../../facts.js'
import {type CheckDefinition, refs, absentFrom} from '../../../engine/types.js'
import {listedPath} from '../../../parsers/ls.js'
import {xen, host} from '../common.js'

/** A host that is not NetBSD yet (Linux before the install): NetBSD-side checks do not apply. */
function runningNote(f: XenFacts): string {
  if (!f.running) return 'this host does not run Xen yet (pre-install)'
  return f.runningDom0
    ? `this host runs as Xen dom0 (${f.running.value})`
    : `this host runs under Xen (${f.running.value}) but not as dom0`
}

const KERNFS_FSTAB_LINE = 'kernfs /kern kernfs rw'
const KERNFS_REMEDY = `Mount it now with \`mount_kernfs kernfs /kern\` (create /kern with \`mkdir /kern\` if needed) and add the line \`${KERNFS_FSTAB_LINE}\` to /etc/fstab so it is mounted at every boot. The dom0 kernel must support KERNFS and /kern must be mounted because xend needs access to /kern/xen/privcmd (Howto); on Xen 4.2 and later xencommons needs /kern/xen/privcmd and xenstored /kern/xen/xsd_port.`

export const kernfs: CheckDefinition = {
  id: 'xen.kernfs',
  title: 'KERNFS is mounted on /kern, now and at boot',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: ['mount.txt', 'files/etc/fstab', 'ls-paths.txt', 'uname.txt', 'dmesg.boot'],
  description:
    'A `kernfs on /kern type kernfs` line in `mount`, a `kernfs /kern kernfs rw` line in /etc/fstab, and on a running dom0 `/kern/xen/privcmd` in `ls -ld`.',
  why: 'The domain0 kernel must support KERNFS and /kern must be mounted because xend needs access to /kern/xen/privcmd (Howto). This did not change with Xen 4.x: the xencommons rc.d script requires /kern/xen/privcmd and xenstored reads /kern/xen/xsd_port.',
  remedy: KERNFS_REMEDY,
  references: [
    'Howto: Installing NetBSD as privileged domain (Dom0)',
    'pkgsrc sysutils/xentools42 files/xencommons.sh: required_files="/kern/xen/privcmd"',
  ],
  run(ctx) {
    const f = xen(ctx)
    const h = host(ctx)
    if (!h.mounts && !h.fstab)
      return {status: 'unknown', message: 'neither mount.txt nor files/etc/fstab is in the evidence'}
    const mounted = h.mounts?.find((m) => m.value.type === 'kernfs' && m.value.mountPoint === '/kern')
    const inFstab = h.fstab?.find(
      (m) => m.value.type === 'kernfs' && m.value.mountPoint === '/kern' && !m.value.options.includes('noauto'),
    )
    const fstabNoauto = h.fstab?.find(
      (m) => m.value.type === 'kernfs' && m.value.mountPoint === '/kern' && m.value.options.includes('noauto'),
    )
    const privcmd = listedPath(h.paths, '/kern/xen/privcmd')
    const ev = refs(mounted, inFstab ?? fstabNoauto, 'fact' in privcmd ? privcmd.fact : undefined)

    if (!h.mounts) {
      return inFstab
        ? {
            status: 'unknown',
            message: `/etc/fstab mounts kernfs on /kern at boot, but mount.txt is missing, so whether it is mounted now is unknown`,
            evidence: ev,
          }
        : {
            status: 'fail',
            message: `/etc/fstab has no kernfs line for /kern${fstabNoauto ? ' (only a noauto one)' : ''}, so /kern is not mounted at boot (mount.txt is missing)`,
            evidence: [...ev, absentFrom('files/etc/fstab', '(no kernfs /kern kernfs line)')],
          }
    }

    if (!mounted) {
      const fstabState = inFstab
        ? `, although /etc/fstab has it (line ${inFstab.line}): it was never mounted since boot or was unmounted`
        : h.fstab
          ? ` and /etc/fstab has no ${fstabNoauto ? 'automatic ' : ''}kernfs line for /kern`
          : ' (files/etc/fstab is not in the evidence)'
      return {
        status: 'fail',
        message: `kernfs is not mounted on /kern (no kernfs line in mount.txt)${fstabState}`,
        evidence: [
          absentFrom('mount.txt', '(no kernfs on /kern line)'),
          ...ev,
          ...(h.fstab && !inFstab ? [absentFrom('files/etc/fstab', '(no kernfs /kern kernfs line)')] : []),
        ],
      }
    }

    if (!h.fstab) {
      return {
        status: 'unknown',
        message:
          'kernfs is mounted on /kern now, but files/etc/fstab is not in the evidence, so whether it survives a reboot is unknown',
        evidence: ev,
        remedy: `Collect /etc/fstab (save it as files/etc/fstab) and check it has \`${KERNFS_FSTAB_LINE}\`.`,
      }
    }

    if (!inFstab) {
      return {
        status: 'warn',
        message: `kernfs is mounted on /kern now but /etc/fstab has no ${fstabNoauto ? 'automatic ' : ''}kernfs line for /kern: it will be missing after a reboot and xend/xencommons will not start`,
        evidence: [...ev, ...(fstabNoauto ? [] : [absentFrom('files/etc/fstab', '(no kernfs /kern kernfs line)')])],
        remedy: `Add the line \`${KERNFS_FSTAB_LINE}\` to /etc/fstab.`,
      }
    }

    // kernfs is fine; /kern/xen/privcmd only exists once a dom0 kernel runs.
    if (f.runningDom0 && privcmd.state === 'missing') {
      return {
        status: 'fail',
        message: `kernfs is mounted and in /etc/fstab, but /kern/xen/privcmd does not exist although ${runningNote(f)}: the running kernel does not provide the Xen privileged command interface`,
        evidence: ev,
        remedy:
          'Boot the XEN3_DOM0 kernel (netbsd-XEN3_DOM0, or XEN3PAE_DOM0 on i386) as the dom0 module of the Xen boot entry; only a dom0 kernel creates /kern/xen/privcmd.',
      }
    }

    const privNote = !f.running
      ? '; /kern/xen/privcmd cannot exist before the host runs the dom0 kernel under Xen (pre-install), so it was not required'
      : privcmd.state === 'exists'
        ? '; /kern/xen/privcmd exists'
        : privcmd.state === 'missing'
          ? ''
          : '; /kern/xen/privcmd was not listed in ls-paths.txt'
    return {status: 'pass', message: `kernfs is mounted on /kern and in /etc/fstab${privNote}`, evidence: ev}
  },
}
