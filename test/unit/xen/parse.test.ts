import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import semver from 'semver'
import {describe, expect, it} from 'vitest'
import {
  branchRelease,
  coerceXenVersion,
  eraOf,
  isYes,
  packageXenVersion,
  parsePkgInfo,
  parseRcConf,
  parseXenDmesg,
  parseXlDmesgVersion,
  stripPkgRevision,
  xenPackageKind,
} from '../../../src/plugins/xen/parse.js'
import {dumpPath, fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const dumpFile = (dump: string, name: string) => readFileSync(`${dumpPath(dump)}/${name}`, 'utf8')

describe('parsePkgInfo', () => {
  it('splits name and version at the last dash before a digit, with the line of each package', () => {
    const pkgs = parsePkgInfo(dumpFile('synthetic-netbsd51-xen31-dom0-xm', 'pkg_info.txt'))
    expect(pkgs.get('xenkernel3')).toMatchObject({
      value: {name: 'xenkernel3', version: '3.1.4nb1'},
      line: 4,
      source: 'pkg_info.txt',
    })
    expect(pkgs.get('xentools3')?.value.version).toBe('3.1.4nb7')
    // A dash inside the name: xentools3-hvm, not xentools3 version "hvm-3.1.4nb5".
    expect(pkgs.get('xentools3-hvm')?.value).toEqual({name: 'xentools3-hvm', version: '3.1.4nb5'})
    expect(pkgs.get('grub')?.value.version).toBe('0.97nb12')
  })

  it('reads the date-versioned snapshots pkgsrc ships for Xen 4.18 and later (xenkernel420-20250821nb1)', () => {
    const pkgs = parsePkgInfo(dumpFile('synthetic-netbsd10-xen420-dom0-xl', 'pkg_info.txt'))
    expect(pkgs.get('xenkernel420')?.value.version).toBe('20250821nb1')
    expect(pkgs.get('xentools420')?.value.version).toBe('20250821nb1')
    expect(pkgs.get('pkgin')?.value.version).toBe('24.5.1')
  })

  it('reads a real pkg_info of a NetBSD 8.99.2 amd64 host (`%-19s ` name column, longer names followed by one blank), with no Xen package', () => {
    const pkgs = parsePkgInfo(sample('pkg_info-netbsd8.99.2-amd64-ebijun-no-xen-excerpt.txt'))
    expect(pkgs.size).toBe(41)
    expect(pkgs.get('libtool-base')).toMatchObject({value: {name: 'libtool-base', version: '2.4.6'}, line: 1})
    // 33 characters: no padding, one blank before the comment.
    expect(pkgs.get('mozilla-rootcerts')).toMatchObject({value: {version: '1.0.20170121nb6'}, line: 4})
    expect(pkgs.get('jpeg')?.value.version).toBe('9b')
    expect(pkgs.get('gtk2+')).toMatchObject({value: {version: '2.24.31nb4'}, line: 29})
    expect(pkgs.get('cairo-gobject')?.value.version).toBe('1.14.10')
    // The release of the host is itself a package (pkgsrc's OS dummy package).
    expect(pkgs.get('osabi-NetBSD')).toMatchObject({value: {version: '8.99.2'}, line: 40})
    expect([...pkgs.keys()].filter((n) => xenPackageKind(n))).toEqual([])
  })

  it('ignores lines that are not name-version', () => {
    const pkgs = parsePkgInfo(
      '\n   \nInformation for foo:\nnot-a-package\n-1.0 x\nxentools41-4.1.6.1nb24 Userland Tools for Xen 4.1.x\r\n',
    )
    expect([...pkgs.keys()]).toEqual(['xentools41'])
    expect(pkgs.get('xentools41')?.line).toBe(6)
  })

  it('never throws on arbitrary text, and every package it returns comes from a real line', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 400}), (text) => {
        const lines = text.split(/\r?\n/)
        for (const p of parsePkgInfo(text).values()) {
          expect(lines[p.line - 1]).toBe(p.text)
          expect(p.text.startsWith(`${p.value.name}-${p.value.version}`)).toBe(true)
        }
      }),
    )
  })
})

