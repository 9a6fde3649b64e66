import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {buildRegistry} from '../../../src/engine/registry.js'
import {runChecks} from '../../../src/engine/run.js'
import type {Finding} from '../../../src/engine/types.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {builtinPlugins} from '../../../src/plugins/index.js'
import {checkDump, checkTexts, dumpPath, finding, statusOf} from '../../helpers.js'

const DOMU_IDS = [
  'domu.syntax',
  'domu.kernel',
  'domu.memory',
  'domu.name',
  'domu.vif',
  'domu.disk',
  'domu.root',
  'domu.guest-console',
  'domu.guest-powerd',
]
const domuOnly = (fs: Finding[]) => fs.filter((f) => f.plugin === 'domu')

/** Every file of a fixture dump as evidence texts, to vary one file in a test. */
function dumpTexts(name: string): Record<string, string> {
  const root = dumpPath(name)
  const out: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e)
      if (statSync(p).isDirectory()) walk(p)
      else if (e !== 'README.md') out[relative(root, p)] = readFileSync(p, 'utf8')
    }
  }

  walk(root)
  return out
}

const HOWTO = 'synthetic-netbsd51-dom0-howto-domus'
const XEN = 'files/usr/pkg/etc/xen/'
/** The Howto dump with some files dropped, `extra` evidence files added or replaced, and more configs. */
const withConfigs = (configs: Record<string, string>, extra: Record<string, string> = {}, drop: string[] = []) => {
  const texts = dumpTexts(HOWTO)
  for (const d of drop) delete texts[d]
  Object.assign(texts, extra)
  for (const [k, v] of Object.entries(configs)) texts[XEN + k] = v
  return checkTexts(texts, 'dom0', DOMU_IDS)
}

const NBSD = (over: Record<string, string> = {}) => {
  const lines: Record<string, string> = {
    kernel: '"/home/bouyer/netbsd-XEN3_DOMU"',
    memory: '128',
    name: '"nb2"',
    vif: "[ 'mac=aa:00:00:50:02:f9, bridge=bridge0' ]",
    disk: "[ 'phy:/dev/wd0k,0x1,w' ]",
    root: '"xbd0"',
    ...over,
  }
  return (
    Object.entries(lines)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n') + '\n'
  )
}

describe("the Howto's example configs on a dom0 that matches them", () => {
  it.each([HOWTO, 'synthetic-netbsd51-dom0-howto-linux-solaris-install'])(
    '%s: every domu check passes for every config',
    (dump) => {
      const fs = domuOnly(checkDump(dump))
      const perConfig = fs.filter((f) => !f.id.startsWith('domu.guest-'))
      expect(perConfig.length).toBe(16)
      for (const f of perConfig)
        expect([f.id, f.subject, f.status, f.message]).toEqual([f.id, f.subject, 'pass', f.message])
      expect(fs.filter((f) => f.id.startsWith('domu.guest-')).map((f) => f.status)).toEqual(['n/a', 'n/a'])
    },
  )

  it('skips the scripts and daemon settings that share the directory', () => {
    const subjects = new Set(
      domuOnly(checkDump(HOWTO))
        .map((f) => f.subject)
        .filter(Boolean),
    )
    expect([...subjects].sort()).toEqual(['nbsd', 'solaris.cfg'])
  })

  it('quotes evidence lines and explains decoded VDEVs', () => {
    const fs = checkDump('synthetic-netbsd51-dom0-howto-linux-solaris-install')
    const disk = finding(fs, 'domu.disk', 'linux')
    expect(disk.message).toContain('Linux hda (0x300 = (major 3 << 8) + minor 0)')
    expect(disk.evidence).toContainEqual({
      source: 'files/usr/pkg/etc/xen/linux',
      line: 9,
      text: "disk = [ 'phy:/dev/wd0e,0x300,w' ]",
    })
    expect(finding(fs, 'domu.root', 'linux').message).toMatch(/root = "\/dev\/hda1 ro" is on the exported Linux hda/)
    const sol = finding(fs, 'domu.disk', 'solaris-install.cfg')
    expect(sol.evidence.map((e) => e.line)).toContain(4) // the disk += line
    expect(sol.message).toMatch(/phy:\/dev\/vnd0d,6:cdrom,r.*index 6.*read-only/)
    const nbsd = finding(checkDump(HOWTO), 'domu.vif', 'nbsd')
    expect(nbsd.evidence).toContainEqual({
      source: 'files/etc/ifconfig.bridge0',
      line: 2,
      text: '!brconfig $int add ex0 up',
    })
    expect(nbsd.evidence.some((e) => e.source === 'dmesg.boot' && /^ex0 at pci0/.test(e.text))).toBe(true)
  })
})

