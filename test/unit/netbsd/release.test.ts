import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {coerceNetbsdRelease, parseDmesgBanner, parseUname} from '../../../src/plugins/xen/parse.js'
import {checkDump, checkTexts, finding, fixture, statusOf} from '../../helpers.js'

const uname = (release: string, config = 'GENERIC', arch = 'amd64') =>
  `NetBSD host ${release} NetBSD ${release} (${config}) #0: Sat Nov  6 13:19:33 UTC 2010  builds@b8.netbsd.org:/usr/src/sys/arch/${arch}/compile/${config} ${arch}\n`

describe('NetBSD release parsing', () => {
  it('reads the release and kernel configuration of uname -a, in every release style', () => {
    for (const [release, semver] of [
      ['5.0.2', '5.0.2'],
      ['5.1_STABLE', '5.1.0'],
      ['5.1_RC3', '5.1.0'],
      ['9.3', '9.3.0'],
      ['10.0', '10.0.0'],
      ['10.99.10', '10.99.10'],
      ['9.99.100', '9.99.100'],
      ['6.0_BETA2', '6.0.0'],
    ]) {
      const k = parseUname(uname(release!, 'XEN3_DOM0'))
      expect(k.release).toMatchObject({value: release, line: 1, source: 'uname.txt'})
      expect(k.config?.value).toBe('XEN3_DOM0')
      expect(coerceNetbsdRelease(k.release!.value)).toBe(semver)
    }
  })

  it('reads the real uname -a of a NetBSD 5.0_STABLE dom0 as published (build part cut by the author)', () => {
    const k = parseUname(readFileSync(fixture('samples', 'uname-a-netbsd50-stable-xen3-dom0-blog.txt'), 'utf8'))
    expect(k.release).toMatchObject({value: '5.0_STABLE', line: 1})
    expect(k.config).toMatchObject({value: 'XEN3_DOM0', line: 1})
    expect(coerceNetbsdRelease(k.release!.value)).toBe('5.0.0')
  })

  it('knows a Linux host (before NetBSD is installed) from a NetBSD one', () => {
    const k = parseUname(
      'Linux ci 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n',
    )
    expect(k.release).toBeUndefined()
    expect(k.otherOs?.value).toBe('Linux')
  })

  it('reads the banner of a real NetBSD 10.99.10 dmesg (timestamps; the copyright notice line 3 also starts with the release)', () => {
    const k = parseDmesgBanner(
      readFileSync(fixture('samples', 'dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt'), 'utf8'),
    )
    expect(k.release).toMatchObject({
      value: '10.99.10',
      line: 12,
      text: '[   1.0000000] NetBSD 10.99.10 (MICROVM) #8: Wed Jan 31 09:01:58 CST 2024',
    })
    expect(k.config?.value).toBe('MICROVM')
  })

  it('reads a NetBSD 5 style banner and keeps the last boot of the buffer', () => {
    const k = parseDmesgBanner(
      'NetBSD 5.0.2 (GENERIC) #0: Sat Feb  6 13:41:28 UTC 2010\nfoo\nNetBSD 5.1 (XEN3PAE_DOM0) #0: Sat Nov  6 13:19:33 UTC 2010\n',
    )
    expect(k.release).toMatchObject({value: '5.1', line: 3})
    expect(k.config?.value).toBe('XEN3PAE_DOM0')
  })

  it('reads the port from the build directory under the banner (sys/conf/newvers.sh `${u}@${h}:${d}`)', () => {
    // Real: the NetBSD 10.99.10 MICROVM sample (an object directory), and the NetBSD 5.1 i386 release build.
    const micro = parseDmesgBanner(
      readFileSync(fixture('samples', 'dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt'), 'utf8'),
    )
    expect(micro.arch).toMatchObject({value: 'amd64', line: 13})
    const release51 = parseDmesgBanner(
      'NetBSD 5.1 (GENERIC) #0: Sat Nov  6 13:19:33 UTC 2010\n' +
        '        builds@b8.netbsd.org:/home/builds/ab/netbsd-5-1-RELEASE/i386/201011061943Z-obj/home/builds/ab/netbsd-5-1-RELEASE/src/sys/arch/i386/compile/GENERIC\n',
    )
    expect(release51.arch).toMatchObject({value: 'i386', line: 2})
    // The reproducible builds of 9.x to 11.x (real banners quoted in public bug reports).
    expect(
      parseDmesgBanner(
        '[   1.0000000] NetBSD 9.1 (RPI2) #0: Sun Oct 18 19:24:30 UTC 2020\n[   1.0000000]  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/evbarm/compile/RPI2\n',
      ).arch?.value,
    ).toBe('evbarm')
  })

  it('names no port for a kernel built outside sys/arch, or a build line away from the banner', () => {
    for (const text of [
      'NetBSD 10.0 (MYKERNEL) #1: Thu Mar 28 08:33:33 UTC 2024\n\troot@host:/home/me/kernels/MYKERNEL\n',
      'NetBSD 10.0 (GENERIC) #0: Thu Mar 28 08:33:33 UTC 2024\ntotal memory = 1 GB\n\tmkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC\n',
      'mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC\n',
      'NetBSD 10.0 (GENERIC) #0: Thu Mar 28 08:33:33 UTC 2024\n',
    ])
      expect(parseDmesgBanner(text).arch).toBeUndefined()
  })

  it('never throws on arbitrary text, and never finds a release that is not on its line', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 300}), (text) => {
        const lines = text.split(/\r?\n/)
        for (const k of [parseUname(text), parseDmesgBanner(text)]) {
          if (k.release) expect(lines[k.release.line - 1]).toContain(k.release.value)
        }

        coerceNetbsdRelease(text)
      }),
    )
  })
})

