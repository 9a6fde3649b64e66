// The checks issue 15 adds, on missing, truncated and garbage evidence: never a pass without evidence.
import {describe, expect, it} from 'vitest'
import {checkTexts, finding} from '../../helpers.js'

const PKG = 'xenkernel420-20250821nb1 Xen 4.20.x Kernel\nxentools420-20250821nb1 Userland Tools for Xen 4.20.x\n'
const UNAME =
  'NetBSD xen0 10.1 NetBSD 10.1 (XEN3_DOM0) #0: Sun Dec 15 13:16:34 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOM0 amd64\n'
const CFG = 'menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M\n'
const one = (texts: Record<string, string>, id: string) => finding(checkTexts(texts, 'dom0', [id]), id)

describe('boot.xen-cmdline', () => {
  it('is unknown without any boot configuration or running command line, n/a without a Xen entry', () => {
    expect(one({'uname.txt': UNAME}, 'boot.xen-cmdline').status).toBe('unknown')
    expect(one({'files/boot.cfg': 'menu=Boot:boot netbsd\n'}, 'boot.xen-cmdline').status).toBe('n/a')
  })

  it('reads the running line alone on a dom0 whose boot configuration was not collected', () => {
    const f = one(
      {
        'uname.txt': UNAME,
        'pkg_info.txt': PKG,
        'xl-info.txt':
          'xen_version : 4.20.1\nxen_caps : xen-3.0-x86_64\nxen_commandline : dom0_mem=1024M pv-linear-pt=0\n',
      },
      'boot.xen-cmdline',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('running Xen command line')
  })

  it('says unknown, not pass, for dom0=pvh when the CPU and IOMMU are not in the evidence', () => {
    const f = one({'files/boot.cfg': 'menu=Xen:load /netbsd-GENERIC;multiboot /xen.gz dom0=pvh\n'}, 'boot.xen-cmdline')
    expect(f.status).toBe('unknown')
    expect(f.message).toContain('VMX/SVM')
  })

  it('survives a garbage boot.cfg', () => {
    expect(one({'files/boot.cfg': 'menu=:;;;multiboot\u0000 ==== ;load\n'}, 'boot.xen-cmdline').status).not.toBe(
      'error',
    )
  })
})

describe('boot.method', () => {
  it('is unknown without sysctl-bootmethod.txt, or with a garbage one', () => {
    expect(one({'files/boot.cfg': CFG}, 'boot.method').status).toBe('unknown')
    expect(
      one({'files/boot.cfg': CFG, 'sysctl-bootmethod.txt': 'machdep.bootmethod = SOMETHING\n'}, 'boot.method').status,
    ).toBe('unknown')
    expect(one({'files/boot.cfg': CFG, 'sysctl-bootmethod.txt': 'machdep.bootm'}, 'boot.method').status).toBe('unknown')
  })

  it('warns a NetBSD 9 dom0 on UEFI without a serial console', () => {
    const f = one(
      {
        'files/boot.cfg': CFG,
        'sysctl-bootmethod.txt': 'machdep.bootmethod = UEFI\n',
        'uname.txt': UNAME.replace(/10\.1/g, '9.3'),
      },
      'boot.method',
    )
    expect(f.status).toBe('warn')
    expect(f.remedy).toContain('console=com0')
  })
})

describe('kernel.stale', () => {
  it('is unknown without cksum output, and n/a for the userland side before Xen runs', () => {
    const findings = checkTexts({'files/boot.cfg': CFG, 'pkg_info.txt': PKG}, 'dom0', ['kernel.stale'])
    expect(finding(findings, 'kernel.stale', 'hypervisor').status).toBe('unknown')
    expect(finding(findings, 'kernel.stale', 'dom0 kernel and userland').status).toBe('n/a')
  })

  it('is unknown when the cksum output is truncated', () => {
    const f = finding(
      checkTexts(
        {'files/boot.cfg': CFG, 'pkg_info.txt': PKG, 'cksum-xen420-kernel.txt': '3083291021 2275311 /xen.gz\n30832'},
        'dom0',
        ['kernel.stale'],
      ),
      'kernel.stale',
      'hypervisor',
    )
    expect(f.status).toBe('unknown')
  })
})

describe('xen.toolstack', () => {
  it('is unknown without ls-paths.txt, n/a in the xm era', () => {
    expect(one({'pkg_info.txt': PKG}, 'xen.toolstack').status).toBe('unknown')
    expect(
      one({'pkg_info.txt': 'xenkernel3-3.1.4nb7 Xen 3.1\nxentools3-3.1.4nb7 tools\n'}, 'xen.toolstack').status,
    ).toBe('n/a')
  })
})

describe('host.consistency', () => {
  it('is n/a when nothing is given twice, pass when the sources agree', () => {
    expect(one({'uname.txt': UNAME}, 'host.consistency').status).toBe('n/a')
    expect(one({'uname.txt': UNAME, 'sysctl.txt': 'kern.osrelease = 10.1\n'}, 'host.consistency').status).toBe('pass')
    expect(one({'uname.txt': UNAME, 'sysctl.txt': 'kern.osrelease = 9.3\n'}, 'host.consistency').status).toBe('warn')
  })
})