describe('broken configs', () => {
  const fs = checkDump('synthetic-netbsd51-dom0-broken-domus')
  it('missing kernel', () => {
    const f = finding(fs, 'domu.kernel', 'nokernel')
    expect(f.status).toBe('fail')
    expect(f.evidence).toContainEqual({
      source: 'ls-paths.txt',
      line: 23,
      text: 'ls: /netbsd-XEN3_DOMU: No such file or directory',
    })
    expect(f.remedy).toMatch(/^Put the kernel in dom0's file system at the path named/)
  })

  it('duplicate MAC, in either case, fails both configs', () => {
    expect(statusOf(fs, 'domu.vif', 'dupmac1')).toBe('fail')
    expect(finding(fs, 'domu.vif', 'dupmac2').message).toMatch(/used 2 times \(dupmac1, dupmac2\)/)
  })

  it('bridge not created', () => {
    const f = finding(fs, 'domu.vif', 'nobridge')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/bridge1 is never created: no \/etc\/ifconfig.bridge1/)
  })

  it('dom0 root exported', () => {
    const f = finding(fs, 'domu.disk', 'rootexport')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(
      /wd0a is dom0's root file system, mounted on \/: the guest would write over what dom0 uses \(data loss, dom0's own root file system\)/,
    )
    expect(f.evidence).toContainEqual({source: 'mount.txt', line: 1, text: '/dev/wd0a on / type ffs (local)'})
  })

  it('memory oversubscribed: warn, listing each domU and dom0_mem', () => {
    const f = finding(fs, 'domu.memory', 'bigmem')
    expect(f.status).toBe('warn')
    expect(f.message).toMatch(
      /bigmem 4096 MB, dupmac1 64 MB.*plus dom0_mem 64 MB: 4608 MB is more than the machine's 2047 MB/,
    )
    expect(f.evidence.map((e) => e.source)).toEqual([
      'files/usr/pkg/etc/xen/bigmem',
      'files/grub/menu.lst',
      'xm-info.txt',
    ])
    expect(finding(fs, 'domu.memory', 'syntaxerr').message).toMatch(
      /no memory = line \(the file has syntax errors, first at line 4.*the xm default \(128 MB\) applies/,
    )
  })

  it('syntax error at its line and column', () => {
    const f = finding(fs, 'domu.syntax', 'syntaxerr')
    expect(f.status).toBe('fail')
    expect(f.message).toBe(
      "1 syntax error: line 4, column 14: unexpected 'MB' after the value of 'memory' (expressions are not supported)",
    )
    expect(f.evidence).toEqual([{source: 'files/usr/pkg/etc/xen/syntaxerr', line: 4, text: 'memory = 128 MB'}])
  })

  it('the other checks of each broken config pass', () => {
    for (const [subject, id] of [
      ['nokernel', 'domu.kernel'],
      ['dupmac1', 'domu.vif'],
      ['dupmac2', 'domu.vif'],
      ['nobridge', 'domu.vif'],
      ['rootexport', 'domu.disk'],
      ['syntaxerr', 'domu.syntax'],
    ]) {
      const others = domuOnly(fs).filter((x) => x.subject === subject && x.id !== id && x.id !== 'domu.memory')
      expect(others.length, subject).toBeGreaterThan(0)
      for (const f of others) expect([subject, f.id, f.status]).toEqual([subject, f.id, 'pass'])
    }
  })
})

