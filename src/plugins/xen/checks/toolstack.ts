import type {CheckContext, CheckDefinition, EvidenceRef} from '../../../engine/types.js'
import {refs} from '../../../engine/types.js'
import {type PathStatus, listedPath, listedPaths} from '../../../parsers/ls.js'
import {isYes, parseRcConf} from '../parse.js'
import {TOOLSTACK_PATHS} from '../common.js'

function executable(p: PathStatus): boolean {
  return p.exists && p.type === 'file' && /x/.test(p.mode.slice(1))
}

export const toolstack: CheckDefinition = {
  id: 'xen.toolstack',
  title: 'The xl toolstack is present and can start: xl, the hotplug scripts, xencommons, /kern/xen/privcmd',
  since: '0.1.0',
  actor: 'packages',
  hostOs: ['NetBSD'],
  evidence: ['ls-paths.txt', 'files/etc/rc.conf', 'pkg_info.txt', 'uname.txt', 'dmesg.boot', 'xl-info.txt'],
  description:
    "In the xl era (Xen 4.2 and later): `/usr/pkg/sbin/xl` executable; the hotplug scripts `/usr/pkg/etc/xen/scripts/block` and `vif-bridge` present and executable (xl runs them to attach every disk and network interface); `xencommons=YES` in rc.conf; on a running dom0, `/kern/xen/privcmd` (xencommons' `required_files`).",
  why: 'pkgsrc xentools420 installs xl and copies the hotplug scripts block and vif-bridge to /usr/pkg/etc/xen/scripts/ with mode 0755 (CONF_FILES_PERMS); without them no domU gets its disk or network. The xencommons rc.d script starts xenstored and xenconsoled and has `required_files="/kern/xen/privcmd"`.',
  remedy:
    'Reinstall the tools (`pkgin install xentools420`), which copies the scripts again; or `cp /usr/pkg/share/examples/xen/scripts/block /usr/pkg/share/examples/xen/scripts/vif-bridge /usr/pkg/etc/xen/scripts/ && chmod 755 /usr/pkg/etc/xen/scripts/*`; enable xencommons: `cp /usr/pkg/share/examples/rc.d/xencommons /etc/rc.d/` and `echo xencommons=YES >> /etc/rc.conf`.',
  references: [
    'pkgsrc sysutils/xentools420 Makefile (RCD_SCRIPTS, XEND_SCRIPTS, CONF_FILES_PERMS)',
    'pkgsrc xentools420 files/xencommons.sh',
    'docs/sources/today-rules.md',
  ],
  run(ctx: CheckContext) {
    const x = ctx.facts('xen')
    if (!x.era)
      return {
        status: 'unknown',
        message: `which toolstack applies depends on the Xen version: ${x.eraReason}`,
        remedy: 'Install xenkernel420 and xentools420 (see xen.packages) and collect `pkg_info > pkg_info.txt`.',
      }
    if (x.era === 'xm')
      return {status: 'n/a', message: `the xm toolstack of Xen 3.x/4.1 (xend): see xen.daemons. ${x.eraReason}`}
    const host = ctx.facts('host')
    const paths = host.paths
    if (!paths)
      return {
        status: 'unknown',
        message: 'ls-paths.txt is missing, so whether xl and the hotplug scripts exist is unknown',
      }
    const problems: string[] = []
    const {listed, unlisted: unknown} = listedPaths(paths, TOOLSTACK_PATHS)
    const ev: Array<EvidenceRef | undefined> = listed.map((l) => l.fact)
    for (const {path, fact: p} of listed) {
      if (!p.value.exists) problems.push(`${path} does not exist`)
      else if (!executable(p.value)) problems.push(`${path} is not an executable file (${p.value.mode})`)
    }

    const rcText = ctx.evidence.get('files/etc/rc.conf')
    const rc = rcText.present ? parseRcConf(rcText.text) : undefined
    if (!rc) unknown.push('files/etc/rc.conf')
    else if (!isYes(rc.xencommons?.value))
      problems.push(
        `xencommons is ${rc.xencommons ? `set to ${rc.xencommons.value}` : 'not enabled'} in /etc/rc.conf, so xenstored and xenconsoled do not start`,
      )
    if (rc?.xencommons) ev.push(rc.xencommons)

    const privcmd = listedPath(paths, '/kern/xen/privcmd')
    if (x.runningDom0) {
      if (privcmd.state === 'missing')
        problems.push("/kern/xen/privcmd does not exist on this running dom0 (xencommons' required_files)")
      if ('fact' in privcmd) ev.push(privcmd.fact)
    }

    const evidence = refs(...ev)
    if (problems.length > 0)
      return {status: 'fail', message: `${problems.join('; ')}: \`xl create\` cannot set up a domain`, evidence}
    if (unknown.length > 0)
      return {
        status: 'unknown',
        message: `not in the evidence: ${unknown.join(', ')}`,
        evidence,
        remedy: `Run \`ls -ld ${TOOLSTACK_PATHS.join(' ')} >> ls-paths.txt 2>&1\` and copy /etc/rc.conf.`,
      }
    return {
      status: 'pass',
      message: `xl and the hotplug scripts block and vif-bridge are executable, xencommons=YES${x.runningDom0 && privcmd.state === 'exists' ? ', /kern/xen/privcmd exists' : ''}`,
      evidence,
    }
  },
}
