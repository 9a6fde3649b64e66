import {type CheckDefinition, absentFrom, refs} from '../../../engine/types.js'
import {rcConfValue, isYes} from '../parse-guest.js'
import {guestRole} from '../guest-role.js'

export const guestPowerd: CheckDefinition = {
  id: 'domu.guest-powerd',
  title: 'domU: powerd=YES so that dom0 can shut it down cleanly',
  since: '0.1.0',
  actor: 'os-config',
  evidence: ['files/etc/rc.conf', 'uname.txt', 'dmesg.boot'],
  description:
    "Inside a NetBSD domU: `powerd=YES` in /etc/rc.conf (the last assignment wins, checked like rc.subr's checkyesno).",
  why: '"It is also desirable to add powerd=YES in rc.conf. This way, the domain will be properly shut down if xm shutdown -R or xm shutdown -H is used on the domain0" (Howto).',
  remedy: "Add `powerd=YES` to the domU's /etc/rc.conf.",
  run(ctx) {
    const role = guestRole(ctx)
    if (!role.guest) return role.outcome
    const rc = ctx.evidence.get('files/etc/rc.conf')
    if (!rc.present)
      return {status: 'unknown', message: "the domU's /etc/rc.conf is not in the evidence", evidence: refs(role.ref)}
    const v = rcConfValue(rc.text, 'powerd', 'files/etc/rc.conf')
    if (v && isYes(v.value))
      return {
        status: 'pass',
        message: `powerd=${v.value}: xm/xl shutdown from dom0 shuts the domain down cleanly`,
        evidence: refs(v),
      }
    return {
      status: 'warn',
      message: v
        ? `powerd=${v.value}: a shutdown from dom0 (xm shutdown -H) does not reach the domain cleanly`
        : 'no powerd= in /etc/rc.conf (the default is NO): a shutdown from dom0 does not reach the domain cleanly',
      evidence: refs(v ?? absentFrom('files/etc/rc.conf'), role.ref),
    }
  },
}
