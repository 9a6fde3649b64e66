import {readFileSync, readdirSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {recognizeGuestConfig} from '../../../src/plugins/domu/recognize.js'
import {dumpPath, fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const XEN = 'files/usr/pkg/etc/xen'

describe('recognizeGuestConfig: a guest by its content, not by a list of names', () => {
  it('does not take the files xentools420 installs (xl.conf, oxenstored.conf) or the cpupool example for guests', () => {
    expect(recognizeGuestConfig(sample('oxenstored.conf.in-xen-tools-ocaml.txt'))).toMatchObject({
      guest: false,
      why: expect.stringContaining('no name'),
    })
    expect(recognizeGuestConfig(sample('xl.conf-xen-tools-examples.txt'))).toMatchObject({guest: false})
    expect(recognizeGuestConfig(sample('cpupool-xen-tools-examples.txt'))).toMatchObject({
      guest: false,
      why: expect.stringContaining('cpupool'),
    })
  })

  it('takes the Xen example guests and every Howto guest config of the fixture dumps', () => {
    expect(recognizeGuestConfig(sample('xlexample.pvlinux-xen-tools-examples.txt'))).toMatchObject({guest: true})
    expect(recognizeGuestConfig(sample('xmexample1-xen-tools-examples.txt'))).toMatchObject({guest: true})
    const guests: string[] = []
    for (const dump of ['synthetic-netbsd51-dom0-howto-domus', 'synthetic-netbsd51-dom0-howto-linux-solaris-install']) {
      for (const f of readdirSync(`${dumpPath(dump)}/${XEN}`)) {
        if (recognizeGuestConfig(readFileSync(`${dumpPath(dump)}/${XEN}/${f}`, 'utf8')).guest) guests.push(f)
      }
    }

    expect(guests.sort()).toEqual(['linux', 'nbsd', 'solaris-install.cfg', 'solaris.cfg'])
  })

  it('takes a config with a syntax error further down (it still sets name and kernel): it must fail domu.syntax, not vanish', () => {
    expect(
      recognizeGuestConfig(
        readFileSync(`${dumpPath('synthetic-netbsd51-dom0-broken-domus')}/${XEN}/syntaxerr`, 'utf8'),
      ),
    ).toMatchObject({guest: true})
    expect(recognizeGuestConfig('name="h0"; type="hvm"\n')).toMatchObject({guest: true, why: 'sets name and type'})
    expect(recognizeGuestConfig('name = "g"\ndisk += [ \'/dev/dk3,raw,xvda,rw\' ]\n')).toMatchObject({guest: true})
  })

  it('is not fooled by comments, strings or list elements over several lines', () => {
    expect(recognizeGuestConfig('# name = "x"\n# kernel = "/netbsd"\n')).toMatchObject({guest: false})
    expect(recognizeGuestConfig('extra = "name = x; kernel = y"\n')).toMatchObject({guest: false})
    expect(recognizeGuestConfig('name = "a"\ncpus = [\n  kernel = 1,\n]\n')).toMatchObject({guest: false})
    expect(recognizeGuestConfig('name == "a"\nkernel == "b"\n')).toMatchObject({guest: false})
  })

  it('a file named explicitly (--domu, xendomains) is always a guest; scripts and binaries never are otherwise', () => {
    expect(recognizeGuestConfig('quota-maxsize = 2048\n', 'named with --domu')).toEqual({
      guest: true,
      why: 'named with --domu',
    })
    expect(recognizeGuestConfig('#!/bin/sh\nname=x\nkernel=y\n')).toMatchObject({guest: false})
    expect(recognizeGuestConfig('name="a"\u0000kernel="b"')).toMatchObject({guest: false, why: 'a binary file'})
    expect(recognizeGuestConfig('')).toMatchObject({guest: false})
    expect(recognizeGuestConfig('name = "trunc')).toMatchObject({guest: false})
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 500}), (s) => {
        const r = recognizeGuestConfig(s)
        expect(typeof r.guest).toBe('boolean')
      }),
    )
  })
})

describe('xendomainsOf', () => {
  it('reads the names rc.conf lists, the last assignment winning', async () => {
    const {xendomainsOf, listedFiles} = await import('../../../src/plugins/domu/xendomains.js')
    expect(xendomainsOf('xencommons=YES\nxendomains="nbsd1  nbsd2"\n', 'files/etc/rc.conf')).toMatchObject({
      names: ['nbsd1', 'nbsd2'],
      line: {line: 2},
    })
    expect(xendomainsOf('xendomains="a"\nxendomains=""\n', 'rc')?.names).toEqual([])
    expect(xendomainsOf('sshd=YES\n', 'rc')).toBeUndefined()
    expect([...listedFiles('cpupool\nnbsd1\nscripts\n')]).toEqual(['cpupool', 'nbsd1', 'scripts'])
  })
})
