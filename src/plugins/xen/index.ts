import type {CheckContext, CheckDefinition, EvidenceRef, Fact, Outcome, PluginDefinition} from '../../engine/types.js'
import {refOf, refs, TARGETS} from '../../engine/types.js'
import type {PathStatus} from '../../parsers/ls.js'
import type {BootFacts, HostFacts, XenFacts} from '../facts.js'
import {deriveXenFacts} from './facts.js'
import {type Package, branchRelease, coerceXenVersion, isYes, parseRcConf, stripPkgRevision, xenPackageKind} from './parse.js'
import {netbsdOnly} from '../host/index.js'

const xen = (ctx: CheckContext) => ctx.facts<XenFacts>('xen')

function host(ctx: CheckContext): HostFacts {
  try {
    return ctx.facts<HostFacts>('host')
  } catch {
    return {sysctl: {}}
  }
}

/** The bootloaders in the evidence, or undefined when the boot facts are unavailable (plugin missing or failing). */
function bootLoaders(ctx: CheckContext): BootFacts['loaders'] | undefined {
  try {
    const boot = ctx.facts<BootFacts>('boot')
    return Array.isArray(boot?.loaders) ? boot.loaders : undefined
  } catch {
    return undefined
  }
}


/** Evidence for something looked for and not found: line 0 means "absent from the whole file". */
const absentFrom = (source: string, what: string): EvidenceRef => ({source, line: 0, text: `(no ${what} line)`})

/** A host that is not NetBSD yet (Linux before the install): NetBSD-side checks do not apply. */
function runningNote(f: XenFacts): string {
  if (!f.running) return 'this host does not run Xen yet (pre-install)'
  return f.runningDom0 ? `this host runs as Xen dom0 (${f.running.value})` : `this host runs under Xen (${f.running.value}) but not as dom0`
}

const KERNFS_FSTAB_LINE = 'kernfs /kern kernfs rw'
const KERNFS_REMEDY = `Mount it now with \`mount_kernfs kernfs /kern\` (create /kern with \`mkdir /kern\` if needed) and add the line \`${KERNFS_FSTAB_LINE}\` to /etc/fstab so it is mounted at every boot. The dom0 kernel must support KERNFS and /kern must be mounted because xend needs access to /kern/xen/privcmd (Howto); on Xen 4.2 and later xencommons needs /kern/xen/privcmd and xenstored /kern/xen/xsd_port.`

