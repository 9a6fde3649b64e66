import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {buildRegistry} from '../../../src/engine/registry.js'
import {runChecks} from '../../../src/engine/run.js'
import type {Finding, PluginDefinition, Target} from '../../../src/engine/types.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import type {XenFacts} from '../../../src/plugins/facts.js'
import {hostPlugin} from '../../../src/plugins/host/index.js'
import {xenPlugin} from '../../../src/plugins/xen/index.js'
import {deriveXenFacts} from '../../../src/plugins/xen/facts.js'
import {checkDump, checkTexts, dumpPath, finding, fixture, statusOf} from '../../helpers.js'

const XEN_IDS = ['xen.kernfs', 'xen.devices', 'xen.running', 'xen.packages', 'xen.daemons']
const xenOnly = (fs: Finding[]) => fs.filter((f) => f.id.startsWith('xen.'))
const statuses = (fs: Finding[]) =>
  Object.fromEntries(xenOnly(fs).map((f) => [f.subject ? `${f.id}[${f.subject}]` : f.id, f.status]))

/** Every file of a dump directory, as in-memory evidence (to edit one file per test). */
function dumpTexts(name: string): Record<string, string> {
  const files = [
    'uname.txt',
    'dmesg.boot',
    'mount.txt',
    'ls-paths.txt',
    'pkg_info.txt',
    'xl-info.txt',
    'files/etc/fstab',
    'files/etc/rc.conf',
  ]
  const out: Record<string, string> = {}
  for (const f of files) {
    try {
      out[f] = readFileSync(`${dumpPath(name)}/${f}`, 'utf8')
    } catch {
      // not in this dump
    }
  }

  return out
}

const MODERN = 'synthetic-netbsd10-xen420-dom0-xl'
const OLD = 'synthetic-netbsd51-xen31-dom0-xm'

function runWith(plugins: PluginDefinition[], texts: Record<string, string>, target: Target = 'dom0'): Finding[] {
  const registry = buildRegistry([{package: 'test', result: {apiVersion: 2, plugins}}], [])
  return runChecks(registry, MemoryEvidenceSet.fromTexts(texts), {target}).findings
}

