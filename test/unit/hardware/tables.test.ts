import {describe, expect, it} from 'vitest'
import {
  branchForRelease,
  dom0Config,
  HEAD_AS_OF,
  loadBranchTable,
  pvhConfig,
} from '../../../src/plugins/hardware/tables.js'

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

  it('netbsd-10 GENERIC and i386 XEN3PAE_DOM0: branch revisions, read in a mirror, with how the branch was known', () => {
    const t = loadBranchTable('netbsd-10')!
    const g = t.kernels['amd64/GENERIC']!
    expect(g.files[0]).toMatchObject({
      path: 'sys/arch/amd64/conf/GENERIC',
      revision: '1.599.4.8',
      repo: 'yamt/netbsd-src',
      commit: 'b49a09d3d34ac45c41fe9561b0934940ade1b913',
      note: expect.stringContaining('1.197.4.3'),
    })
    // GENERIC has what XEN3_DOM0 leaves out; pci hangs off mainbus (no hypervisor bus in a native kernel).
    for (const d of ['virtio', 'vioif', 'i915drmkms', 'agp', 'acpicpu', 'xbd', 'xennet'])
      expect(g.drivers[d], d).toBeDefined()
    expect(g.drivers.ld).toEqual(expect.arrayContaining(['virtio', 'nvme', 'sdmmc']))
    expect(g.drivers.pci).toEqual(['mainbus', 'pchb', 'ppb'])
    expect(g.drivers.mainbus).toEqual(['root'])
    expect(g.drivers.amdgpu).toBeUndefined() // `#amdgpu* at pci?` is commented out in GENERIC too
    const p = t.kernels['i386/XEN3PAE_DOM0']!
    expect(p.files[0]).toMatchObject({revision: '1.36.4.2', repo: 'yamt/netbsd-src'})
    for (const d of ['wm', 'bge', 'ahcisata', 'piixide', 'uhub', 'umass']) expect(p.drivers[d], d).toBeDefined()
    for (const d of ['virtio', 'nvme', 'ixg', 'ixl']) expect(p.drivers[d], d).toBeUndefined()
  })

  it('the HEAD table says of when it is, and its virtio drivers come from dev/virtio/virtio.config', () => {
    const t = loadBranchTable('HEAD')!
    expect(t.note).toContain('2025/08/04')
    expect(HEAD_AS_OF).toBe('2025-08-04')
    expect(Object.keys(t.kernels).sort()).toEqual(['amd64/GENERIC', 'amd64/XEN3_DOM0'])
    const g = t.kernels['amd64/GENERIC']!
    expect(g.files.map((f) => `${f.path}@${f.revision}`)).toContain('sys/dev/virtio/virtio.config@1.2')
    expect(g.drivers.vioif).toEqual(['virtio'])
    const x = t.kernels['amd64/XEN3_DOM0']!
    expect(x.files[0]).toMatchObject({revision: '1.205', repo: 'ivadasz/NetBSD'})
    expect(x.drivers.virtio).toBeUndefined()
    expect(x.drivers.corepower).toEqual(['cpu'])
  })

  it('every file of every table carries a revision and a commit (a note where it is not the branch’s own copy)', () => {
    for (const b of ['netbsd-10', 'HEAD']) {
      for (const [name, k] of Object.entries(loadBranchTable(b)!.kernels)) {
        for (const f of k.files) {
          expect(f.revision, `${b} ${name} ${f.path}`).toMatch(/^1\.\d+(\.\d+\.\d+)?$/)
          expect(f.commit, `${b} ${name} ${f.path}`).toMatch(/^[0-9a-f]{40}$/)
          if (f.repo && f.repo !== 'NetBSD/src') expect(f.note, `${b} ${name} ${f.path}`).toBeTruthy()
        }
      }
    }
  })

  it('maps releases to branches honestly', () => {
    expect(branchForRelease('10.0')).toEqual({branch: 'netbsd-10', wanted: 'netbsd-10'})
    expect(branchForRelease('10.1_STABLE')).toEqual({branch: 'netbsd-10', wanted: 'netbsd-10'})
    const head = branchForRelease('10.99.12')
    expect(head).toMatchObject({branch: 'HEAD', wanted: 'HEAD', note: expect.stringContaining('as of 2025-08-04')})
    expect(head.approximate).toBeUndefined()
    expect(branchForRelease('11.0')).toMatchObject({branch: 'HEAD', wanted: 'netbsd-11'})
    expect(branchForRelease('11.0').approximate).toBeUndefined()
    expect(branchForRelease('11.99.3')).toMatchObject({branch: 'HEAD', wanted: 'HEAD', approximate: true})
    expect(branchForRelease('12.0')).toMatchObject({branch: 'HEAD', wanted: 'netbsd-12', approximate: true})
    expect(branchForRelease('9.3')).toEqual({wanted: 'netbsd-9'})
    expect(branchForRelease('8.2')).toEqual({wanted: 'netbsd-8'})
    expect(branchForRelease('5.1_STABLE')).toEqual({wanted: 'netbsd-5'})
    expect(branchForRelease('garbage')).toEqual({wanted: 'unknown'})
    expect(dom0Config('i386')).toBe('i386/XEN3PAE_DOM0')
    expect(dom0Config(undefined)).toBe('amd64/XEN3_DOM0')
    expect(pvhConfig('amd64')).toBe('amd64/GENERIC')
    expect(pvhConfig('i386')).toBe('i386/GENERIC')
  })
})