describe('Xen package branches and versions', () => {
  it('maps pkgsrc branch suffixes to Xen releases', () => {
    expect(branchRelease('3')).toBe('3.1')
    expect(branchRelease('30')).toBe('3.0')
    expect(branchRelease('33')).toBe('3.3')
    expect(branchRelease('41')).toBe('4.1')
    expect(branchRelease('42')).toBe('4.2')
    expect(branchRelease('411')).toBe('4.11')
    expect(branchRelease('413')).toBe('4.13')
    expect(branchRelease('420')).toBe('4.20')
    expect(branchRelease('')).toBeUndefined()
    expect(branchRelease('12345')).toBeUndefined()
  })

  it('recognises only xenkernelN / xentoolsN', () => {
    expect(xenPackageKind('xenkernel41')).toEqual({kind: 'kernel', branch: '41'})
    expect(xenPackageKind('xentools420')).toEqual({kind: 'tools', branch: '420'})
    expect(xenPackageKind('xentools3-hvm')).toBeUndefined()
    expect(xenPackageKind('xenstoretools')).toBeUndefined()
  })

  it('coerces pkgsrc versions with semver after dropping nbN, and falls back to the branch for date snapshots', () => {
    expect(stripPkgRevision('4.1.2nb5')).toBe('4.1.2')
    expect(packageXenVersion({name: 'xenkernel41', version: '4.1.2nb5'})).toBe('4.1.2')
    expect(packageXenVersion({name: 'xentools3', version: '3.1.4nb7'})).toBe('3.1.4')
    expect(packageXenVersion({name: 'xenkernel33', version: '3.3.2nb8'})).toBe('3.3.2')
    expect(packageXenVersion({name: 'xenkernel415', version: '4.15.4nb1'})).toBe('4.15.4')
    expect(packageXenVersion({name: 'xenkernel420', version: '20250821nb1'})).toBe('4.20.0')
    expect(packageXenVersion({name: 'xenkernel418', version: '20250701'})).toBe('4.18.0')
  })

  it('assigns the era: xm for 3.x and 4.1, xl from 4.2', () => {
    expect(eraOf('3.1.4')).toBe('xm')
    expect(eraOf('3.3.2')).toBe('xm')
    expect(eraOf('4.1.6')).toBe('xm')
    expect(eraOf('4.2.0')).toBe('xl')
    expect(eraOf('4.20.0')).toBe('xl')
    expect(eraOf('garbage')).toBeUndefined()
  })

  it('never throws on arbitrary names and versions, and returns only valid semver', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 30}), fc.string({maxLength: 30}), (name, version) => {
        for (const v of [
          packageXenVersion({name, version}),
          packageXenVersion({name: `xenkernel${name}`, version}),
          coerceXenVersion(version),
        ]) {
          if (v !== undefined) expect(semver.valid(v)).toBe(v)
        }

        const era = eraOf(version)
        expect([undefined, 'xm', 'xl']).toContain(era)
        branchRelease(name)
        xenPackageKind(name)
      }),
    )
  })

  it('coerces hypervisor version strings', () => {
    expect(coerceXenVersion('3.1.4')).toBe('3.1.4')
    expect(coerceXenVersion('4.2-unstable')).toBe('4.2.0')
    expect(coerceXenVersion('4.4.4OVM')).toBe('4.4.4')
    expect(coerceXenVersion('4.11.4-pre')).toBe('4.11.4')
    expect(coerceXenVersion('v4')).toBeUndefined()
  })
})

describe('parseRcConf', () => {
  it('reads assignments, removes quotes, and lets the last one win', () => {
    const rc = parseRcConf(dumpFile('synthetic-netbsd10-xen420-dom0-xl', 'files/etc/rc.conf'))
    expect(rc.xencommons).toMatchObject({value: 'YES', line: 25})
    expect(rc.xendomains?.value).toBe('nbsd1 nbsd2')
    expect(rc.rc_configured?.value).toBe('YES')
    const again = parseRcConf('xend=YES\n# xend=NO\nxend=NO # disabled\n')
    expect(again.xend).toMatchObject({value: 'NO', line: 3})
    expect(parseRcConf('if [ -r /etc/defaults/rc.conf ]; then\n\t. /etc/defaults/rc.conf\nfi\n')).toEqual({})
  })

  it('treats YES, yes, TRUE, on and 1 as enabled, like rc.subr checkyesno', () => {
    for (const v of ['YES', 'yes', 'True', 'ON', '1']) expect(isYes(v)).toBe(true)
    for (const v of ['NO', '', 'YES!', undefined]) expect(isYes(v)).toBe(false)
  })

  it('never throws, and every value is on its line', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 300}), (text) => {
        const lines = text.split(/\r?\n/)
        for (const [name, f] of Object.entries(parseRcConf(text))) {
          expect(lines[f.line - 1]).toBe(f.text)
          expect(f.text).toContain(`${name}=`)
        }
      }),
    )
  })
})

describe('dmesg and xl dmesg', () => {
  it('finds the hypervisor line and the dom0 buses of a Xen dom0 dmesg', () => {
    const signs = parseXenDmesg(dumpFile('synthetic-netbsd51-xen31-dom0-xm', 'dmesg.boot'))
    expect(signs.hypervisor).toMatchObject({value: '3.1.4', line: 12})
    expect(signs.dom0Bus?.value).toBe('pci0')
    expect(signs.frontend).toBeUndefined()
  })

  it('sees nothing Xen in a NetBSD 10 KVM guest dmesg (real sample)', () => {
    expect(parseXenDmesg(sample('dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt'))).toEqual({})
  })

  it('reads the hypervisor banner of xl dmesg (real sample)', () => {
    expect(parseXlDmesgVersion(sample('xl-dmesg-alpine-xen419-head.txt'))).toMatchObject({value: '4.19.1', line: 4})
    expect(parseXlDmesgVersion('Xen version 4.1\n')).toBeUndefined()
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 300}), (text) => {
        parseXenDmesg(text)
        parseXlDmesgVersion(text)
      }),
    )
  })
})