describe('fixture dumps: both eras pass, each broken variant fails where it is broken', () => {
  it('a correct NetBSD 5.1 + Xen 3.1 dom0 (xm era, grub as in the Howto) passes every xen check', () => {
    const fs = checkDump(OLD)
    expect(statuses(fs)).toEqual({
      'xen.kernfs': 'pass',
      'xen.devices': 'pass',
      'xen.running': 'pass',
      'xen.packages[xenkernel/xentools]': 'pass',
      'xen.packages[grub]': 'pass',
      'xen.daemons': 'pass',
      'xen.toolstack': 'n/a',
    })
    expect(finding(fs, 'xen.packages', 'grub').message).toContain('grub-0.97nb12')
    expect(finding(fs, 'xen.daemons').message).toMatch(/xend=YES, xenbackendd=YES.*xm era.*xentools3-3\.1\.4nb7/)
    expect(finding(fs, 'xen.running').message).toContain('Xen 3.1.4')
  })

  it('a correct NetBSD 10 + Xen 4.20 dom0 (xl era) passes every xen check: no xend or xenbackendd demanded', () => {
    const fs = checkDump(MODERN)
    // This dump predates the toolstack paths (xl, hotplug scripts) in ls-paths.txt: unknown, never pass.
    expect(statuses(fs)).toEqual({
      'xen.kernfs': 'pass',
      'xen.devices': 'pass',
      'xen.running': 'pass',
      'xen.packages': 'pass',
      'xen.daemons': 'pass',
      'xen.toolstack': 'unknown',
    })
    const daemons = finding(fs, 'xen.daemons')
    expect(daemons.message).toMatch(/^xencommons=YES/)
    expect(daemons.message).toContain('xl era')
    expect(daemons.message).toContain('xendomains starts nbsd1 nbsd2 at boot')
    expect(daemons.message).not.toMatch(/xend=|xenbackendd/)
    expect(finding(fs, 'xen.running').message).toContain('Xen 4.20.1')
  })

  it('no kernfs: xen.kernfs fails with the mount_kernfs command and the fstab line', () => {
    const f = finding(checkDump('synthetic-netbsd10-xen420-broken-no-kernfs'), 'xen.kernfs')
    expect(f.status).toBe('fail')
    expect(f.remedy).toContain('mount_kernfs kernfs /kern')
    expect(f.remedy).toContain('kernfs /kern kernfs rw')
    expect(f.evidence.map((e) => e.source)).toEqual(expect.arrayContaining(['mount.txt', 'files/etc/fstab']))
  })

  it('kernfs mounted but not in fstab: warn, with the fstab line to add', () => {
    const f = finding(checkDump('synthetic-netbsd10-xen420-broken-kernfs-not-in-fstab'), 'xen.kernfs')
    expect(f.status).toBe('warn')
    expect(f.remedy).toBe('Add the line `kernfs /kern kernfs rw` to /etc/fstab.')
    expect(f.evidence[0]).toMatchObject({source: 'mount.txt', line: 2, text: 'kernfs on /kern type kernfs (local)'})
  })

  it('missing /dev/xenevt: xen.devices fails quoting the ls error line, remedy MAKEDEV xen', () => {
    const f = finding(checkDump('synthetic-netbsd10-xen420-broken-missing-xenevt'), 'xen.devices')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('/dev/xenevt does not exist')
    expect(f.evidence).toContainEqual({
      source: 'ls-paths.txt',
      line: 2,
      text: 'ls: /dev/xenevt: No such file or directory',
    })
    expect(f.remedy).toBe('Create them with `cd /dev && sh MAKEDEV xen`.')
  })

  it('xenkernel41 with xentools33: xen.packages fails naming both Xen versions', () => {
    const fs = checkDump('synthetic-netbsd51-xen-broken-mismatched-packages')
    const f = finding(fs, 'xen.packages')
    expect(f.status).toBe('fail')
    expect(f.message).toBe('mismatched pair: xenkernel41-4.1.2nb5 is Xen 4.1 but xentools33-3.3.2nb8 is Xen 3.3')
    expect(f.evidence.map((e) => e.line)).toEqual([4, 5])
  })

  it('xend not enabled (xm era): xen.daemons fails, saying which era it assumed and why', () => {
    const f = finding(checkDump('synthetic-netbsd51-xen31-broken-xend-not-enabled'), 'xen.daemons')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/^xend is not set in \/etc\/rc.conf/)
    expect(f.message).toContain('/etc/rc.d/xend does not exist')
    expect(f.message).toContain('Assumed: xm era')
    expect(f.remedy).toContain('cp /usr/pkg/share/examples/rc.d/xend /etc/rc.d/')
    expect(f.remedy).toContain('echo xend=YES >> /etc/rc.conf')
  })

  it('pre-install NetBSD 10 GENERIC: running is n/a (information), no false fail for /kern/xen/privcmd', () => {
    const fs = checkDump('synthetic-netbsd10-generic-preinstall')
    expect(statuses(fs)).toEqual({
      'xen.kernfs': 'pass',
      'xen.devices': 'pass',
      'xen.running': 'n/a',
      'xen.packages': 'fail',
      'xen.daemons': 'unknown',
      'xen.toolstack': 'unknown',
    })
    expect(finding(fs, 'xen.running').message).toMatch(/^not running under Xen yet \(pre-install\)/)
    expect(finding(fs, 'xen.kernfs').message).toContain('/kern/xen/privcmd cannot exist before')
    expect(finding(fs, 'xen.packages').remedy).toContain('pkgin install xenkernel420 xentools420')
  })

  it('a KVM guest dmesg (real sample) is information: not running Xen', () => {
    expect(statusOf(checkDump('netbsd10-microvm-kvm-plain-dmesg'), 'xen.running')).toBe('n/a')
  })

  it('every fail and warn quotes evidence lines; unknowns carry a remedy', () => {
    const dumps = [
      OLD,
      MODERN,
      'synthetic-netbsd10-xen420-broken-no-kernfs',
      'synthetic-netbsd10-xen420-broken-kernfs-not-in-fstab',
      'synthetic-netbsd10-xen420-broken-missing-xenevt',
      'synthetic-netbsd51-xen-broken-mismatched-packages',
      'synthetic-netbsd51-xen31-broken-xend-not-enabled',
      'synthetic-netbsd10-generic-preinstall',
      'netbsd10-microvm-kvm-plain-dmesg',
      'linux-epyc-vm-nosvm',
    ]
    for (const d of dumps) {
      const findings = xenOnly(checkDump(d))
      expect(findings.length, d).toBeGreaterThan(0)
      for (const f of findings) {
        if (f.status === 'fail' || f.status === 'warn') expect(f.evidence.length, `${d} ${f.id}`).toBeGreaterThan(0)
        if (f.status !== 'pass' && f.status !== 'n/a') expect(f.remedy, `${d} ${f.id}`).not.toBe('')
        expect(f.status, `${d} ${f.id}`).not.toBe('error')
      }
    }
  })
})