describe('domu.kernel', () => {
  it('unknown, with the ls -ld command, when ls-paths.txt lacks the path', () => {
    const f = finding(withConfigs({nb2: NBSD({kernel: '"/srv/netbsd-XEN3_DOMU"'})}), 'domu.kernel', 'nb2')
    expect(f.status).toBe('unknown')
    expect(f.message).toMatch(/known only from the configs/)
    expect(f.remedy).toBe('Run `ls -ld /srv/netbsd-XEN3_DOMU >> ls-paths.txt` on dom0 and check again.')
  })

  it('warns about the install kernel, fails a dom0 kernel or no kernel', () => {
    const texts = {
      'ls-paths.txt':
        dumpTexts(HOWTO)['ls-paths.txt'] +
        '-rw-r--r--  1 root  wheel  1 Dec  1 10:45 /netbsd-INSTALL_XEN3_DOMU\n-rw-r--r--  1 root  wheel  1 Dec  1 10:45 /netbsd-XEN3_DOM0\n',
    }
    const fs = withConfigs(
      {
        a: NBSD({kernel: '"/netbsd-INSTALL_XEN3_DOMU"', name: '"a"', root: ''}),
        b: NBSD({
          kernel: '"/netbsd-XEN3_DOM0"',
          name: '"b"',
          disk: "['phy:/dev/wd0e,0x1,w']",
          vif: "['mac=aa:00:00:50:02:01, bridge=bridge0']",
        }),
        c: NBSD({kernel: '', name: '"c"', disk: "['file:/x,0x1,w']", vif: '[]'}),
      },
      texts,
      [XEN + 'nbsd', XEN + 'solaris.cfg'],
    )
    expect(finding(fs, 'domu.kernel', 'a')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/INSTALL_XEN3_DOMU is the install kernel/),
      remedy: expect.stringMatching(/^Once NetBSD is installed, `halt -p`/),
    })
    expect(finding(fs, 'domu.root', 'a')).toMatchObject({status: 'pass', message: expect.stringMatching(/sysinst/)})
    expect(finding(fs, 'domu.kernel', 'b')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/XEN3_DOM0 is a dom0 kernel/),
      remedy: expect.stringMatching(/XEN3_DOMU kernel of the binary sets/),
    })
    expect(finding(fs, 'domu.kernel', 'c')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/no kernel = line/),
    })
  })

  it('a bootloader or an HVM guest needs no kernel', () => {
    const fs = withConfigs(
      {p: "name = 'p'\nbootloader = 'pygrub'\ndisk = [ 'file:/p.img,xvda,w' ]\n", h: "name = 'h'\nbuilder = 'hvm'\n"},
      {},
      [XEN + 'nbsd', XEN + 'solaris.cfg'],
    )
    expect(statusOf(fs, 'domu.kernel', 'p')).toBe('pass')
    expect(statusOf(fs, 'domu.kernel', 'h')).toBe('pass')
    expect(statusOf(fs, 'domu.root', 'h')).toBe('n/a')
  })
})

describe('domu.name', () => {
  it('fails a missing or duplicated name', () => {
    // y has no name: by its content it is not a guest, so it is given explicitly (--domu).
    const fs = withConfigs(
      {x: NBSD({name: '"nbsd"', disk: "['file:/x,0x1,w']", vif: '[]'})},
      {'domu/y': NBSD({name: '', disk: "['file:/y,0x1,w']", vif: '[]'})},
    )
    expect(finding(fs, 'domu.name', 'x')).toMatchObject({
      status: 'fail',
      message: 'name "nbsd" is also used by nbsd: only one of them can run',
    })
    expect(statusOf(fs, 'domu.name', 'nbsd')).toBe('fail')
    expect(statusOf(fs, 'domu.name', 'y')).toBe('fail')
  })
})

