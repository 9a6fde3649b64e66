import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {capabilities, parseNetbsdCpu, parseProcCpuinfo} from '../../../src/plugins/cpu/parse.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')

describe('parseNetbsdCpu', () => {
  it('reads the Howto example: 686-class, VMX in features2 (written *VMX*), EM64T in features3', () => {
    const id = parseNetbsdCpu(sample('cpuctl-identify-howto-core2-merom.txt'), 'cpuctl-identify.txt')
    expect(id.cpuClass?.value).toBe(6)
    expect(id.cpuClass?.line).toBe(1)
    expect(id.vendor?.value).toBe('intel')
    expect(id.model?.value).toBe('Intel(R) Xeon(R) CPU 5130 @ 2.00GHz')
    expect(id.flags.VMX?.line).toBe(5)
    expect(id.flags.VMX?.text).toContain('features2 0x4e33d')
    expect(id.flags.EM64T?.line).toBe(6)
    expect(id.flags.PAE?.line).toBe(2)
    // NetBSD 5 does not decode 0x80000001:ECX; irrelevant on Intel, but it must be recorded.
    expect(id.amdExtendedEcxDecoded).toBe(false)
  })

  it('reads NetBSD 6+ naming: VMX in features1, LAHF in features3', () => {
    const id = parseNetbsdCpu(sample('cpuctl-identify-netbsd-xeon-x5460-vmx.txt'), 'cpuctl-identify.txt')
    expect(id.flags.VMX?.text).toMatch(/^cpu0: features1 /)
    expect(id.flags.EM64T?.text).toMatch(/^cpu0: features2 /)
    expect(id.amdExtendedEcxDecoded).toBe(true)
    expect(id.model?.value).toBe('Intel(R) Xeon(R) CPU X5460 @ 3.16GHz')
  })

  it('sees the hypervisor line and no VMX in a QEMU TCG guest', () => {
    const id = parseNetbsdCpu(sample('cpuctl-identify-netbsd9-qemu-tcg-broadwell-novmx.txt'), 'cpuctl-identify.txt')
    expect(id.hypervisor?.value).toBe('QEMU(TCG)')
    expect(id.hypervisor?.line).toBe(4)
    expect(capabilities(id).hvm).toBeUndefined()
    expect(capabilities(id).longMode?.value).toBe('EM64T')
    // The hex value of a features line must not be taken for a token.
    expect(Object.keys(id.flags)).not.toContain('0x78bfbfd')
  })

  it('matches SVM as a whole token only', () => {
    const id = parseNetbsdCpu('cpu0: features3 0x1<LAHF,SVML>\n', 'x')
    expect(capabilities(id).hvm).toBeUndefined()
    expect(parseNetbsdCpu('cpu0: features3 0x4<LAHF,SVM>\n', 'x').flags.SVM).toBeDefined()
  })

  it('reads a NetBSD 10 dmesg with timestamps but no features lines', () => {
    const id = parseNetbsdCpu(sample('dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt'), 'dmesg.boot')
    expect(id.featuresSeen).toBe(false)
    expect(id.hypervisor?.value).toBe('KVM')
    expect(id.model?.value).toBe('12th Gen Intel(R) Core(TM) i7-1270P')
    expect(id.vendor?.value).toBe('intel')
  })

  it('only reads cpu0', () => {
    const id = parseNetbsdCpu('cpu1: features1 0x20<VMX>\n', 'x')
    expect(id.featuresSeen).toBe(false)
  })

  it('keeps the tokens of a truncated features line', () => {
    const id = parseNetbsdCpu('cpu0: features1 0xce3bd<SSE3,DTES64,MONITOR,DS-CPL,VMX,E', 'x')
    expect(id.flags.VMX).toBeDefined()
  })
})

describe('parseProcCpuinfo', () => {
  it('reads the first processor of a real Linux AMD EPYC VM without SVM', () => {
    const id = parseProcCpuinfo(sample('linux-proc-cpuinfo-amd-epyc-vm-nosvm.txt'), 'proc-cpuinfo.txt')
    expect(id.vendor?.value).toBe('amd')
    expect(id.cpuClass?.value).toBe(6)
    expect(id.model?.value).toBe('AMD EPYC')
    expect(capabilities(id).hvm).toBeUndefined()
    expect(capabilities(id).longMode?.value).toBe('lm')
    expect(capabilities(id).pae?.line).toBe(20)
    expect(id.hypervisor).toBeDefined()
  })

  it('stops at the second processor block', () => {
    const id = parseProcCpuinfo('processor : 0\nflags : fpu\n\nprocessor : 1\nflags : fpu vmx\n', 'x')
    expect(id.flags.vmx).toBeUndefined()
  })
})

describe('parsers on garbage', () => {
  it('never throw and never invent a capability', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 400}), (text) => {
        for (const id of [parseNetbsdCpu(text, 'x'), parseProcCpuinfo(text, 'x')]) {
          expect(id).toBeDefined()
          // A capability is only ever reported with the line it came from, and that line contains it.
          for (const f of Object.values(capabilities(id)))
            if (f) expect(f.text.toLowerCase()).toContain(f.value.toLowerCase())
        }
      }),
      {numRuns: 500},
    )
  })

  it('survives every truncation of a real output', () => {
    const text = sample('cpuctl-identify-howto-core2-merom.txt')
    for (let n = 0; n <= text.length; n += 7) expect(() => parseNetbsdCpu(text.slice(0, n), 'x')).not.toThrow()
  })
})