describe('xen facts (the contract other plugins read)', () => {
  it('modern dom0: release, running version, packages, xl era with the reason', () => {
    const ev = MemoryEvidenceSet.fromTexts(dumpTexts(MODERN))
    const f = runChecksFacts(ev)
    expect(f.netbsdRelease).toMatchObject({value: '10.0', source: 'uname.txt', line: 1})
    expect(f.netbsdVersion).toBe('10.0.0')
    expect(f.running?.value).toBe('4.20.1')
    expect(f.runningDom0).toBe(true)
    expect(f.xenVersion?.value).toBe('4.20.1')
    expect(f.era).toBe('xl')
    expect(f.eraReason).toMatch(/^xl era .*xentools420-20250821nb1 \(pkg_info.txt line 6\) is Xen 4\.20\.0$/)
    expect(f.packages.kernel?.value).toEqual({name: 'xenkernel420', version: '20250821nb1'})
    expect(f.packages.tools?.value.name).toBe('xentools420')
    expect(f.packages.all?.size).toBe(7)
    expect(f.info?.xen_caps?.value).toContain('hvm-3.0-x86_64')
  })

  it('a real `xm info` without xen_version (Oracle VM, Xen 4.4) gives the version from xen_major/minor/extra', () => {
    const f = runChecksFacts(
      MemoryEvidenceSet.fromTexts({
        'xm-info.txt': readFileSync(fixture('samples', 'xm-info-oracle-ovm-xen44-no-xen_version.txt'), 'utf8'),
      }),
    )
    expect(f.runningVersion).toMatchObject({value: '4.4.4OVM', source: 'xm-info.txt', line: 15})
    expect(f.xenVersion?.value).toBe('4.4.4')
    expect(f.era).toBe('xl')
    expect(f.eraReason).toContain('running hypervisor reports Xen 4.4.4OVM')
  })

  it('a real `xl dmesg` banner is enough to know the running version', () => {
    const f = runChecksFacts(
      MemoryEvidenceSet.fromTexts({
        'xl-dmesg.txt': readFileSync(fixture('samples', 'xl-dmesg-alpine-xen419-head.txt'), 'utf8'),
      }),
    )
    expect(f.runningVersion).toMatchObject({value: '4.19.1', line: 4})
  })

  it('nothing at all: no era, with the reason, and no throw', () => {
    const f = runChecksFacts(MemoryEvidenceSet.fromTexts({}))
    expect(f.era).toBeUndefined()
    expect(f.eraReason).toContain('pkg_info.txt is missing')
    expect(f.packages).toEqual({})
  })
})

function runChecksFacts(evidence: MemoryEvidenceSet): XenFacts {
  let captured: XenFacts | undefined
  const probe: PluginDefinition = {
    name: 'probe',
    title: 'captures the xen facts',
    evidence: [],
    checks: [
      {
        id: 'probe.xen',
        title: 't',
        targets: ['dom0'],
        evidence: [],
        description: '',
        why: '',
        remedy: '',
        run: (ctx) => ((captured = ctx.facts('xen')), {status: 'pass', message: ''}),
      },
    ],
  }
  const registry = buildRegistry(
    [{package: 'test', result: {apiVersion: 2, plugins: [hostPlugin, xenPlugin, probe]}}],
    [],
  )
  runChecks(registry, evidence, {target: 'dom0', only: ['probe.xen']})
  return captured!
}

