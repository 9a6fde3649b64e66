import {type CheckDefinition, refs} from '../../../engine/types.js'
import {listedPaths} from '../../../parsers/ls.js'
import type {XenFacts} from '../../facts.js'
import {host, xen} from '../common.js'

const DEVICES = ['/dev/xencons', '/dev/xenevt'] as const
/** xenstored of Xen 4.x maps the xenstore page through it on NetBSD: `XENSTORED_KVA_DEV "/dev/xsd_kva"`. */
const XSD_KVA = '/dev/xsd_kva'

export const devices: CheckDefinition = {
  id: 'xen.devices',
  title: '/dev/xencons, /dev/xenevt and (Xen 4.x) /dev/xsd_kva exist as character devices',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: ['ls-paths.txt', 'pkg_info.txt'],
  description:
    'The `ls -ld` lines of /dev/xencons and /dev/xenevt, and in the xl era (Xen 4.2 and later) /dev/xsd_kva (mode string starting with `c`), or the `ls: ...: No such file or directory` lines.',
  why: 'Make sure that /dev/xencons and /dev/xenevt exist before starting xend (Howto). xenstored opens /dev/xsd_kva on NetBSD (Xen\'s xenstored OS header: `#define XENSTORED_KVA_DEV "/dev/xsd_kva"`, with `XENSTORED_PORT_DEV "/kern/xen/xsd_port"`): without it xencommons cannot start xenstored. pkgsrc xentools420 says `cd /dev && sh MAKEDEV xen`.',
  remedy: 'Create them with `cd /dev && sh MAKEDEV xen`.',
  references: [
    'Howto: Creating an unprivileged NetBSD domain (DomU)',
    'pkgsrc sysutils/xentools420 MESSAGE.NetBSD',
    'Xen tools/xenstored OS header (XENSTORED_KVA_DEV)',
  ],
  run(ctx) {
    const paths = host(ctx).paths
    if (!paths) return {status: 'unknown', message: 'ls-paths.txt is missing'}
    let era: XenFacts['era']
    try {
      era = xen(ctx).era
    } catch {
      era = undefined
    }

    // The Howto's Xen 3.x/4.1 tools are not known to need it; the xl-era xenstored (and an unknown era, today's) does.
    const wanted: string[] = era === 'xm' ? [...DEVICES] : [...DEVICES, XSD_KVA]
    const problems: string[] = []
    const {listed, unlisted: unknown} = listedPaths(paths, wanted)
    const ev = listed.map((l) => l.fact)
    for (const {path, fact: p} of listed) {
      const why =
        path === XSD_KVA ? ': xenstored maps the xenstore page through it, so xencommons cannot start xenstored' : ''
      if (!p.value.exists) problems.push(`${path} does not exist (${p.value.error})${why}`)
      else if (p.value.type !== 'char-device')
        problems.push(`${path} is a ${p.value.type} (mode ${p.value.mode}), not a character device${why}`)
    }

    if (problems.length > 0) return {status: 'fail', message: problems.join('; '), evidence: refs(...ev)}
    if (unknown.length > 0)
      return {
        status: 'unknown',
        message: `ls-paths.txt has no line for ${unknown.join(' and ')}`,
        evidence: refs(...ev),
        remedy: `Run \`ls -ld ${wanted.join(' ')}\` and add its output (errors included) to ls-paths.txt.`,
      }
    const desc = ev
      .map((p) =>
        p.value.exists && p.value.major !== undefined
          ? `${p.value.mode.slice(0, 1)} ${p.value.major},${p.value.minor}`
          : '',
      )
      .join(', ')
    return {status: 'pass', message: `${wanted.join(', ')} are character devices (${desc})`, evidence: refs(...ev)}
  },
}