const kernfs: CheckDefinition = {
  id: 'xen.kernfs',
  title: 'KERNFS is mounted on /kern, now and at boot',
  targets: TARGETS,
  evidence: ['mount.txt', 'files/etc/fstab', 'ls-paths.txt', 'uname.txt', 'dmesg.boot'],
  description: 'A `kernfs on /kern type kernfs` line in `mount`, a `kernfs /kern kernfs rw` line in /etc/fstab, and on a running dom0 `/kern/xen/privcmd` in `ls -ld`.',
  why: 'The domain0 kernel must support KERNFS and /kern must be mounted because xend needs access to /kern/xen/privcmd (Howto). This did not change with Xen 4.x: the xencommons rc.d script requires /kern/xen/privcmd and xenstored reads /kern/xen/xsd_port.',
  remedy: KERNFS_REMEDY,
  references: ['Howto: Installing NetBSD as privileged domain (Dom0)', 'pkgsrc sysutils/xentools42 files/xencommons.sh: required_files="/kern/xen/privcmd"'],
  run(ctx) {
    const f = xen(ctx)
    const h = host(ctx)
    if (!h.mounts && !h.fstab) return {status: 'unknown', message: 'neither mount.txt nor files/etc/fstab is in the evidence'}
    const mounted = h.mounts?.find((m) => m.value.type === 'kernfs' && m.value.mountPoint === '/kern')
    const inFstab = h.fstab?.find((m) => m.value.type === 'kernfs' && m.value.mountPoint === '/kern' && !m.value.options.includes('noauto'))
    const fstabNoauto = h.fstab?.find((m) => m.value.type === 'kernfs' && m.value.mountPoint === '/kern' && m.value.options.includes('noauto'))
    const privcmd = h.paths?.get('/kern/xen/privcmd')
    const ev = refs(mounted, inFstab ?? fstabNoauto, privcmd)

    if (!h.mounts) {
      return inFstab
        ? {status: 'unknown', message: `/etc/fstab mounts kernfs on /kern at boot, but mount.txt is missing, so whether it is mounted now is unknown`, evidence: ev}
        : {status: 'fail', message: `/etc/fstab has no kernfs line for /kern${fstabNoauto ? ' (only a noauto one)' : ''}, so /kern is not mounted at boot (mount.txt is missing)`, evidence: [...ev, absentFrom('files/etc/fstab', 'kernfs /kern kernfs')]}
    }

    if (!mounted) {
      const fstabState = inFstab
        ? `, although /etc/fstab has it (line ${inFstab.line}): it was never mounted since boot or was unmounted`
        : h.fstab
          ? ` and /etc/fstab has no ${fstabNoauto ? 'automatic ' : ''}kernfs line for /kern`
          : ' (files/etc/fstab is not in the evidence)'
      return {status: 'fail', message: `kernfs is not mounted on /kern (no kernfs line in mount.txt)${fstabState}`, evidence: [absentFrom('mount.txt', 'kernfs on /kern'), ...ev, ...(h.fstab && !inFstab ? [absentFrom('files/etc/fstab', 'kernfs /kern kernfs')] : [])]}
    }

    if (!h.fstab) {
      return {status: 'unknown', message: 'kernfs is mounted on /kern now, but files/etc/fstab is not in the evidence, so whether it survives a reboot is unknown', evidence: ev, remedy: `Collect /etc/fstab (save it as files/etc/fstab) and check it has \`${KERNFS_FSTAB_LINE}\`.`}
    }

    if (!inFstab) {
      return {
        status: 'warn',
        message: `kernfs is mounted on /kern now but /etc/fstab has no ${fstabNoauto ? 'automatic ' : ''}kernfs line for /kern: it will be missing after a reboot and xend/xencommons will not start`,
        evidence: [...ev, ...(fstabNoauto ? [] : [absentFrom('files/etc/fstab', 'kernfs /kern kernfs')])],
        remedy: `Add the line \`${KERNFS_FSTAB_LINE}\` to /etc/fstab.`,
      }
    }

    // kernfs is fine; /kern/xen/privcmd only exists once a dom0 kernel runs.
    if (f.runningDom0 && privcmd && !privcmd.value.exists) {
      return {
        status: 'fail',
        message: `kernfs is mounted and in /etc/fstab, but /kern/xen/privcmd does not exist although ${runningNote(f)}: the running kernel does not provide the Xen privileged command interface`,
        evidence: ev,
        remedy: 'Boot the XEN3_DOM0 kernel (netbsd-XEN3_DOM0, or XEN3PAE_DOM0 on i386) as the dom0 module of the Xen boot entry; only a dom0 kernel creates /kern/xen/privcmd.',
      }
    }

    const privNote = !f.running
      ? '; /kern/xen/privcmd cannot exist before the host runs the dom0 kernel under Xen (pre-install), so it was not required'
      : privcmd?.value.exists
        ? '; /kern/xen/privcmd exists'
        : privcmd === undefined ? '; /kern/xen/privcmd was not listed in ls-paths.txt' : ''
    return {status: 'pass', message: `kernfs is mounted on /kern and in /etc/fstab${privNote}`, evidence: ev}
  },
}

const DEVICES = ['/dev/xencons', '/dev/xenevt'] as const

