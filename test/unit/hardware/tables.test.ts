import {describe, expect, it} from 'vitest'
import {branchForRelease, dom0Config, loadBranchTable} from '../../../src/plugins/hardware/tables.js'

describe('driver tables', () => {
  it('loads the netbsd-10 XEN3_DOM0 table with its provenance, once', () => {
    const t = loadBranchTable('netbsd-10')
    const k = t?.kernels['amd64/XEN3_DOM0']
    expect(k?.files[0]).toMatchObject({
      path: 'sys/arch/amd64/conf/XEN3_DOM0',
      revision: '1.197.4.3',
      commit: '034804613088d450f466968b6963ad67bbc26ab4',
    })
    // What issue 18 says of netbsd-10's XEN3_DOM0: no virtio, no DRM/KMS, no agp; com0 commented out, com1 kept.
    for (const d of ['virtio', 'vioif', 'i915drmkms', 'radeon', 'amdgpu', 'nouveau', 'agp', 'acpicpu'])
      expect(k?.drivers[d], d).toBeUndefined()
    for (const d of ['wm', 'ahcisata', 'nvme', 'mpii']) expect(k?.drivers[d], d).toBeDefined()
    expect(k?.drivers.pci).toEqual(['hypervisor', 'pchb', 'ppb'])
    expect(loadBranchTable('netbsd-10')).toBe(t)
    expect(loadBranchTable('netbsd-9')).toBeUndefined()
    expect(loadBranchTable('../../etc/passwd')).toBeUndefined()
  })

  it('maps releases to branches honestly', () => {
    expect(branchForRelease('10.0')).toEqual({branch: 'netbsd-10', wanted: 'netbsd-10'})
    expect(branchForRelease('10.1_STABLE')).toEqual({branch: 'netbsd-10', wanted: 'netbsd-10'})
    expect(branchForRelease('10.99.12')).toMatchObject({
      branch: 'netbsd-10',
      wanted: 'HEAD',
      note: expect.stringContaining('netbsd-10'),
    })
    expect(branchForRelease('11.0')).toMatchObject({branch: 'netbsd-10', wanted: 'netbsd-11'})
    expect(branchForRelease('9.3')).toEqual({wanted: 'netbsd-9'})
    expect(branchForRelease('5.1_STABLE')).toEqual({wanted: 'netbsd-5'})
    expect(branchForRelease('garbage')).toEqual({wanted: 'unknown'})
    expect(dom0Config('i386')).toBe('i386/XEN3PAE_DOM0')
    expect(dom0Config(undefined)).toBe('amd64/XEN3_DOM0')
  })
})
