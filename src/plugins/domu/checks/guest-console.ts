import {type CheckDefinition, refs, type Outcome, type EvidenceRef} from '../../../engine/types.js'
import {parseTtys, activeScreens} from '../parse-guest.js'
import {guestRole} from '../guest-role.js'

export const guestConsole: CheckDefinition = {
  id: 'domu.guest-console',
  title: 'domU: only the console terminal in /etc/ttys, no wscons screens',
  since: '0.1.0',
  actor: 'os-config',
  evidence: ['files/etc/ttys', 'files/etc/wscons.conf', 'uname.txt', 'dmesg.boot'],
  description:
    'Inside a NetBSD domU: the terminals enabled (`on`) in /etc/ttys (only `console` should be), and uncommented `screen` lines in /etc/wscons.conf (there should be none).',
  why: '"When the new domain is booting you\'ll see some warnings about wscons and the pseudo-terminals ... You must disable all terminals in /etc/ttys, except console ... all screens must be commented out from /etc/wscons.conf" (Howto).',
  remedy:
    'In the domU, keep `console "/usr/libexec/getty Pc"         vt100   on secure` and set the ttyE* lines to `off` (`ttyE0   "/usr/libexec/getty Pc"         vt220   off secure`), and comment out every `screen` line of /etc/wscons.conf.',
  run(ctx) {
    const role = guestRole(ctx)
    if (!role.guest) return role.outcome
    const ttys = ctx.evidence.get('files/etc/ttys')
    const wscons = ctx.evidence.get('files/etc/wscons.conf')
    if (!ttys.present && !wscons.present)
      return {
        status: 'unknown',
        message: 'neither /etc/ttys nor /etc/wscons.conf of the domU is in the evidence',
        evidence: refs(role.ref),
      }
    let status: Outcome['status'] = 'pass'
    const says: string[] = []
    const evidence: Array<EvidenceRef | undefined> = [role.ref]
    if (ttys.present) {
      const on = parseTtys(ttys.text, 'files/etc/ttys').filter((t) => t.value.on)
      const extra = on.filter((t) => t.value.name !== 'console' && t.value.name !== 'constty')
      if (extra.length) {
        status = 'warn'
        says.push(
          `/etc/ttys enables ${extra.map((t) => t.value.name).join(', ')} besides the console (only console or constty should be on)`,
        )
        evidence.push(...extra)
      } else
        says.push(
          on.length
            ? `/etc/ttys enables only ${on.map((t) => t.value.name).join(', ')}`
            : '/etc/ttys enables no terminal (not even console)',
        )
      if (!on.some((t) => t.value.name === 'console' || t.value.name === 'constty')) {
        status = 'warn'
        says.push('neither console nor constty is on: no login on the Xen console')
      }
    } else {
      status = 'unknown'
      says.push('/etc/ttys is not in the evidence')
    }

    if (wscons.present) {
      const screens = activeScreens(wscons.text, 'files/etc/wscons.conf')
      if (screens.length) {
        status = status === 'unknown' ? 'warn' : status === 'pass' ? 'warn' : status
        says.push(`/etc/wscons.conf still configures ${screens.length} screen${screens.length > 1 ? 's' : ''}`)
        evidence.push(...screens)
      } else says.push('/etc/wscons.conf has no screen lines')
    } else {
      if (status === 'pass') status = 'unknown'
      says.push('/etc/wscons.conf is not in the evidence')
    }

    return {status, message: says.join('; '), evidence: refs(...evidence)}
  },
}