const devices: CheckDefinition = {
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

const running: CheckDefinition = {
  id: 'xen.running',
  title: 'The host runs as Xen domain0 (information before the install)',
  targets: TARGETS,
  evidence: ['dmesg.boot', 'uname.txt', 'xl-info.txt', 'xm-info.txt', 'xl-dmesg.txt', 'pkg_info.txt'],
  description:
    'The `hypervisor0 at mainbus0: Xen version …` line and `pci0 at hypervisor0` (dom0 only) in dmesg, the kernel configuration in uname (`XEN3_DOM0`), and `xen_version`/`xen_caps` of `xl info`/`xm info`. Before the install this is information: the status is n/a, not a failure.',
  why: 'Several checks only make sense on a running dom0 (/kern/xen/privcmd, the hypervisor\'s own view of HVM support); knowing whether Xen runs, and which version, tells which of them apply.',
  remedy: 'Boot the Xen entry of the bootloader: `multiboot /xen.gz dom0_mem=…` plus `load /netbsd-XEN3_DOM0.gz` in /boot.cfg, or the grub `kernel (hd0,a)/xen.gz dom0_mem=65536` / `module (hd0,a)/netbsd bootdev=wd0a ro console=tty0` stanza of the Howto.',
  run(ctx) {
    const f = xen(ctx)
    if (f.otherOs && !f.netbsdRelease) {
      return {status: 'n/a', message: `this host runs ${f.otherOs.value}, not NetBSD yet: this applies once NetBSD is installed as the dom0; not running Xen yet (pre-install)`, evidence: refs(f.otherOs)}
    }

    if (!f.running) {
      const hasEvidence = f.netbsdRelease || f.kernelConfig || ctx.evidence.get('dmesg.boot').present
      if (!hasEvidence) return {status: 'unknown', message: 'neither dmesg.boot nor uname.txt is in the evidence, so whether Xen runs is unknown'}
      // Not running Xen is not a failure before the install: n/a, and the checks that need a running dom0 say so.
      return {
        status: 'n/a',
        message: `not running under Xen yet (pre-install): no \`hypervisor0 at mainbus0: Xen version\` line in dmesg.boot${f.kernelConfig ? ` and the running kernel is ${f.kernelConfig.value}` : ''}; checks that need a running dom0 are n/a or relaxed`,
        evidence: refs(f.kernelConfig),
      }
    }

    const info = f.info
    const infoRefs = info ? [info.xen_caps, info.virt_caps, info.total_memory, info.xen_commandline] : []
    const version = f.runningVersion?.value ?? 'unknown version'
    if (f.runningDom0 === undefined) {
      return {
        status: 'unknown',
        message: `this host runs under Xen ${version}, but nothing in the evidence says whether as dom0 or as a domU (no \`pci0 at hypervisor0\`, no DOM0/DOMU kernel name, no \`xl info\`)`,
        evidence: refs(f.running, f.kernelConfig),
        remedy: 'Run `xl info > xl-info.txt` (`xm info > xm-info.txt` with Xen 3.x/4.1) as root: only dom0 can query the hypervisor.',
      }
    }

    if (!f.runningDom0) {
      return {
        status: 'fail',
        message: `this host runs under Xen ${version} as an unprivileged domain (domU), not as domain0: it cannot host other domains`,
        evidence: refs(f.running, f.kernelConfig),
        remedy: 'Run xenready on the physical machine, booted with the Xen hypervisor and a XEN3_DOM0 kernel.',
      }
    }

    const kernelRelease = f.kernelRelease
    const runningSemver = f.runningVersion ? coerceXenVersion(f.runningVersion.value) : undefined
    const infoText = info ? `; xen_caps: ${info.xen_caps?.value ?? '?'}${info.total_memory ? `, total_memory: ${info.total_memory.value} MB` : ''}` : ''
    if (kernelRelease && runningSemver && !runningSemver.startsWith(`${kernelRelease}.`)) {
      return {
        status: 'warn',
        message: `runs as Xen dom0 with Xen ${version}, but the installed kernel package is ${f.packages.kernel!.value.name} (Xen ${kernelRelease}): the hypervisor booted is not the installed one`,
        evidence: refs(f.running, f.runningVersion, f.packages.kernel),
        remedy: `Copy the installed hypervisor to the root file system (\`cp /usr/pkg/xen${f.packages.kernel!.value.name.replace(/^xenkernel/, '')}-kernel/xen.gz /\`) and reboot.`,
      }
    }

    return {status: 'pass', message: `runs as Xen domain0 with Xen ${version}${f.kernelConfig ? ` (kernel ${f.kernelConfig.value})` : ''}${infoText}`, evidence: refs(f.running, f.runningVersion, f.kernelConfig, ...infoRefs)}
  },
}

/** The packages a NetBSD release should install: the Howto's trio for 5.x, the current pkgsrc pair for 9.1 and later. */
function packageAdvice(f: XenFacts): string {
  const v = f.netbsdVersion
  const major = v ? Number(v.split('.')[0]) : undefined
  if (major !== undefined && major < 7) return 'Install a matching pair from pkgsrc, e.g. `pkg_add xenkernel41 xentools41` (Xen 4.1), or sysutils/xenkernel3 and sysutils/xentools3 for Xen 3.1 (the only one with PCI pass-through), as the Howto lists.'
  return 'Install a matching pair from pkgsrc, e.g. `pkgin install xenkernel420 xentools420` (Xen 4.20, amd64, NetBSD 9.1 and later); xenkernel and xentools must be installed together and must have matching versions.'
}

const pkgLabel = (p: Fact<Package>) => `${p.value.name}-${p.value.version}`

const packages: CheckDefinition = {
  id: 'xen.packages',
  title: 'xenkernel and xentools are installed, of the same Xen version',
  targets: TARGETS,
  evidence: ['pkg_info.txt'],
  description:
    'The xenkernel* and xentools* lines of `pkg_info` (`xenkernel3`+`xentools3` = Xen 3.1, `xenkernel33`+`xentools33` = 3.3, `xenkernel41`+`xentools41` = 4.1, … `xenkernel420`+`xentools420` = 4.20), versions compared after removing the pkgsrc revision (`nb5`); `xentools3-hvm` for HVM on Xen 3.1; `grub` when grub is the bootloader.',
  why: 'Both packages must be installed together and must have matching versions (NetBSD Xen howto). With Xen 3.1, HVM guests need sysutils/xentools3-hvm; sysutils/grub is needed if you plan to use the grub boot loader (Howto).',
  remedy: 'Install the xenkernel and xentools packages of the same Xen branch, e.g. `pkgin install xenkernel420 xentools420`, or `pkg_add xenkernel41 xentools41` on NetBSD 5.',
  references: ['Howto: Installing NetBSD as privileged domain (Dom0)', 'pkgsrc sysutils/xenkernel420, sysutils/xentools420 (versions are snapshot dates, e.g. xenkernel420-20250821nb1)'],
  run(ctx) {
    const f = xen(ctx)
    const all = f.packages.all
    if (!all) return {status: 'unknown', message: 'pkg_info.txt is missing'}
    const {kernel, tools} = f.packages
    const outcomes: Outcome[] = []
    const era = f.era ? ` Assumed: ${f.eraReason}.` : ''
    if (!kernel || !tools) {
      const missing = [!kernel && 'no xenkernel* package', !tools && 'no xentools* package'].filter(Boolean).join(' and ')
      const have = kernel ?? tools
      outcomes.push({status: 'fail', message: `${missing} in pkg_info.txt (${all.size} packages listed)${have ? `; installed: ${pkgLabel(have)}` : ''}`, evidence: have ? refs(have) : [absentFrom('pkg_info.txt', 'xenkernel*/xentools*')], remedy: packageAdvice(f)})
    } else {
      const kb = xenPackageKind(kernel.value.name)!.branch
      const tb = xenPackageKind(tools.value.name)!.branch
      const kRel = branchRelease(kb) ?? kb
      const tRel = branchRelease(tb) ?? tb
      const ev = refs(kernel, tools)
      if (kb !== tb) {
        outcomes.push({
          status: 'fail',
          message: `mismatched pair: ${pkgLabel(kernel)} is Xen ${kRel} but ${pkgLabel(tools)} is Xen ${tRel}`,
          evidence: ev,
          remedy: `Install the xenkernel and xentools of one Xen branch: \`pkg_delete ${kernel.value.name}\` then \`pkg_add xenkernel${tb}\` (matching ${tools.value.name}), or replace the tools with xentools${kb}.`,
        })
      } else if (stripPkgRevision(kernel.value.version) !== stripPkgRevision(tools.value.version)) {
        outcomes.push({
          status: 'warn',
          message: `same Xen branch ${kRel}, but different releases: ${pkgLabel(kernel)} and ${pkgLabel(tools)}.${era}`,
          evidence: ev,
          remedy: `Update both together: \`pkgin upgrade\` or \`pkg_add -u ${kernel.value.name} ${tools.value.name}\`.`,
        })
      } else {
        outcomes.push({status: 'pass', message: `${pkgLabel(kernel)} and ${pkgLabel(tools)}: Xen ${kRel}, matching.${era}`, evidence: ev})
      }
    }

    // HVM on Xen 3.1 needs the separate xentools3-hvm package; later xentools include it.
    if (ctx.target === 'hvm' && tools && xenPackageKind(tools.value.name)?.branch === '3') {
      const hvm = all.get('xentools3-hvm')
      outcomes.push(
        hvm
          ? {status: 'pass', message: `${pkgLabel(hvm)} is installed: HVM guests can be run with Xen 3.1`, evidence: refs(hvm), subject: 'xentools3-hvm'}
          : {status: 'fail', message: 'Xen 3.1 (xentools3) without xentools3-hvm: the utilities to run unmodified (HVM) guests are missing', evidence: refs(tools), subject: 'xentools3-hvm', remedy: 'Install sysutils/xentools3-hvm: `pkg_add xentools3-hvm`.'},
      )
    }

    const loaders = bootLoaders(ctx)
    if (loaders?.includes('grub')) {
      const grub = all.get('grub') ?? all.get('grub2')
      if (grub) outcomes.push({status: 'pass', message: `the grub bootloader is configured and ${pkgLabel(grub)} is installed`, evidence: refs(grub), subject: 'grub'})
      else {
        outcomes.push({
          status: loaders.includes('netbsd') ? 'warn' : 'fail',
          message: `the grub bootloader is configured (menu.lst) but no grub package is in pkg_info.txt${loaders.includes('netbsd') ? '; boot.cfg is there too, so NetBSD\'s own /boot may be the one in use' : ''}`,
          subject: 'grub',
          evidence: [absentFrom('pkg_info.txt', 'grub')],
          remedy: 'Install sysutils/grub (`pkg_add grub`) and run `grub-install` as the Howto shows, or boot Xen with NetBSD\'s /boot and a boot.cfg `multiboot /xen.gz` line instead.',
        })
      }
    }

    if (outcomes.length > 1) for (const o of outcomes) o.subject ??= 'xenkernel/xentools'
    return outcomes
  },
}

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
    rules: [{rcvar: 'xencommons', why: 'starts xenstored and xenconsoled, which xl needs (pkgsrc xentools4x rc.d/xencommons)'}],
  }
}

