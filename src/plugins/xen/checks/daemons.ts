import type {XenFacts} from '../../facts.js'
import {type CheckDefinition, type EvidenceRef, refOf, absentFrom} from '../../../engine/types.js'
import {listedPath} from '../../../parsers/ls.js'
import {parseRcConf, isYes} from '../parse.js'
import {xen, host} from '../common.js'
import {planXendomains} from '../xendomains.js'

interface DaemonRule {
  rcvar: string
  /** Why, quoting where it comes from. */
  why: string
}

function daemonRules(f: XenFacts): {rules: DaemonRule[]; label: string} | undefined {
  const tools = f.toolsRelease ?? f.kernelRelease
  const version = tools ? `${tools}.0` : f.xenVersion?.value
  if (!version) return undefined
  const [major, minor] = version.split('.').map(Number) as [number, number]
  if (major < 4) {
    return {
      label: `Xen ${major}.${minor} (xm era: xend and xenbackendd)`,
      rules: [
        {rcvar: 'xend', why: 'the xen tool daemon (Howto: /usr/pkg/share/examples/rc.d/xend start)'},
        {rcvar: 'xenbackendd', why: 'the xen backend daemon (Howto: /usr/pkg/share/examples/rc.d/xenbackendd start)'},
      ],
    }
  }

  if (major === 4 && minor <= 1) {
    // pkgsrc xentools41 ships xencommons and xend (which REQUIREs xencommons); there is no xenbackendd any more.
    return {
      label: 'Xen 4.1 (xm era: xencommons and xend; xentools41 has no xenbackendd)',
      rules: [
        {rcvar: 'xencommons', why: 'starts xenstored and xenconsoled (pkgsrc xentools41 rc.d/xencommons)'},
        {rcvar: 'xend', why: 'the xm toolstack daemon (pkgsrc xentools41 rc.d/xend, REQUIRE: xencommons)'},
      ],
    }
  }

  return {
    label: `Xen ${major}.${minor} (xl era: xencommons)`,
    rules: [
      {
        rcvar: 'xencommons',
        why: 'starts xenstored and xenconsoled, which xl needs (pkgsrc xentools4x rc.d/xencommons)',
      },
    ],
  }
}