describe('domu.vif', () => {
  it('fails a multicast MAC and a bridge without create, passes an rc.conf bridge', () => {
    const texts: Record<string, string> = {
      'files/etc/ifconfig.bridge1': '!brconfig $int add ex0 up\n',
      'files/etc/rc.conf':
        dumpTexts(HOWTO)['files/etc/rc.conf'] + 'ifconfig_bridge2="create; !brconfig $int add ex0 up"\n',
    }
    const fs = withConfigs(
      {
        m: NBSD({name: '"m"', vif: "['mac=ab:00:00:50:02:f0, bridge=bridge0']", disk: "['file:/m,0x1,w']"}),
        n: NBSD({name: '"n"', vif: "['bridge=bridge1']", disk: "['file:/n,0x1,w']"}),
        r: NBSD({name: '"r"', vif: "['bridge=bridge2']", disk: "['file:/r,0x1,w']"}),
      },
      texts,
    )
    expect(finding(fs, 'domu.vif', 'm').message).toMatch(/multicast/)
    expect(finding(fs, 'domu.vif', 'n')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/no `create` line/),
    })
    expect(finding(fs, 'domu.vif', 'r')).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/bridge2 is created by files\/etc\/rc.conf with ex0/),
    })
  })

  it('fails a bridge member dom0 does not have; unknown without dmesg or ifconfig', () => {
    const texts = {'files/etc/ifconfig.bridge0': 'create\n!brconfig $int add wm0 up\n'}
    expect(finding(withConfigs({}, texts), 'domu.vif', 'nbsd')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/wm0 is not an interface of dom0 \(not in dmesg.boot\)/),
    })
    expect(statusOf(withConfigs({}, texts, ['dmesg.boot']), 'domu.vif', 'nbsd')).toBe('unknown')
    expect(statusOf(withConfigs({}, {...texts, 'ifconfig-l.txt': 'wm0 lo0 bridge0\n'}), 'domu.vif', 'nbsd')).toBe(
      'pass',
    )
  })

  it('a bridge that exists now but is not configured at boot is a warning; no /etc at all is unknown', () => {
    const live = {'ifconfig-l.txt': 'ex0 lo0 bridge0\n'}
    expect(statusOf(withConfigs({}, live, ['files/etc/ifconfig.bridge0']), 'domu.vif', 'nbsd')).toBe('warn')
    expect(statusOf(withConfigs({}, {}, ['files/etc/ifconfig.bridge0', 'files/etc/rc.conf']), 'domu.vif', 'nbsd')).toBe(
      'unknown',
    )
  })
})

