import {describe, expect, it} from 'vitest'
import type {Fact} from '../../../src/engine/types.js'
import {
  type HostForGuests,
  judgeGuestType,
  netbsdReleaseInPath,
  requestedType,
} from '../../../src/plugins/domu/guest-type.js'
import {parseXenConfig} from '../../../src/parsers/xen-config.js'
import type {ConfigValue} from '../../../src/plugins/facts.js'

const cfg = (text: string): Record<string, Fact<ConfigValue>> => parseXenConfig(text, 'files/usr/pkg/etc/xen/g').values
const xen420: HostForGuests = {
  era: 'xl',
  toolsRelease: '4.20',
  kernelRelease: '4.20',
  xenVersion: '4.20.1',
  hvm: {capable: true, says: 'xen_caps: xen-3.0-x86_64 hvm-3.0-x86_64'},
}
const noVmx: HostForGuests = {...xen420, hvm: {capable: false, says: 'xen_caps: xen-3.0-x86_64'}}
const nb = (kernelPath: string, kernelConfig?: string) => ({netbsd: true, kernelPath, kernelConfig})

describe('requestedType: what xl builds', () => {
  it.each([
    ['name="g"\n', 'pv', 'default'],
    ['type = "pvh"\n', 'pvh', 'type'],
    ['type = "hvm"\n', 'hvm', 'type'],
    ['builder = "hvm"\n', 'hvm', 'builder'],
    ['builder = "generic"\n', 'pv', 'builder'],
    ['pvh = 1\n', 'pvh', 'pvh'],
    ['pvh = 0\n', 'pv', 'default'],
  ])('%j → %s (%s)', (text, type, how) => {
    expect(requestedType(cfg(text))).toMatchObject({type, how})
  })

  it('refuses an unknown type and a builder that contradicts the type, as xl does', () => {
    expect(requestedType(cfg('type = "kvm"\n')).problem).toMatch(/Invalid domain type/)
    expect(requestedType(cfg('type = "pvh"\nbuilder = "hvm"\n')).problem).toMatch(/contradict/)
  })
})

describe("judgeGuestType: guest types on today's Xen", () => {
  it('PVH NetBSD 10 GENERIC on Xen 4.20 with VMX: pass', () => {
    const v = judgeGuestType(
      cfg('type = "pvh"\nkernel = "/netbsd-GENERIC"\n'),
      xen420,
      nb('/netbsd-GENERIC', 'GENERIC'),
    )
    expect(v.status).toBe('pass')
  })

  it('PVH or HVM without VMX/SVM: fail; unknown when the host cannot tell', () => {
    expect(judgeGuestType(cfg('type = "pvh"\n'), noVmx, nb('/netbsd-GENERIC', 'GENERIC')).status).toBe('fail')
    expect(judgeGuestType(cfg('type = "hvm"\n'), noVmx, {netbsd: false}).status).toBe('fail')
    expect(
      judgeGuestType(cfg('type = "hvm"\n'), {...xen420, hvm: {says: 'no CPU features lines'}}, {netbsd: false}).status,
    ).toBe('unknown')
    expect(judgeGuestType(cfg('name = "g"\n'), noVmx, nb('/netbsd-XEN3_DOMU', 'XEN3_DOMU')).status).toBe('pass')
  })

  it('legacy pvh = 1: warn "prefer type = \\"pvh\\"", and the kernel is not called wrong; still fail without VMX', () => {
    const v = judgeGuestType(cfg('pvh = 1\nkernel = "/netbsd-GENERIC"\n'), xen420, nb('/netbsd-GENERIC', 'GENERIC'))
    expect(v.status).toBe('warn')
    expect(v.says.join(' ')).toMatch(/prefer type = "pvh"/)
    expect(v.says.join(' ')).not.toMatch(/GENERIC is/)
    expect(judgeGuestType(cfg('pvh = 1\n'), noVmx, nb('/netbsd-GENERIC', 'GENERIC')).status).toBe('fail')
  })

  it('a PVH NetBSD guest older than 10 fails; XEN3_DOMU as PVH warns (GENERIC is the PVH kernel)', () => {
    expect(judgeGuestType(cfg('type = "pvh"\n'), xen420, nb('/xen/netbsd-9.3/netbsd-GENERIC', 'GENERIC')).status).toBe(
      'fail',
    )
    expect(judgeGuestType(cfg('type = "pvh"\n'), xen420, nb('/netbsd-XEN3_DOMU', 'XEN3_DOMU')).status).toBe('warn')
    expect(judgeGuestType(cfg('type = "pvh"\npvshim = 1\n'), xen420, nb('/netbsd-XEN3_DOMU', 'XEN3_DOMU')).status).toBe(
      'pass',
    )
    expect([
      netbsdReleaseInPath('/xen/netbsd-9.3/netbsd-GENERIC'),
      netbsdReleaseInPath('/netbsd10-GENERIC'),
      netbsdReleaseInPath('/netbsd-GENERIC'),
    ]).toEqual([9, 10, undefined])
  })

  it('HVM with qemu-xen-traditional: fail on xentools420, fine on xentools418, unknown without pkg_info', () => {
    const text = 'type = "hvm"\ndevice_model_version = "qemu-xen-traditional"\n'
    expect(judgeGuestType(cfg(text), xen420, {netbsd: false}).status).toBe('fail')
    expect(
      judgeGuestType(cfg(text), {...xen420, toolsRelease: '4.18', kernelRelease: '4.18'}, {netbsd: false}).status,
    ).toBe('pass')
    expect(judgeGuestType(cfg(text), {...xen420, toolsRelease: undefined}, {netbsd: false}).status).toBe('unknown')
    expect(
      judgeGuestType(cfg('type = "hvm"\ndevice_model_version = "qemu-xen"\n'), xen420, {netbsd: false}).status,
    ).toBe('pass')
  })

  it("32-bit PV kernels warn where the Xen package says they are unsupported (4.18 on), not on the Howto's Xen 3.1", () => {
    expect(judgeGuestType(cfg('name = "g"\n'), xen420, nb('/netbsd-XEN3PAE_DOMU', 'XEN3PAE_DOMU')).status).toBe('warn')
    expect(
      judgeGuestType(
        cfg('name = "g"\n'),
        {...xen420, kernelRelease: '4.15'},
        nb('/netbsd-XEN3PAE_DOMU', 'XEN3PAE_DOMU'),
      ).status,
    ).toBe('warn')
    expect(
      judgeGuestType(
        cfg('name = "g"\n'),
        {era: 'xm', kernelRelease: '3', toolsRelease: '3', hvm: {says: '?'}},
        nb('/netbsd-XEN3PAE_DOMU', 'XEN3PAE_DOMU'),
      ).status,
    ).toBe('pass')
  })

  it('PVH on the xm era or before Xen 4.10: fail', () => {
    expect(
      judgeGuestType(
        cfg('type = "pvh"\n'),
        {era: 'xm', toolsRelease: '4.1', hvm: {capable: true, says: ''}},
        {netbsd: false},
      ).status,
    ).toBe('fail')
    expect(
      judgeGuestType(
        cfg('type = "pvh"\n'),
        {era: 'xl', toolsRelease: '4.8', xenVersion: '4.8.5', hvm: {capable: true, says: ''}},
        {netbsd: false},
      ).status,
    ).toBe('fail')
  })
})
