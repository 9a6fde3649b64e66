// Issue 17: every shape of the CPU identification that NetBSD's kernels and cpuctl print (docs/sources/readers.md).
import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {classOfFamily, familyOfSignature, parseNetbsdCpu} from '../../../src/plugins/cpu/parse.js'
import {fixture} from '../../helpers.js'

const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')

describe('CPU class in every shape', () => {
  // [sample, class, family, line of the class]
  const table: Array<[string, number, number | undefined, number]> = [
    // x86 identcpu.c (NetBSD 5/6): the identification on the attach line, no brand string: `<Vendor> 686-class,
    // <MHz>MHz, id 0x...`
    ['synthetic-dmesg-netbsd5-i386-attach-line-686-no-brand.txt', 6, 6, 6],
    // the same attach line with a brand string: only `id 0x1067a` gives the family
    ['synthetic-dmesg-netbsd5-amd64-attach-line-brand-id.txt', 6, 6, 3],
    // x86 identcpu.c (HEAD) without a brand string: `cpu0: Intel 586-class, 199MHz, id 0x543` (no parentheses)
    ['synthetic-dmesg-netbsd10-i386-586-class-no-parens.txt', 5, 5, 4],
    ['synthetic-dmesg-netbsd10-i386-486-class-no-tsc.txt', 4, 4, 4],
    // i386 identcpu.c (netbsd-4 era) and cpuctl: `<name> (586-class), <MHz> MHz, id 0x...` on the attach line
    ['synthetic-dmesg-netbsd5-attach-line-586-id-only.txt', 5, 5, 2],
    // cpuctl: the class line, then `family 0x6 model 0x7 stepping 0x2 (id 0x672)`
    ['synthetic-cpuctl-netbsd7-pentium3-family-line.txt', 6, 6, 1],
    // cpuctl's family line alone; `%#x` prints zero as a bare `0`
    ['synthetic-cpuctl-netbsd7-family-line-only-stepping-zero.txt', 5, 5, 1],
    // real: NetBSD 10.99 dmesg, `cpu0: 12th Gen Intel(R) Core(TM) i7-1270P, id 0x906a2`
    ['dmesg-netbsd10.99-microvm-kvm-pvh-timestamps.txt', 6, 6, 26],
    // real: the Howto's cpuctl (`(686-class)`)
    ['cpuctl-identify-howto-core2-merom.txt', 6, undefined, 1],
  ]
  for (const [name, cls, family, line] of table) {
    it(`${name}: ${cls}86-class`, () => {
      const id = parseNetbsdCpu(sample(name), 'dmesg.boot')
      expect(id.cpuClass?.value).toBe(cls)
      expect(id.cpuClass?.line).toBe(line)
      if (family !== undefined) expect(id.family?.value).toBe(family)
      expect(id.source).toBe('dmesg.boot')
    })
  }

  it('names the vendor and model from the attach line', () => {
    const id = parseNetbsdCpu(sample('synthetic-dmesg-netbsd5-amd64-attach-line-brand-id.txt'), 'dmesg.boot')
    expect(id.vendor?.value).toBe('intel')
    expect(id.model?.value).toMatch(/^Intel\(R\) Core\(TM\)2 Duo CPU/)
    const plain = parseNetbsdCpu(sample('synthetic-dmesg-netbsd5-i386-attach-line-686-no-brand.txt'), 'dmesg.boot')
    expect(plain.model?.value).toBe('Intel')
    expect(plain.vendor?.value).toBe('intel')
  })

  it('a printed class wins over the family decoded from the signature', () => {
    const id = parseNetbsdCpu('cpu0: Intel 586-class, 100MHz, id 0x672\n', 'x')
    expect(id.cpuClass?.value).toBe(5)
  })

  it('reads `SVM disabled by the BIOS` (x86 identcpu.c, MSR VMCR locked)', () => {
    const id = parseNetbsdCpu(sample('synthetic-dmesg-netbsd10-amd-svm-disabled-by-bios.txt'), 'dmesg.boot')
    expect(id.svmDisabledByBios?.line).toBe(4)
    expect(id.flags.SVM?.line).toBe(7)
    expect(id.cpuClass?.value).toBe(6)
    expect(id.family?.value).toBe(0x10)
  })

  it('decodes CPUID signatures as NetBSD does (extended family only for base 0xf)', () => {
    expect(familyOfSignature(0x906a2)).toBe(6)
    expect(familyOfSignature(0x543)).toBe(5)
    expect(familyOfSignature(0xf29)).toBe(0xf)
    expect(familyOfSignature(0x100f43)).toBe(0x10)
    expect(familyOfSignature(0xa20f12)).toBe(0x19)
    expect(classOfFamily(4)).toBe(4)
    expect(classOfFamily(0x19)).toBe(6)
  })

  it('ignores other CPUs, other devices and garbage ids', () => {
    expect(parseNetbsdCpu('cpu1: Intel 486-class, id 0x435\n', 'x').cpuClass).toBeUndefined()
    expect(
      parseNetbsdCpu('ioapic0 at mainbus0 apid 2: pa 0xfec00000, version 11, 24 pins\n', 'x').source,
    ).toBeUndefined()
    expect(parseNetbsdCpu('cpu0: something, id 0x0\n', 'x').cpuClass).toBeUndefined()
    expect(parseNetbsdCpu('cpu0: family 0 model 0 stepping 0\n', 'x').cpuClass).toBeUndefined()
  })

  it('survives truncation, empty and garbage input', () => {
    for (const name of [
      'synthetic-dmesg-netbsd5-i386-attach-line-686-no-brand.txt',
      'synthetic-cpuctl-netbsd7-pentium3-family-line.txt',
    ]) {
      const text = sample(name)
      for (let n = 0; n <= text.length; n += 5) expect(() => parseNetbsdCpu(text.slice(0, n), 'x')).not.toThrow()
    }

    expect(parseNetbsdCpu('', 'x').source).toBeUndefined()
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'cpu0',
            ' at mainbus0',
            ' apid ',
            ': ',
            '686-class',
            '(',
            ')',
            ', id 0x',
            'f',
            '9',
            'family ',
            'model ',
            'stepping ',
            '\n',
            'x',
          ),
          {maxLength: 40},
        ),
        (parts) => {
          const id = parseNetbsdCpu(parts.join(''), 'x')
          if (id.cpuClass) expect([3, 4, 5, 6, 7, 8, 9]).toContain(id.cpuClass.value)
        },
      ),
      {numRuns: 400},
    )
  })
})