describe('domu.disk', () => {
  const label = `# /dev/rwd0d:
type: ESDI
disk: WDC WD1600AAJS-0
bytes/sector: 512
sectors/track: 63
tracks/cylinder: 16
sectors/cylinder: 1008
cylinders: 310098
total sectors: 312581808

16 partitions:
#        size    offset     fstype [fsize bsize cpg/sgs]
 a:   4194304        63     4.2BSD   2048 16384     0  # (Cyl.      0*-   4161*)
 b:   1048576   4194367       swap                     # (Cyl.   4161*-   5201*)
 c: 312581745        63     unused      0     0        # (Cyl.      0*- 310097)
 d: 312581808         0     unused      0     0        # (Cyl.      0 - 310097)
 e:  20971520   5242943     4.2BSD   2048 16384     0  # (Cyl.   5201*-  26006*)
 f:   8388608   5000000     4.2BSD   2048 16384     0  # (Cyl.   4960*-  13282*)
`
  it('fails a whole-disk partition or one overlapping a mounted partition (disklabel), passes a free one', () => {
    const texts = {
      'disklabel-wd0.txt': label,
      'mount.txt': '/dev/wd0a on / type ffs (local)\n/dev/wd0f on /var type ffs (local)\n',
    }
    const fs = withConfigs({w: NBSD({name: '"w"', disk: "['phy:/dev/wd0d,0x1,w']", vif: '[]'})}, texts, [
      XEN + 'solaris.cfg',
    ])
    expect(finding(fs, 'domu.disk', 'w')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /wd0d is the whole disk wd0, which holds wd0a \(dom0's root file system, mounted on \/\), wd0f \(mounted on \/var in dom0\)/,
      ),
    })
    expect(finding(fs, 'domu.disk', 'nbsd')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /wd0e overlaps wd0f \(mounted on \/var in dom0\).*the guest would write over what dom0 uses/,
      ),
    })
  })

  it('warns about a raw device', () => {
    const fs = withConfigs({r: NBSD({name: '"r"', disk: "['phy:/dev/rwd0k,0x1,w']", vif: '[]'})}, {}, [
      XEN + 'solaris.cfg',
    ])
    expect(finding(fs, 'domu.disk', 'r')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/raw \(character\) device; give the guest the block device \/dev\/wd0k/),
    })
  })

  it('fails a device written by two domUs, and a VDEV given twice', () => {
    const fs = withConfigs({s: NBSD({name: '"s"', disk: "['phy:/dev/wd0e,0x1,r', 'file:/a,0x1,w']", vif: '[]'})}, {}, [
      XEN + 'solaris.cfg',
    ])
    expect(finding(fs, 'domu.disk', 's').message).toMatch(
      /\/dev\/wd0e is also given to nbsd \(\/dev\/wd0e, w\).*VDEV 0x1 is given twice/,
    )
    expect(statusOf(fs, 'domu.disk', 'nbsd')).toBe('fail')
  })

  it('warns when a Linux guest gets a NetBSD-style index, and decodes names', () => {
    const ls = {
      'ls-paths.txt': dumpTexts(HOWTO)['ls-paths.txt'] + '-rw-r--r--  1 root  wheel  1 Dec  1 10:45 /vmlinuz-xenU\n',
    }
    const fs = withConfigs(
      {
        l: NBSD({
          kernel: '"/vmlinuz-xenU"',
          name: '"l"',
          disk: "['phy:/dev/wd0k,0x1,w']",
          root: '"/dev/hda1 ro"',
          vif: '[]',
        }),
        x: NBSD({
          kernel: '"/vmlinuz-xenU"',
          name: '"x"',
          disk: "['file:/x,xvda,w']",
          root: '"/dev/xvda1 ro"',
          vif: '[]',
        }),
      },
      ls,
      [XEN + 'solaris.cfg'],
    )
    expect(finding(fs, 'domu.disk', 'l')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/a Linux guest wants a Linux device number/),
    })
    expect(finding(fs, 'domu.root', 'l')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /root = "\/dev\/hda1 ro" is on hda, but the disks are exported as no Linux device/,
      ),
    })
    expect(statusOf(fs, 'domu.root', 'x')).toBe('pass')
    expect(finding(fs, 'domu.disk', 'x')).toMatchObject({
      status: 'unknown',
      remedy: 'Run `ls -ld /x >> ls-paths.txt` on dom0 and check again.',
    })
  })

  it('uses the disklabel when ls-paths.txt lacks the device, and fails a partition the label lacks', () => {
    const fs = withConfigs(
      {g: NBSD({name: '"g"', disk: "['phy:/dev/wd0g,0x1,w']", vif: '[]'})},
      {'disklabel-wd0.txt': label},
      [XEN + 'solaris.cfg'],
    )
    expect(finding(fs, 'domu.disk', 'g')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/wd0 has no partition g/),
    })
  })
})

describe('domu.root', () => {
  it('fails a Linux root for a NetBSD guest and an xbd beyond the disks', () => {
    const fs = withConfigs({
      a: NBSD({name: '"a"', root: '"/dev/hda1 ro"', disk: "['file:/a,0x1,w']", vif: '[]'}),
      b: NBSD({name: '"b"', root: '"xbd1a"', disk: "['file:/b,0x1,w']", vif: '[]'}),
    })
    expect(finding(fs, 'domu.root', 'a').message).toMatch(/NetBSD sees its disks as xbd0/)
    expect(finding(fs, 'domu.root', 'b').message).toMatch(/exports only 1 disk \(xbd0\)/)
  })
})