const daemons: CheckDefinition = {
  id: 'xen.daemons',
  title: 'The Xen daemons of the installed era start at boot',
  targets: TARGETS,
  evidence: ['files/etc/rc.conf', 'ls-paths.txt', 'pkg_info.txt'],
  description:
    'rc.conf variables and /etc/rc.d scripts by era: Xen 3.1/3.3 `xend=YES` and `xenbackendd=YES`; Xen 4.1 `xencommons=YES` and `xend=YES`; Xen 4.2 and later `xencommons=YES` (and `xendomains` if domains should start at boot). The era comes from the installed xentools package.',
  why: 'Once you have domain0 running, you need to start the xen tool daemon and the xen backend daemon (Howto, Xen 3.x). Since Xen 4.1 pkgsrc ships the xencommons rc.d script (xenstored, xenconsoled) that xl and xend need.',
  remedy: 'Copy the rc.d scripts and enable them: `cp /usr/pkg/share/examples/rc.d/xencommons /etc/rc.d/` and `echo xencommons=YES >> /etc/rc.conf` (Xen 4.2+); for Xen 3.x `cp /usr/pkg/share/examples/rc.d/xend /usr/pkg/share/examples/rc.d/xenbackendd /etc/rc.d/` with `xend=YES` and `xenbackendd=YES`.',
  references: ['Howto: Creating an unprivileged NetBSD domain (DomU)', 'pkgsrc sysutils/xentools3, xentools33 (xend, xenbackendd), xentools41 (xencommons, xend), xentools42+ (xencommons, xendomains) RCD_SCRIPTS'],
  run(ctx) {
    const f = xen(ctx)
    const plan = daemonRules(f)
    if (!plan) return {status: 'unknown', message: `which daemons apply depends on the Xen version: ${f.eraReason}`, remedy: 'Install xenkernel and xentools (see xen.packages) and collect `pkg_info > pkg_info.txt`.'}
    const rcText = ctx.evidence.get('files/etc/rc.conf')
    if (!rcText.present) return {status: 'unknown', message: `files/etc/rc.conf is missing (assumed ${plan.label}: ${f.eraReason})`}
    const rc = parseRcConf(rcText.text)
    const paths = host(ctx).paths
    const problems: string[] = []
    const notes: string[] = []
    const ev: EvidenceRef[] = []
    const remedies: string[] = []
    for (const rule of plan.rules) {
      const v = rc[rule.rcvar]
      ev.push(v ? refOf(v) : absentFrom('files/etc/rc.conf', `${rule.rcvar}=`))
      if (!isYes(v?.value)) {
        problems.push(`${rule.rcvar} is ${v ? `set to ${v.value}` : 'not set'} in /etc/rc.conf (${rule.why})`)
        remedies.push(`echo ${rule.rcvar}=YES >> /etc/rc.conf`)
      }

      const script = paths?.get(`/etc/rc.d/${rule.rcvar}`)
      if (script) ev.push(refOf(script))
      if (script && !script.value.exists) {
        problems.push(`/etc/rc.d/${rule.rcvar} does not exist (${script.value.error})`)
        remedies.unshift(`cp /usr/pkg/share/examples/rc.d/${rule.rcvar} /etc/rc.d/`)
      } else if (!script) {
        notes.push(`/etc/rc.d/${rule.rcvar} not listed in ls-paths.txt`)
      }
    }

    // xendomains is not a YES/NO switch: it lists the domains to start (pkgsrc files/xendomains.sh, xl era; xm era too).
    const xendomains = rc.xendomains
    const domainList = xendomains?.value.trim()
    const xendomainsScript = paths?.get('/etc/rc.d/xendomains')
    let warnText: string | undefined
    if (domainList && xendomains) {
      ev.push(refOf(xendomains))
      if (xendomainsScript && !xendomainsScript.value.exists) {
        ev.push(refOf(xendomainsScript))
        warnText = `xendomains="${domainList}" is set but /etc/rc.d/xendomains does not exist, so these domains will not start at boot`
      } else {
        notes.push(`xendomains starts ${domainList} at boot`)
      }
    } else {
      notes.push('xendomains is not set: no domain starts at boot (optional)')
    }

    const assumed = `Rules for ${plan.label}. Assumed: ${f.eraReason}`
    if (problems.length > 0) {
      return {status: 'fail', message: `${problems.join('; ')}. ${assumed}`, evidence: ev, remedy: `Run \`${remedies.join('` and `')}\`${plan.rules.some((r) => r.rcvar === 'xend') ? ', then `/etc/rc.d/xend start` (Howto: /usr/pkg/share/examples/rc.d/xend start)' : ''}.`}
    }

    const enabled = plan.rules.map((r) => `${r.rcvar}=YES`).join(', ')
    if (warnText) return {status: 'warn', message: `${enabled}, but ${warnText}. ${assumed}`, evidence: ev, remedy: '`cp /usr/pkg/share/examples/rc.d/xendomains /etc/rc.d/`'}
    return {status: 'pass', message: `${enabled}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}. ${assumed}`, evidence: ev}
  },
}