describe('xen.kernfs', () => {
  it('mounted now, fstab not collected: unknown (cannot tell whether it survives a reboot)', () => {
    const t = dumpTexts(MODERN)
    delete t['files/etc/fstab']
    expect(statusOf(checkTexts(t), 'xen.kernfs')).toBe('unknown')
  })

  it('in fstab but not mounted now: fail', () => {
    const t = dumpTexts(MODERN)
    t['mount.txt'] = t['mount.txt']!.replace(/^kernfs.*\n/m, '')
    const f = finding(checkTexts(t), 'xen.kernfs')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('although /etc/fstab has it (line 5)')
  })

  it('a noauto fstab line does not count', () => {
    const t = dumpTexts(MODERN)
    t['files/etc/fstab'] = t['files/etc/fstab']!.replace(
      'kernfs\t\t/kern\tkernfs\trw',
      'kernfs\t\t/kern\tkernfs\trw,noauto',
    )
    expect(statusOf(checkTexts(t), 'xen.kernfs')).toBe('warn')
  })

  it('a running dom0 without /kern/xen/privcmd fails: the kernel is not a dom0 kernel', () => {
    const t = dumpTexts(MODERN)
    t['ls-paths.txt'] = t['ls-paths.txt']!.replace(
      /^-rw-------.*\/kern\/xen\/privcmd$/m,
      'ls: /kern/xen/privcmd: No such file or directory',
    )
    const f = finding(checkTexts(t), 'xen.kernfs')
    expect(f.status).toBe('fail')
    expect(f.remedy).toContain('XEN3_DOM0')
  })

  it('a Linux host before the install: n/a', () => {
    const f = finding(
      checkTexts({
        'uname.txt': 'Linux ci 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n',
        'mount.txt': '/dev/sda1 on / type ext4 (rw,relatime)\n',
      }),
      'xen.kernfs',
    )
    expect(f.status).toBe('n/a')
    expect(f.message).toContain('Linux, not NetBSD yet')
  })
})

describe('xen.devices', () => {
  it('a regular file where a device should be: fail naming the mode', () => {
    const t = dumpTexts(MODERN)
    t['ls-paths.txt'] = t['ls-paths.txt']!.replace(
      'crw-------  1 root  wheel  143, 0 Mar 28  2024 /dev/xencons',
      '-rw-r--r--  1 root  wheel  0 Mar 28  2024 /dev/xencons',
    )
    const f = finding(checkTexts(t), 'xen.devices')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('/dev/xencons is a file (mode -rw-r--r--), not a character device')
  })

  it('paths not listed at all: unknown, never pass', () => {
    expect(statusOf(checkTexts({'ls-paths.txt': 'ls: /xen.gz: No such file or directory\n'}), 'xen.devices')).toBe(
      'unknown',
    )
  })
})

describe('xen.running', () => {
  it('a domU is not a dom0: fail', () => {
    const fs = checkTexts({
      'uname.txt':
        'NetBSD guest 10.0 NetBSD 10.0 (XEN3_DOMU) #0: Thu Mar 28 08:33:33 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOMU amd64\n',
      'dmesg.boot':
        'hypervisor0 at mainbus0: Xen version 4.18.3\nxenbus0 at hypervisor0: Xen Virtual Bus Interface\nxbd0 at xenbus0 id 768: Xen Virtual Block Device Interface\n',
    })
    const f = finding(fs, 'xen.running')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('domU')
  })

  it('the running hypervisor is of another branch than the installed tools: fail, every xl call is refused', () => {
    const t = dumpTexts(MODERN)
    t['pkg_info.txt'] = t['pkg_info.txt']!.replaceAll('420-20250821nb1', '418-20250701')
    delete t['xl-info.txt']
    const f = finding(checkTexts(t), 'xen.running')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('xen/common/domctl.c')
    expect(f.remedy).toContain('cp /usr/pkg/xen418-kernel/xen.gz /')
  })

  it('the tools match the running hypervisor but the installed xenkernel is another branch: warn', () => {
    const t = dumpTexts(MODERN)
    t['pkg_info.txt'] = t['pkg_info.txt']!.replace('xenkernel420-20250821nb1', 'xenkernel418-20250701')
    delete t['xl-info.txt']
    const f = finding(checkTexts(t), 'xen.running')
    expect(f.status).toBe('warn')
    expect(f.remedy).toContain('cp /usr/pkg/xen418-kernel/xen.gz /')
  })
})

