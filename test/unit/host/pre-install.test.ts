import {describe, expect, it} from 'vitest'
import {checkDump, checkTexts, finding} from '../../helpers.js'

describe('a Linux host before NetBSD is installed', () => {
  it('gets n/a, not fail or unknown, from the checks that need a NetBSD system', () => {
    const findings = checkDump('linux-epyc-vm-nosvm', 'dom0')
    const netbsdChecks = findings.filter((x) => /^(kernel|boot|storage)\./.test(x.id))
    expect(netbsdChecks.length).toBeGreaterThan(5)
    for (const f of netbsdChecks) {
      expect(f.status, f.id).toBe('n/a')
      expect(f.message).toContain('this host runs Linux, not NetBSD yet')
    }

    expect(findings.some((f) => f.status === 'fail')).toBe(false)
  })

  it('takes the system from uname.txt when there is one', () => {
    const uname = 'Linux box 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n'
    const f = finding(
      checkTexts({'uname.txt': uname, 'ls-paths.txt': "ls: cannot access '/xen.gz': No such file or directory\n"}),
      'kernel.xen',
    )
    expect(f).toMatchObject({status: 'n/a', evidence: [{source: 'uname.txt', line: 1}]})
  })

  it('still checks a NetBSD host', () => {
    const uname =
      'NetBSD xen1 10.0 NetBSD 10.0 (GENERIC) #0: Thu Mar 28 08:33:33 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/GENERIC amd64\n'
    const f = finding(
      checkTexts({'uname.txt': uname, 'ls-paths.txt': 'ls: /xen.gz: No such file or directory\n'}),
      'kernel.xen',
    )
    expect(f.status).toBe('fail')
  })
})