describe('domu.memory without boot facts', () => {
  it('degrades to unknown when the boot provider is not registered', () => {
    const registry = buildRegistry(
      [
        {
          package: 'x',
          result: {apiVersion: 2, plugins: builtinPlugins.filter((p) => p.name === 'host' || p.name === 'domu')},
        },
      ],
      [],
    )
    const {findings} = runChecks(registry, MemoryEvidenceSet.fromTexts(dumpTexts(HOWTO)), {target: 'dom0'})
    const f = finding(findings, 'domu.memory', 'nbsd')
    // xm info's total_memory still gives the machine's memory; dom0_mem is unknown without the boot facts.
    expect(f.status).toBe('pass')
    expect(f.message).toMatch(/the boot facts are unavailable.*fits in the machine's 2047 MB/)
    const texts = dumpTexts(HOWTO)
    delete texts['xm-info.txt']
    const without = runChecks(registry, MemoryEvidenceSet.fromTexts(texts), {target: 'dom0'}).findings
    expect(finding(without, 'domu.memory', 'nbsd')).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/the machine's memory is unknown \(the boot facts are unavailable/),
    })
    expect(findings.filter((x) => x.status === 'error')).toEqual([])
    expect(finding(findings, 'domu.disk', 'nbsd')).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/whether dom0 uses \/dev\/wd0e is unknown: the storage facts are unavailable/),
    })
  })
})

describe('guest-side tuning', () => {
  it('passes the tuned guest, warns about the stock one, n/a on dom0', () => {
    const tuned = checkDump('synthetic-netbsd51-domu-guest-tuned')
    expect(statusOf(tuned, 'domu.guest-console')).toBe('pass')
    expect(statusOf(tuned, 'domu.guest-powerd')).toBe('pass')
    expect(statusOf(tuned, 'domu.kernel')).toBe('n/a')
    const stock = checkDump('synthetic-netbsd51-domu-guest-stock')
    const c = finding(stock, 'domu.guest-console')
    expect(c.status).toBe('warn')
    expect(c.message).toMatch(/enables ttyE0 besides the console.*5 screens/)
    expect(c.evidence).toContainEqual({source: 'files/etc/wscons.conf', line: 17, text: 'screen\t0\t-\tvt100'})
    expect(finding(stock, 'domu.guest-powerd')).toMatchObject({
      status: 'warn',
      remedy: "Add `powerd=YES` to the domU's /etc/rc.conf.",
    })
  })

  it('reads powerd like checkyesno and is unknown without the files', () => {
    const uname = {'uname.txt': 'NetBSD nbsd 5.1 NetBSD 5.1 (XEN3_DOMU) #0: Sat Nov  6 13:19:33 UTC 2010 i386\n'}
    expect(statusOf(checkTexts({...uname, 'files/etc/rc.conf': 'powerd=yes\n'}), 'domu.guest-powerd')).toBe('pass')
    expect(statusOf(checkTexts({...uname, 'files/etc/rc.conf': 'powerd=YES\npowerd=NO\n'}), 'domu.guest-powerd')).toBe(
      'warn',
    )
    expect(statusOf(checkTexts(uname), 'domu.guest-powerd')).toBe('unknown')
    expect(statusOf(checkTexts(uname), 'domu.guest-console')).toBe('unknown')
    expect(
      statusOf(
        checkTexts({
          'dmesg.boot': 'xbd0 at xenbus0 id 0: Xen Virtual Block Device Interface\n',
          'files/etc/rc.conf': 'powerd=YES\n',
        }),
        'domu.guest-powerd',
      ),
    ).toBe('pass')
    expect(statusOf(checkTexts({'files/etc/rc.conf': 'powerd=YES\n'}), 'domu.guest-powerd')).toBe('n/a')
  })
})

