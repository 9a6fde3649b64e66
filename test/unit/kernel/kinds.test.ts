import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {kernelKindByName, netbsdPvhDom0, xenPvhDom0} from '../../../src/plugins/kernel/kinds.js'

describe('kernelKindByName', () => {
  it('tells PV dom0, domU, native and module files apart by name', () => {
    expect(kernelKindByName('/netbsd-XEN3_DOM0.gz')).toEqual({kind: 'pv-dom0', config: 'XEN3_DOM0'})
    expect(kernelKindByName('(hd0,a)/netbsd-XEN3PAE_DOM0')).toEqual({kind: 'pv-dom0-pae', config: 'XEN3PAE_DOM0'})
    expect(kernelKindByName('/netbsd-XEN3_DOMU')).toMatchObject({kind: 'domu'})
    expect(kernelKindByName('/netbsd-GENERIC')).toEqual({kind: 'native', config: 'GENERIC'})
    expect(kernelKindByName('/netbsd-PVH')).toEqual({kind: 'native', config: 'PVH'})
    expect(kernelKindByName('/netbsd-INSTALL.gz')).toEqual({kind: 'native', config: 'INSTALL'})
    expect(kernelKindByName('/miniroot.kmod')).toEqual({kind: 'kmod'})
    // sysupgrade and the installer write GENERIC as /netbsd: the name proves nothing.
    expect(kernelKindByName('/netbsd')).toEqual({kind: 'unnamed'})
    expect(kernelKindByName('')).toEqual({kind: 'unnamed'})
  })
})

describe('PVH dom0 support', () => {
  it('NetBSD: no code before 10, experimental from 10 and -current', () => {
    expect(netbsdPvhDom0('9.3.0').status).toBe('none')
    expect(netbsdPvhDom0('5.1.0').status).toBe('none')
    expect(netbsdPvhDom0('9.99.100').status).toBe('experimental')
    expect(netbsdPvhDom0('10.0.0').status).toBe('experimental')
    expect(netbsdPvhDom0('11.0.0').why).toContain('dom0 not yet')
    expect(netbsdPvhDom0(undefined).status).toBe('unknown')
    expect(netbsdPvhDom0('garbage').status).toBe('unknown')
  })

  it('Xen: experimental up to 4.18, supported with caveats from 4.19', () => {
    expect(xenPvhDom0('4.18.3')).toBe('experimental')
    expect(xenPvhDom0('4.19')).toBe('supported-with-caveats')
    expect(xenPvhDom0('4.20.1')).toBe('supported-with-caveats')
    expect(xenPvhDom0(undefined)).toBeUndefined()
    expect(xenPvhDom0('x')).toBeUndefined()
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        kernelKindByName(s)
        netbsdPvhDom0(s)
        xenPvhDom0(s)
      }),
    )
  })
})
