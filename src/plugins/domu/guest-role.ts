import {type CheckContext, type EvidenceRef, type Outcome, refs} from '../../engine/types.js'
import {numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'

/** Whether this dump comes from a Xen domU, with the line that shows it; `n/a` outcome otherwise. */
export function guestRole(ctx: CheckContext): {guest: true; ref?: EvidenceRef} | {guest: false; outcome: Outcome} {
  const xen = ctx.optionalFacts('xen').value
  if (xen?.runningDom0 === true)
    return {
      guest: false,
      outcome: {
        status: 'n/a',
        message: 'this is a dom0 dump; the guest-side tuning is checked on a dump taken inside a domU',
        evidence: refs(xen.running),
      },
    }
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

  return {
    guest: false,
    outcome: {
      status: 'n/a',
      message:
        'not a domU dump (no XEN3_DOMU kernel in uname.txt, no xbd/xennet at xenbus in dmesg.boot): the guest-side tuning applies inside a NetBSD domU',
    },
  }
}
