import {type CheckDefinition, TARGETS, type Fact, refs} from '../../../engine/types.js'
import type {PathStatus} from '../../../parsers/ls.js'
import {host} from '../common.js'


const DEVICES = ['/dev/xencons', '/dev/xenevt'] as const

export const devices: CheckDefinition = {
  id: 'xen.devices',
  title: '/dev/xencons and /dev/xenevt exist as character devices',
  targets: TARGETS,
  evidence: ['ls-paths.txt'],
  description: 'The `ls -ld` lines of /dev/xencons and /dev/xenevt (mode string starting with `c`), or the `ls: ...: No such file or directory` lines.',
  why: 'Make sure that /dev/xencons and /dev/xenevt exist before starting xend (Howto). The xl-era tools use /dev/xenevt too, and pkgsrc xentools420 still asks for `cd /dev && sh MAKEDEV xen`.',
  remedy: 'Create them with `cd /dev && sh MAKEDEV xen`.',
  references: ['Howto: Creating an unprivileged NetBSD domain (DomU)', 'pkgsrc sysutils/xentools420 MESSAGE.NetBSD'],
  run(ctx) {
    const paths = host(ctx).paths
    if (!paths) return {status: 'unknown', message: 'ls-paths.txt is missing'}
    const problems: string[] = []
    const unknown: string[] = []
    const ev: Array<Fact<PathStatus>> = []
    for (const path of DEVICES) {
      const p = paths.get(path)
      if (!p) {
        unknown.push(path)
        continue
      }

      ev.push(p)
      if (!p.value.exists) problems.push(`${path} does not exist (${p.value.error})`)
      else if (p.value.type !== 'char-device') problems.push(`${path} is a ${p.value.type} (mode ${p.value.mode}), not a character device`)
    }

    if (problems.length > 0) return {status: 'fail', message: problems.join('; '), evidence: refs(...ev)}
    if (unknown.length > 0) return {status: 'unknown', message: `ls-paths.txt has no line for ${unknown.join(' and ')}`, evidence: refs(...ev), remedy: `Run \`ls -ld ${DEVICES.join(' ')}\` and add its output (errors included) to ls-paths.txt.`}
    const desc = ev.map((p) => (p.value.exists && p.value.major !== undefined ? `${p.value.mode.slice(0, 1)} ${p.value.major},${p.value.minor}` : '')).join(', ')
    return {status: 'pass', message: `/dev/xencons and /dev/xenevt are character devices (${desc})`, evidence: refs(...ev)}
  },
}
