import type {CheckDefinition} from '../../engine/types.js'
import {refs} from '../../engine/types.js'
import type {HostFacts} from './facts.js'

/**
 * Wraps a check that only means something on a NetBSD host (disklabels, boot.cfg, /xen.gz): on a host
 * that still runs another system (a Linux box before the install) it says `n/a` instead of failing.
 */
export function netbsdOnly(check: CheckDefinition): CheckDefinition {
  return {
    ...check,
    run(ctx) {
      const {os} = ctx.facts<HostFacts>('host')
      if (os && os.value !== 'NetBSD') {
        return {status: 'n/a', message: `this host runs ${os.value}, not NetBSD yet: this applies once NetBSD is installed as the dom0`, evidence: refs(os), pending: 'install NetBSD'}
      }

      return check.run(ctx)
    },
  }
}
