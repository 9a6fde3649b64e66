/**
 * Guest-side tuning the Howto asks for inside a NetBSD domU. These read a dump taken *in the domU*
 * (files/etc/ttys, files/etc/wscons.conf, files/etc/rc.conf) and are `n/a` on a dom0 dump.
 */
import type {CheckContext, CheckDefinition, EvidenceRef, Outcome} from '../../engine/types.js'
import {refs, TARGETS} from '../../engine/types.js'
import {numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'
import type {XenFacts} from '../facts.js'
import {optionalFacts} from './dom0.js'
import {activeScreens, isYes, parseTtys, rcConfValue} from './guest.js'

/** Whether this dump comes from a Xen domU, with the line that shows it; `n/a` outcome otherwise. */
export function guestRole(ctx: CheckContext): {guest: true; ref?: EvidenceRef} | {guest: false; outcome: Outcome} {
  const xen = optionalFacts<XenFacts>(ctx, 'xen').facts
  if (xen?.runningDom0 === true) return {guest: false, outcome: {status: 'n/a', message: 'this is a dom0 dump; the guest-side tuning is checked on a dump taken inside a domU', evidence: refs(xen.running)}}
  if (xen?.runningDom0 === false) return {guest: true, ref: xen.kernelConfig ?? xen.running}
  const uname = ctx.evidence.get('uname.txt')
  if (uname.present) {
    const l = numberedLines(uname.text).find((x) => /XEN[0-9A-Z]*_DOMU/.test(x.text))
    if (l) return {guest: true, ref: {source: 'uname.txt', line: l.line, text: l.text}}
  }

  const dmesg = ctx.evidence.get('dmesg.boot')
  if (dmesg.present) {
    const lines = numberedLines(dmesg.text)
    const messages = lines.map((l) => stripKernelTimestamp(l.text))
    const dom0 = messages.some((m) => /^pci\d+ at hypervisor\d+/.test(m))
    const guest = lines[messages.findIndex((m) => /^(xbd|xennet)\d+ at xenbus\d+/.test(m))]
    if (guest && !dom0) return {guest: true, ref: {source: 'dmesg.boot', line: guest.line, text: guest.text}}
  }

  return {guest: false, outcome: {status: 'n/a', message: 'not a domU dump (no XEN3_DOMU kernel in uname.txt, no xbd/xennet at xenbus in dmesg.boot): the guest-side tuning applies inside a NetBSD domU'}}
}

export const guestConsole: CheckDefinition = {
  id: 'domu.guest-console',
  title: 'domU: only the console terminal in /etc/ttys, no wscons screens',
  targets: TARGETS,
  evidence: ['files/etc/ttys', 'files/etc/wscons.conf', 'uname.txt', 'dmesg.boot'],
  description: 'Inside a NetBSD domU: the terminals enabled (`on`) in /etc/ttys (only `console` should be), and uncommented `screen` lines in /etc/wscons.conf (there should be none).',
  why: '"When the new domain is booting you\'ll see some warnings about wscons and the pseudo-terminals ... You must disable all terminals in /etc/ttys, except console ... all screens must be commented out from /etc/wscons.conf" (Howto).',
  remedy: 'In the domU, keep `console "/usr/libexec/getty Pc"         vt100   on secure` and set the ttyE* lines to `off` (`ttyE0   "/usr/libexec/getty Pc"         vt220   off secure`), and comment out every `screen` line of /etc/wscons.conf.',
  run(ctx) {
    const role = guestRole(ctx)
    if (!role.guest) return role.outcome
    const ttys = ctx.evidence.get('files/etc/ttys')
    const wscons = ctx.evidence.get('files/etc/wscons.conf')
    if (!ttys.present && !wscons.present) return {status: 'unknown', message: 'neither /etc/ttys nor /etc/wscons.conf of the domU is in the evidence', evidence: refs(role.ref)}
    let status: Outcome['status'] = 'pass'
    const says: string[] = []
    const evidence: Array<EvidenceRef | undefined> = [role.ref]
    if (ttys.present) {
      const on = parseTtys(ttys.text, 'files/etc/ttys').filter((t) => t.value.on)
      const extra = on.filter((t) => t.value.name !== 'console' && t.value.name !== 'constty')
      if (extra.length) {
        status = 'warn'
        says.push(`/etc/ttys enables ${extra.map((t) => t.value.name).join(', ')} besides the console (only console or constty should be on)`)
        evidence.push(...extra)
      } else says.push(on.length ? `/etc/ttys enables only ${on.map((t) => t.value.name).join(', ')}` : '/etc/ttys enables no terminal (not even console)')
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

export const guestPowerd: CheckDefinition = {
  id: 'domu.guest-powerd',
  title: 'domU: powerd=YES so that dom0 can shut it down cleanly',
  targets: TARGETS,
  evidence: ['files/etc/rc.conf', 'uname.txt', 'dmesg.boot'],
  description: 'Inside a NetBSD domU: `powerd=YES` in /etc/rc.conf (the last assignment wins, checked like rc.subr\'s checkyesno).',
  why: '"It is also desirable to add powerd=YES in rc.conf. This way, the domain will be properly shut down if xm shutdown -R or xm shutdown -H is used on the domain0" (Howto).',
  remedy: 'Add `powerd=YES` to the domU\'s /etc/rc.conf.',
  run(ctx) {
    const role = guestRole(ctx)
    if (!role.guest) return role.outcome
    const rc = ctx.evidence.get('files/etc/rc.conf')
    if (!rc.present) return {status: 'unknown', message: 'the domU\'s /etc/rc.conf is not in the evidence', evidence: refs(role.ref)}
    const v = rcConfValue(rc.text, 'powerd', 'files/etc/rc.conf')
    if (v && isYes(v.value)) return {status: 'pass', message: `powerd=${v.value}: xm/xl shutdown from dom0 shuts the domain down cleanly`, evidence: refs(v)}
    return {
      status: 'warn',
      message: v ? `powerd=${v.value}: a shutdown from dom0 (xm shutdown -H) does not reach the domain cleanly` : 'no powerd= in /etc/rc.conf (the default is NO): a shutdown from dom0 does not reach the domain cleanly',
      evidence: refs(v ?? {source: 'files/etc/rc.conf', line: 0, text: ''}, role.ref),
    }
  },
}