describe('xen.packages', () => {
  it('a real pkg_info without Xen packages (NetBSD 8.99.2 amd64): fail, naming both missing packages and the count', () => {
    const t = dumpTexts(MODERN)
    t['pkg_info.txt'] = readFileSync(
      fixture('samples', 'pkg_info-netbsd8.99.2-amd64-ebijun-no-xen-excerpt.txt'),
      'utf8',
    )
    const f = finding(checkTexts(t), 'xen.packages')
    expect(f.status).toBe('fail')
    expect(f.message).toBe('no xenkernel* package and no xentools* package in pkg_info.txt (41 packages listed)')
  })

  it('same branch, different releases: warn', () => {
    const t = dumpTexts(OLD)
    t['pkg_info.txt'] = t['pkg_info.txt']!.replace('xentools3-3.1.4nb7', 'xentools3-3.1.3nb2')
    expect(statusOf(checkTexts(t), 'xen.packages')).toBe('warn')
  })

  it('only the pkgsrc revision differs (nbN): pass', () => {
    const t = dumpTexts(MODERN)
    t['pkg_info.txt'] = t['pkg_info.txt']!.replace('xentools420-20250821nb1', 'xentools420-20250821nb3')
    expect(statusOf(checkTexts(t), 'xen.packages')).toBe('pass')
  })

  it('--target hvm with Xen 3.1 needs xentools3-hvm', () => {
    const t = dumpTexts(OLD)
    expect(statusOf(checkTexts(t, 'hvm'), 'xen.packages', 'xentools3-hvm')).toBe('pass')
    t['pkg_info.txt'] = t['pkg_info.txt']!.replace(/^xentools3-hvm.*\n/m, '')
    const f = finding(checkTexts(t, 'hvm'), 'xen.packages', 'xentools3-hvm')
    expect(f.status).toBe('fail')
    expect(f.remedy).toContain('xentools3-hvm')
    // Later Xen versions include HVM support in xentools: nothing extra asked.
    expect(xenOnly(checkTexts(dumpTexts(MODERN), 'hvm')).filter((x) => x.subject === 'xentools3-hvm')).toEqual([])
  })

  it('grub as the bootloader requires the grub package (boot facts from the boot plugin)', () => {
    const t = dumpTexts(OLD)
    t['files/grub/menu.lst'] = readFileSync(fixture('samples', 'grub-menu.lst-howto-netbsd-xen.txt'), 'utf8')
    expect(statusOf(checkTexts(t), 'xen.packages', 'grub')).toBe('pass')
    t['pkg_info.txt'] = t['pkg_info.txt']!.replace(/^grub-.*\n/m, '')
    const f = finding(checkTexts(t), 'xen.packages', 'grub')
    expect(f.status).toBe('fail')
    expect(f.remedy).toContain('pkg_add grub')
  })

  it('works when no plugin provides boot facts, or when they throw', () => {
    const t = dumpTexts(OLD)
    expect(statuses(runWith([hostPlugin, xenPlugin], t))['xen.packages']).toBe('pass')
    const brokenBoot: PluginDefinition = {
      name: 'boot',
      title: 'throws',
      evidence: [],
      checks: [],
      facts: [
        {
          name: 'boot',
          derive: () => {
            throw new Error('boom')
          },
        },
      ],
    }
    expect(statuses(runWith([hostPlugin, xenPlugin, brokenBoot], t))['xen.packages']).toBe('pass')
    const weirdBoot: PluginDefinition = {
      name: 'boot',
      title: 'no loaders',
      evidence: [],
      checks: [],
      facts: [{name: 'boot', derive: () => ({})}],
    }
    expect(statuses(runWith([hostPlugin, xenPlugin, weirdBoot], t))['xen.packages']).toBe('pass')
  })
})