/** `ls -ld` targets: Xen devices, kernfs entries and the rc.d scripts of every era. */
export const XEN_LS_PATHS = [
  '/dev/xencons',
  '/dev/xenevt',
  '/dev/xsd_kva',
  '/kern/xen',
  '/kern/xen/privcmd',
  '/kern/xen/xsd_port',
  '/usr/pkg/share/examples/rc.d/xend',
  '/usr/pkg/share/examples/rc.d/xenbackendd',
  '/usr/pkg/share/examples/rc.d/xencommons',
  '/usr/pkg/share/examples/rc.d/xendomains',
  '/etc/rc.d/xend',
  '/etc/rc.d/xenbackendd',
  '/etc/rc.d/xencommons',
  '/etc/rc.d/xendomains',
] as const

export const xenPlugin: PluginDefinition = {
  name: 'xen',
  title: 'Xen runtime: /kern, Xen devices, running hypervisor, xenkernel/xentools packages and daemons',
  evidence: [
    {name: 'pkg_info.txt', description: 'installed packages', argv: ['pkg_info'], os: ['netbsd']},
    {name: 'files/etc/rc.conf', description: 'daemons started at boot', path: '/etc/rc.conf', os: ['netbsd']},
    {name: 'xl-info.txt', description: 'hypervisor information on a running xl-era dom0', argv: ['xl', 'info'], os: ['netbsd'], root: true},
    {name: 'xm-info.txt', description: 'hypervisor information on a running xm-era dom0 (Xen 3.x, 4.1)', argv: ['xm', 'info'], os: ['netbsd'], root: true},
    {name: 'xl-dmesg.txt', description: 'the hypervisor\'s own boot messages on a running xl-era dom0', argv: ['xl', 'dmesg'], os: ['netbsd'], root: true},
    {name: 'uname.txt', description: 'kernel name, release, build and architecture', argv: ['uname', '-a']},
    {name: 'dmesg.boot', description: 'kernel messages of the last boot', path: '/var/run/dmesg.boot', os: ['netbsd']},
    {name: 'mount.txt', description: 'mounted file systems', argv: ['mount']},
    {name: 'files/etc/fstab', description: 'file systems mounted at boot', path: '/etc/fstab'},
  ],
  lsPaths: XEN_LS_PATHS,
  facts: [{name: 'xen', derive: deriveXenFacts}],
  // xen.running says n/a itself on another OS, adding that Xen does not run yet.
  checks: [netbsdOnly(kernfs), netbsdOnly(devices), running, netbsdOnly(packages), netbsdOnly(daemons)],
}