export const daemons: CheckDefinition = {
  id: 'xen.daemons',
  title: 'The Xen daemons of the installed era start at boot',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: ['files/etc/rc.conf', 'ls-paths.txt', 'pkg_info.txt', 'ls-usr-pkg-etc-xen.txt'],
  description:
    'rc.conf variables and /etc/rc.d scripts by era: Xen 3.1/3.3 `xend=YES` and `xenbackendd=YES`; Xen 4.1 `xencommons=YES` and `xend=YES`; Xen 4.2 and later `xencommons=YES` (and `xendomains="name ..."`, a list of config names under /usr/pkg/etc/xen/ — not YES — if domains should start at boot: each name must have its config, which ls-usr-pkg-etc-xen.txt shows). The era comes from the installed xentools package.',
  why: 'Once you have domain0 running, you need to start the xen tool daemon and the xen backend daemon (Howto, Xen 3.x). Since Xen 4.1 pkgsrc ships the xencommons rc.d script (xenstored, xenconsoled) that xl and xend need.',
  remedy:
    'Copy the rc.d scripts and enable them: `cp /usr/pkg/share/examples/rc.d/xencommons /etc/rc.d/` and `echo xencommons=YES >> /etc/rc.conf` (Xen 4.2+); for Xen 3.x `cp /usr/pkg/share/examples/rc.d/xend /usr/pkg/share/examples/rc.d/xenbackendd /etc/rc.d/` with `xend=YES` and `xenbackendd=YES`.',
  references: [
    'Howto: Creating an unprivileged NetBSD domain (DomU)',
    'pkgsrc sysutils/xentools3, xentools33 (xend, xenbackendd), xentools41 (xencommons, xend), xentools42+ (xencommons, xendomains) RCD_SCRIPTS',
  ],
  run(ctx) {
    const f = xen(ctx)
    const plan = daemonRules(f)
    if (!plan)
      return {
        status: 'unknown',
        message: `which daemons apply depends on the Xen version: ${f.eraReason}`,
        remedy: 'Install xenkernel and xentools (see xen.packages) and collect `pkg_info > pkg_info.txt`.',
      }
    const rcText = ctx.evidence.get('files/etc/rc.conf')
    if (!rcText.present)
      return {status: 'unknown', message: `files/etc/rc.conf is missing (assumed ${plan.label}: ${f.eraReason})`}
    const rc = parseRcConf(rcText.text)
    const paths = host(ctx).paths
    const problems: string[] = []
    const notes: string[] = []
    const ev: EvidenceRef[] = []
    const remedies: string[] = []
    for (const rule of plan.rules) {
      const v = rc[rule.rcvar]
      ev.push(v ? refOf(v) : absentFrom('files/etc/rc.conf', `(no ${rule.rcvar}= line)`))
      if (!isYes(v?.value)) {
        problems.push(`${rule.rcvar} is ${v ? `set to ${v.value}` : 'not set'} in /etc/rc.conf (${rule.why})`)
        remedies.push(`echo ${rule.rcvar}=YES >> /etc/rc.conf`)
      }

      const script = listedPath(paths, `/etc/rc.d/${rule.rcvar}`)
      if (script.state === 'unlisted' || script.state === 'no-ls') {
        notes.push(`/etc/rc.d/${rule.rcvar} not listed in ls-paths.txt`)
        continue
      }

      ev.push(refOf(script.fact))
      const status = script.fact.value
      if (!status.exists) {
        problems.push(`/etc/rc.d/${rule.rcvar} does not exist (${status.error})`)
        remedies.unshift(`cp /usr/pkg/share/examples/rc.d/${rule.rcvar} /etc/rc.d/`)
      }
    }

    // xendomains is not a YES/NO switch: it lists the domain configs to start (pkgsrc files/xendomains.sh),
    // and a name without a config file is skipped silently (`if [ -f "$file" ]`).
    const listingText = ctx.evidence.get('ls-usr-pkg-etc-xen.txt')
    const listing = listingText.present
      ? listingText.text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
      : undefined
    const domains = planXendomains(rc, listing)
    const xendomainsScript = listedPath(paths, '/etc/rc.d/xendomains')
    let warnText: string | undefined
    const xdRemedies: string[] = []
    if (domains && domains.domains.length > 0) {
      ev.push(refOf(domains.setting))
      if (domains.configSetting) ev.push(refOf(domains.configSetting))
      const missing = domains.domains.filter((d) => d.exists === false)
      const unchecked = domains.domains.filter((d) => d.exists === undefined)
      if (domains.switchWord) {
        problems.push(
          `xendomains=${domains.switchWord} is not a switch: xendomains lists the domains to start by config name, so this asks for a domain named "${domains.switchWord}" (config ${domains.domains[0]!.config}${domains.domains[0]!.exists === false ? ', which does not exist' : ''}) and starts nothing`,
        )
        xdRemedies.push(
          `Set xendomains to the names of the configs under /usr/pkg/etc/xen/ to start at boot, e.g. \`xendomains="nbsd1 nbsd2"\` for /usr/pkg/etc/xen/nbsd1 and nbsd2, or remove the line.`,
        )
      } else if (missing.length > 0) {
        problems.push(
          `xendomains lists ${missing.map((d) => d.name).join(', ')} but ${missing.map((d) => d.config).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (ls-usr-pkg-etc-xen.txt): /etc/rc.d/xendomains skips ${missing.length === 1 ? 'it' : 'them'} silently, so ${missing.length === 1 ? 'that domain does' : 'those domains do'} not start at boot`,
        )
        xdRemedies.push(
          `Create ${missing.map((d) => d.config).join(' and ')} (e.g. \`cp /usr/pkg/share/examples/xen/xlexample.pvlinux ${missing[0]!.config}\` and edit it), or remove ${missing.map((d) => d.name).join(', ')} from xendomains in /etc/rc.conf.`,
        )
      }

      if (xendomainsScript.state === 'missing') {
        ev.push(refOf(xendomainsScript.fact))
        warnText = `xendomains="${domains.setting.value.trim()}" is set but /etc/rc.d/xendomains does not exist, so these domains will not start at boot`
      } else if (!domains.switchWord && missing.length === 0) {
        notes.push(
          `xendomains starts ${domains.domains.map((d) => d.name).join(' ')} at boot${unchecked.length > 0 ? ` (whether ${unchecked.map((d) => d.config).join(', ')} exist${unchecked.length === 1 ? 's' : ''} is unknown: ${listing ? 'another config directory' : 'ls-usr-pkg-etc-xen.txt is missing'})` : ', each with its config'}`,
        )
      }
    } else {
      notes.push('xendomains is not set: no domain starts at boot (optional)')
    }

    const assumed = `Rules for ${plan.label}. Assumed: ${f.eraReason}`
    if (problems.length > 0) {
      const run =
        remedies.length > 0
          ? `Run \`${remedies.join('` and `')}\`${plan.rules.some((r) => r.rcvar === 'xend') ? ', then `/etc/rc.d/xend start` (Howto: /usr/pkg/share/examples/rc.d/xend start)' : ''}.`
          : ''
      return {
        status: 'fail',
        message: `${problems.join('; ')}. ${assumed}`,
        evidence: ev,
        remedy: [run, ...xdRemedies].filter(Boolean).join(' '),
      }
    }

    const enabled = plan.rules.map((r) => `${r.rcvar}=YES`).join(', ')
    if (warnText)
      return {
        status: 'warn',
        message: `${enabled}, but ${warnText}. ${assumed}`,
        evidence: ev,
        remedy: '`cp /usr/pkg/share/examples/rc.d/xendomains /etc/rc.d/`',
      }
    return {
      status: 'pass',
      message: `${enabled}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}. ${assumed}`,
      evidence: ev,
    }
  },
}