describe('netbsd.release', () => {
  it('warns an installed 5.1 + Xen 3.1 (xm era) dom0 about security support, passes 10.0 on x86_64', () => {
    const old = finding(checkDump('synthetic-netbsd51-xen31-dom0-xm'), 'netbsd.release')
    expect(old.status).toBe('warn')
    expect(old.message).toMatch(/^NetBSD 5\.1 \(5\.1\.0\) with Xen of the Howto's era \(xm era/)
    expect(old.message).toContain('security fixes')
    expect(old.remedy).toContain('xenkernel420 xentools420')
    expect(old.evidence[0]).toMatchObject({source: 'uname.txt', line: 1})
    const modern = finding(checkDump('synthetic-netbsd10-xen420-dom0-xl'), 'netbsd.release')
    expect(modern.status).toBe('pass')
    expect(modern.message).toContain('ONLY_FOR_PLATFORM NetBSD-1[0-9]*-x86_64')
  })

  it("fails, before Xen is installed, what today's xentools cannot be built for: below 9.1, or not x86_64", () => {
    for (const [release, arch] of [
      ['9.0', 'amd64'],
      ['8.2', 'amd64'],
      ['10.1', 'i386'],
    ] as const) {
      const f = finding(checkTexts({'uname.txt': uname(release, 'GENERIC', arch)}), 'netbsd.release')
      expect(f.status, `${release} ${arch}`).toBe('fail')
      expect(f.message).toContain('10.x')
    }

    for (const release of ['9.1', '9.3', '9.0_STABLE', '10.1', '11.0'])
      expect(statusOf(checkTexts({'uname.txt': uname(release)}), 'netbsd.release'), release).toBe('pass')
  })

  it('judges a pre-install dump holding only a dmesg by the port of its build directory', () => {
    const dmesg = (port: string) => ({
      'dmesg.boot': `NetBSD 10.1 (GENERIC) #0: Mon Dec 16 13:08:11 UTC 2024\n\tmkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/${port}/compile/GENERIC\n`,
    })
    const i386 = finding(checkTexts(dmesg('i386')), 'netbsd.release')
    expect(i386.status).toBe('fail')
    expect(i386.message).toContain('NetBSD 10.1 on i386 is not x86_64')
    expect(i386.evidence.map((e) => [e.source, e.line])).toEqual([
      ['dmesg.boot', 1],
      ['dmesg.boot', 2],
    ])
    expect(statusOf(checkTexts(dmesg('amd64')), 'netbsd.release')).toBe('pass')
    // uname -a, when there, is the running kernel's word and wins.
    const both = {...dmesg('i386'), 'uname.txt': uname('10.1')}
    expect(statusOf(checkTexts(both), 'netbsd.release')).toBe('pass')
  })

  it('explains a -current release (real 10.99.10 dmesg)', () => {
    expect(finding(checkDump('netbsd10-microvm-kvm-plain-dmesg'), 'netbsd.release').message).toMatch(
      /^NetBSD-current 10\.99\.10 \(development snapshot after 10, before 11\.0\)/,
    )
  })

  it('fails releases older than 5.0 for a dom0, and older than 5.1 for PCI pass-through', () => {
    expect(statusOf(checkTexts({'uname.txt': uname('4.0.1', 'XEN3_DOM0', 'i386')}), 'netbsd.release')).toBe('fail')
    // 5.0.2 can be a dom0 of its era, but nothing maintained can be installed on it today.
    expect(statusOf(checkTexts({'uname.txt': uname('5.0.2')}), 'netbsd.release')).toBe('fail')
    const pci = finding(checkTexts({'uname.txt': uname('5.0.2')}, 'pci-passthrough'), 'netbsd.release')
    expect(pci.status).toBe('fail')
    expect(pci.message).toContain('older than 5.1')
    expect(
      finding(checkTexts({'uname.txt': uname('5.1_STABLE')}, 'pci-passthrough'), 'netbsd.release').message,
    ).not.toContain('older than 5.1')
  })

  it('uses sysctl kern.osrelease, then the dmesg banner, when uname.txt is missing', () => {
    const bySysctl = finding(
      checkTexts({'sysctl.txt': 'kern.ostype = NetBSD\nkern.osrelease = 9.3\nhw.machine_arch = x86_64\n'}),
      'netbsd.release',
    )
    expect(bySysctl).toMatchObject({
      status: 'pass',
      evidence: [
        {source: 'sysctl.txt', line: 2, text: 'kern.osrelease = 9.3'},
        {source: 'sysctl.txt', line: 3},
      ],
    })
    // Without uname -a nor hw.machine_arch the architecture is unknown: unknown, not pass.
    const byDmesg = finding(
      checkTexts({'dmesg.boot': 'NetBSD 10.1 (GENERIC) #0: Sat Feb  6 13:41:28 UTC 2010\n'}),
      'netbsd.release',
    )
    expect(byDmesg).toMatchObject({status: 'unknown', evidence: [{source: 'dmesg.boot', line: 1}]})
  })

  it('a Linux host is n/a (install NetBSD first); no evidence is unknown, never pass', () => {
    expect(
      statusOf(checkTexts({'uname.txt': 'Linux ci 6.1.0-18-amd64 #1 SMP x86_64 GNU/Linux\n'}), 'netbsd.release'),
    ).toBe('n/a')
    expect(statusOf(checkTexts({}), 'netbsd.release')).toBe('unknown')
  })

  it('garbage never passes', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 200}), fc.string({maxLength: 200}), fc.string({maxLength: 200}), (u, s, d) => {
        const status = statusOf(
          checkTexts({'uname.txt': u, 'sysctl.txt': s, 'dmesg.boot': d}, 'dom0', ['netbsd.release']),
          'netbsd.release',
        )
        expect(['unknown', 'n/a', 'fail']).toContain(status)
      }),
      {numRuns: 200},
    )
  })
})