describe('xen.daemons', () => {
  it('Xen 4.1 (xentools41): xencommons and xend, no xenbackendd', () => {
    const t = dumpTexts(OLD)
    t['pkg_info.txt'] =
      'xenkernel41-4.1.6.1nb24 Xen 4.1.x Kernel\nxentools41-4.1.6.1nb24 Userland Tools for Xen 4.1.x\n'
    const f = finding(checkTexts(t), 'xen.daemons')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/^xencommons is not set/)
    expect(f.message).not.toMatch(/xenbackendd is|rc\.d\/xenbackendd/)
    t['files/etc/rc.conf'] += 'xencommons=YES\n'
    t['ls-paths.txt'] = t['ls-paths.txt']!.replace(
      'ls: /etc/rc.d/xencommons: No such file or directory',
      '-r-xr-xr-x  1 root  wheel  2111 Dec  1  2014 /etc/rc.d/xencommons',
    )
    expect(statusOf(checkTexts(t), 'xen.daemons')).toBe('pass')
  })

  it('xl era: xend=NO and no xenbackendd are fine; xencommons=NO fails', () => {
    const t = dumpTexts(MODERN)
    t['files/etc/rc.conf'] += 'xend=NO\n'
    expect(statusOf(checkTexts(t), 'xen.daemons')).toBe('pass')
    t['files/etc/rc.conf'] = t['files/etc/rc.conf']!.replace('xencommons=YES', 'xencommons=NO')
    const f = finding(checkTexts(t), 'xen.daemons')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('xencommons is set to NO')
    expect(f.evidence[0]).toMatchObject({source: 'files/etc/rc.conf', line: 25, text: 'xencommons=NO'})
  })

  it('domains listed in xendomains without the rc.d script: warn', () => {
    const t = dumpTexts(MODERN)
    t['ls-paths.txt'] = t['ls-paths.txt']!.replace(
      /^.*\/etc\/rc.d\/xendomains$/m,
      'ls: /etc/rc.d/xendomains: No such file or directory',
    )
    expect(statusOf(checkTexts(t), 'xen.daemons')).toBe('warn')
  })
})

describe('no false pass on garbage', () => {
  it('random text in every evidence file never makes a xen check pass, and never crashes', () => {
    const names = [
      'uname.txt',
      'dmesg.boot',
      'mount.txt',
      'ls-paths.txt',
      'pkg_info.txt',
      'xl-info.txt',
      'xm-info.txt',
      'xl-dmesg.txt',
      'files/etc/fstab',
      'files/etc/rc.conf',
      'sysctl.txt',
    ]
    fc.assert(
      fc.property(
        fc.array(fc.string({maxLength: 200}), {minLength: names.length, maxLength: names.length}),
        (texts) => {
          const fs = checkTexts(Object.fromEntries(names.map((n, i) => [n, texts[i]!])), 'dom0', XEN_IDS)
          for (const f of fs) {
            expect(f.status).not.toBe('error')
            expect(f.status).not.toBe('pass')
          }
        },
      ),
      {numRuns: 150},
    )
  })

  it('truncated real evidence never crashes', () => {
    const t = dumpTexts(MODERN)
    fc.assert(
      fc.property(fc.nat({max: 2000}), (cut) => {
        const truncated = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.slice(0, cut)]))
        for (const f of checkTexts(truncated, 'dom0', XEN_IDS)) expect(f.status).not.toBe('error')
      }),
      {numRuns: 60},
    )
  })

  it('derives facts from empty evidence without throwing', () => {
    expect(() =>
      deriveXenFacts({
        evidence: MemoryEvidenceSet.fromTexts({}),
        facts: () => {
          throw new Error('no host')
        },
      }),
    ).not.toThrow()
  })
})

describe('xen.running: role of the running kernel', () => {
  it('under Xen with no dom0 or domU sign (e.g. a PVH dom0 booting GENERIC): unknown, not a false domU fail', () => {
    const f = finding(
      checkTexts({
        'dmesg.boot':
          '[     1.000000] NetBSD 10.99.12 (GENERIC) #0: Mon Sep  1 10:00:00 UTC 2025\n[     1.000000] hypervisor0 at mainbus0: Xen version 4.20.1\n[     1.000000] pci0 at mainbus0 bus 0: configuration mode 1\n',
      }),
      'xen.running',
    )
    expect(f.status).toBe('unknown')
    expect(f.remedy).toContain('xl info')
  })

  it('xl dmesg or /kern/xen/privcmd only work in dom0: they settle the role', () => {
    const dmesg = 'hypervisor0 at mainbus0: Xen version 4.19.1\n'
    expect(
      statusOf(
        checkTexts({
          'dmesg.boot': dmesg,
          'xl-dmesg.txt': readFileSync(fixture('samples', 'xl-dmesg-alpine-xen419-head.txt'), 'utf8'),
        }),
        'xen.running',
      ),
    ).toBe('pass')
    expect(
      statusOf(
        checkTexts({
          'dmesg.boot': dmesg,
          'ls-paths.txt': '-rw-------  1 root  wheel  0 Nov 20 09:14 /kern/xen/privcmd\n',
        }),
        'xen.running',
      ),
    ).toBe('pass')
  })
})