describe('no configs, and arbitrary config text', () => {
  it('n/a without configs', () => {
    const fs = checkTexts({'mount.txt': '/dev/wd0a on / type ffs (local)\n'}, 'dom0', DOMU_IDS)
    for (const id of DOMU_IDS.slice(0, 7)) expect(statusOf(fs, id)).toBe('n/a')
  })

  it('never errors; text with a syntax error always gives a failing domu.syntax finding', () => {
    const base = dumpTexts(HOWTO)
    fc.assert(
      fc.property(fc.string({maxLength: 200}), (text) => {
        // Given with --domu, any text is a guest config: it always gets its domu.syntax finding.
        const fs = checkTexts({...base, 'domu/fuzz': text}, 'dom0', DOMU_IDS)
        expect(fs.filter((f) => f.status === 'error')).toEqual([])
        const syntax = finding(fs, 'domu.syntax', 'fuzz')
        const errors = syntax.status === 'fail'
        expect(syntax.status).toBe(errors ? 'fail' : 'pass')
        if (errors) expect(syntax.evidence.length).toBeGreaterThan(0)
      }),
      {numRuns: 300},
    )
    fc.assert(
      fc.property(fc.string({maxLength: 100}), (junk) => {
        const fs = checkTexts(
          {...base, [XEN + 'fuzz']: `name = "f"\nkernel = "/netbsd-XEN3_DOMU"\n${junk}\n= broken\n`},
          'dom0',
          DOMU_IDS,
        )
        expect(finding(fs, 'domu.syntax', 'fuzz').status).toBe('fail')
      }),
      {numRuns: 200},
    )
  })
})

describe("Xen's own example configs (checked on their own, as with --domu)", () => {
  it('decodes their Linux VDEV names and roots', () => {
    const read = (n: string) => readFileSync(join(dumpPath('..'), 'samples', n), 'utf8')
    const fs = checkTexts(
      {
        'domu/xmexample1': read('xmexample1-xen-tools-examples.txt'),
        'domu/xlexample.pvlinux': read('xlexample.pvlinux-xen-tools-examples.txt'),
      },
      'dom0',
      DOMU_IDS,
    )
    expect(statusOf(fs, 'domu.syntax', 'xmexample1')).toBe('pass')
    expect(finding(fs, 'domu.root', 'xmexample1')).toMatchObject({
      status: 'pass',
      message: 'root = "/dev/hda1 ro" is on the exported Linux hda1',
    })
    expect(finding(fs, 'domu.root', 'xlexample.pvlinux')).toMatchObject({
      status: 'pass',
      message: 'root = "/dev/xvda1" is on the exported Linux xvda',
    })
    expect(finding(fs, 'domu.disk', 'xmexample1').message).toMatch(
      /'phy:hda1,hda1,w': seen by the guest as Linux hda1, read-write, whether \/dev\/hda1 exists is unknown \(no ls-paths.txt\)/,
    )
    expect(finding(fs, 'domu.vif', 'xmexample1')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/no mac=.*no bridge=/),
    })
    expect(fs.filter((f) => f.status === 'error')).toEqual([])
  })
})

describe('a NetBSD PVH guest with GENERIC (xl era)', () => {
  // Adapted from a public NetBSD guest-creation script (config written by a heredoc; $guest replaced by "dnc1").
  const pvh = `kernel = "/data/kernels/netbsd-current/netbsd-GENERIC.gz"
root = "xbd0a"
#extra = "-v -s"
name = "dnc1"
memory = 512
vcpus = 3
disk = ['phy:/dev/drbd/by-res/dnc1/0,xvda,w']
vif = [ 'bridge=xenbr0,vifname=dnc1.0',
        'bridge=br0,vifname=dnc1.1']
type = "pvh"
`
  it('accepts GENERIC with type = "pvh", warns without it', () => {
    const ls = {
      'ls-paths.txt': '-rw-r--r--  1 root  wheel  1 Dec  1 10:45 /data/kernels/netbsd-current/netbsd-GENERIC.gz\n',
    }
    const fs = checkTexts(
      {...ls, 'domu/dnc1': pvh, 'domu/pv': pvh.replace('type = "pvh"', '').replace('dnc1"', 'pv"')},
      'dom0',
      DOMU_IDS,
    )
    expect(finding(fs, 'domu.kernel', 'dnc1')).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/GENERIC boots as a PVH guest/),
    })
    expect(finding(fs, 'domu.kernel', 'pv')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/GENERIC runs under Xen only as a PVH guest/),
    })
    expect(finding(fs, 'domu.root', 'dnc1').status).toBe('pass')
    expect(finding(fs, 'domu.disk', 'dnc1').message).toMatch(/Linux xvda \(for a NetBSD guest VDEV is only an index\)/)
    expect(finding(fs, 'domu.vif', 'dnc1').evidence.map((e) => e.line)).toEqual([8, 9])
  })
})
