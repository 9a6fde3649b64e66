import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {checkDump, checkTexts, finding, fixture, statusOf} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const CPU = ['cpu']

describe('cpu checks', () => {
  it('the Howto CPU passes every target; PAE is n/a without an installed Xen 3.x/4.1', () => {
    for (const target of ['dom0', 'hvm', 'pci-passthrough'] as const) {
      const findings = checkDump('howto-core2-vmx', target, CPU)
      expect(findings.map((f) => [f.id, f.status])).toEqual([
        ['cpu.i686', 'pass'],
        ['cpu.hvm', 'pass'],
        ['cpu.64bit', 'pass'],
        ['cpu.pae', 'n/a'],
      ])
    }
  })

  it('the same evidence passes dom0 and fails hvm when VMX/SVM is absent', () => {
    expect(statusOf(checkDump('linux-epyc-vm-nosvm', 'dom0', CPU), 'cpu.hvm')).toBe('warn')
    const hvm = finding(checkDump('linux-epyc-vm-nosvm', 'hvm', CPU), 'cpu.hvm')
    expect(hvm.status).toBe('fail')
    expect(hvm.message).toContain('nested virtualization')
    expect(hvm.evidence.some((e) => e.source === 'proc-cpuinfo.txt' && e.line === 20)).toBe(true)
  })

  it('a CPU without VMX on bare metal may have it disabled in the BIOS', () => {
    const text = sample('cpuctl-identify-netbsd-xeon-x5460-vmx.txt').replace(',VMX,', ',')
    const f = finding(checkTexts({'cpuctl-identify.txt': text}, 'hvm', CPU), 'cpu.hvm')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('BIOS')
  })

  it('a QEMU guest without VMX is told about nested virtualization', () => {
    const f = finding(
      checkTexts({'cpuctl-identify.txt': sample('cpuctl-identify-netbsd9-qemu-tcg-broadwell-novmx.txt')}, 'hvm', CPU),
      'cpu.hvm',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('QEMU(TCG)')
    expect(f.remedy).toContain('nested')
  })

  it('an AMD CPU on a kernel that does not decode the SVM word is unknown, not fail', () => {
    const f = finding(
      checkTexts({'cpuctl-identify.txt': sample('synthetic-cpuctl-amd-opteron-netbsd5-no-ecx-decode.txt')}, 'hvm', CPU),
      'cpu.hvm',
    )
    expect(f.status).toBe('unknown')
    expect(f.message).toContain('0x80000001:ECX')
  })

  it('an AMD CPU with SVM in features3 passes hvm', () => {
    expect(
      statusOf(
        checkTexts({'cpuctl-identify.txt': sample('synthetic-cpuctl-amd-epyc-netbsd10-svm.txt')}, 'hvm', CPU),
        'cpu.hvm',
      ),
    ).toBe('pass')
  })

  it('a plain dmesg.boot without features lines is unknown for hvm, pae and 64bit; its `id 0x906a2` gives the class', () => {
    const findings = checkDump('netbsd10-microvm-kvm-plain-dmesg', 'hvm', CPU)
    for (const id of ['cpu.hvm', 'cpu.64bit']) expect(statusOf(findings, id)).toBe('unknown')
    expect(statusOf(findings, 'cpu.pae')).toBe('n/a')
    expect(statusOf(findings, 'cpu.i686')).toBe('pass')
    expect(finding(findings, 'cpu.hvm').remedy).toContain('cpuctl identify 0')
  })

  it('a 586-class CPU fails cpu.i686', () => {
    const f = finding(
      checkTexts({'cpuctl-identify.txt': sample('synthetic-cpuctl-pentium-586-class.txt')}, 'dom0', CPU),
      'cpu.i686',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('586-class')
    expect(f.evidence[0]).toMatchObject({source: 'cpuctl-identify.txt', line: 1})
  })

  it("a 32-bit-only CPU cannot run a maintained Xen: cpu.64bit fails, PAE is not today's question", () => {
    const findings = checkTexts(
      {'cpuctl-identify.txt': sample('synthetic-cpuctl-pentium-pro-686-nopae-32bit.txt')},
      'dom0',
      CPU,
    )
    expect(statusOf(findings, 'cpu.i686')).toBe('pass')
    const long = finding(findings, 'cpu.64bit')
    expect(long.status).toBe('fail')
    expect(long.remedy).toContain('xenkernel420')
    expect(long.remedy).not.toMatch(/Xen 3\.1|3\.3|4\.1/)
    expect(statusOf(findings, 'cpu.pae')).toBe('n/a')
  })

  it('an installed Xen 3.1 dom0 on a 32-bit CPU without PAE is judged within its era, and warned', () => {
    const findings = checkTexts(
      {
        'cpuctl-identify.txt': sample('synthetic-cpuctl-pentium-pro-686-nopae-32bit.txt'),
        'pkg_info.txt': 'xenkernel3-3.1.4nb7 Xen 3.1 kernel\nxentools3-3.1.4nb7 Xen 3.1 tools\n',
      },
      'dom0',
      CPU,
    )
    expect(statusOf(findings, 'cpu.pae')).toBe('warn')
    expect(finding(findings, 'cpu.pae').message).toContain('Xen 3.1')
    const long = finding(findings, 'cpu.64bit')
    expect(long.status).toBe('warn')
    expect(long.message).toContain('security support')
  })

  it('on a running dom0, xen_caps decides HVM even when CPUID hides VMX', () => {
    const cpuctl = sample('cpuctl-identify-netbsd-xeon-x5460-vmx.txt').replace(',VMX,', ',')
    const dmesg = 'hypervisor0 at mainbus0: Xen version 4.13.5\n'
    const withInfo = finding(
      checkTexts(
        {'cpuctl-identify.txt': cpuctl, 'dmesg.boot': dmesg, 'xl-info.txt': sample('synthetic-xl-info-xen413-hvm.txt')},
        'hvm',
        CPU,
      ),
      'cpu.hvm',
    )
    expect(withInfo.status).toBe('pass')
    expect(withInfo.evidence[0]).toMatchObject({source: 'xl-info.txt', line: 18})
    const without = finding(checkTexts({'cpuctl-identify.txt': cpuctl, 'dmesg.boot': dmesg}, 'hvm', CPU), 'cpu.hvm')
    expect(without.status).toBe('unknown')
    expect(without.remedy).toContain('xl info')
  })

  it('no evidence at all is unknown everywhere, with the command to run', () => {
    const findings = checkTexts({}, 'hvm', CPU)
    expect(statusOf(findings, 'cpu.pae')).toBe('n/a')
    const others = findings.filter((x) => x.id !== 'cpu.pae')
    expect(others.length).toBeGreaterThan(0)
    for (const f of others) {
      expect(f.status).toBe('unknown')
      expect(f.remedy).toContain('cpuctl identify 0')
    }
  })

  it('garbage evidence never passes', () => {
    fc.assert(
      fc.property(
        fc.string({maxLength: 300}),
        fc.constantFrom('cpuctl-identify.txt', 'dmesg.boot', 'proc-cpuinfo.txt'),
        (text, name) => {
          // Garbage without any CPU feature token must not pass the HVM check.
          fc.pre(!/vmx|svm|hvm/i.test(text))
          expect(statusOf(checkTexts({[name]: text}, 'hvm', CPU), 'cpu.hvm')).not.toBe('pass')
        },
      ),
      {numRuns: 300},
    )
  })
})
