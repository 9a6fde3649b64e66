import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {hexBdf, parseUserBdf, pcictlBdf, userBdfProblem} from '../../../src/parsers/pci-address.js'
import {allProblems, formatHide, parseHideValue} from '../../../src/plugins/pci/parse-hide.js'

const devices = (v: string) => parseHideValue(v).devices.map((d) => hexBdf(d))
const errors = (v: string) => allProblems(parseHideValue(v)).filter((p) => p.severity === 'error')
const warnings = (v: string) => allProblems(parseHideValue(v)).filter((p) => p.severity === 'warning')

describe("parseHideValue (the kernel's pciback_pci_init/pciback_parse_pci)", () => {
  it('reads the Howto example: (00:0a.0)(00:06.0), hex', () => {
    const p = parseHideValue('(00:0a.0)(00:06.0)')
    expect(p.devices).toEqual([
      {domain: 0, bus: 0, device: 10, function: 0},
      {domain: 0, bus: 0, device: 6, function: 0},
    ])
    expect(allProblems(p)).toEqual([])
    expect(p.groups.map((g) => g.position)).toEqual([1, 10])
  })

  it('reads device numbers in HEX: (00:10.0) is device 16, the pcictl line 000:16:0, not 000:10:0', () => {
    const [d] = parseHideValue('(00:10.0)').devices
    expect(d?.device).toBe(16)
    expect(pcictlBdf(d!)).toBe('000:16:0')
    expect(hexBdf({domain: 0, bus: 0, device: 10, function: 0})).toBe('00:0a.0')
    expect(devices('(00:1f.2)')).toEqual(['00:1f.2'])
  })

  it('reports a wrong separator with its group and position, and keeps parsing the next groups', () => {
    const p = parseHideValue('(00:0a.0)(00:0a:0)(00:06.0)')
    const e = errors('(00:0a.0)(00:0a:0)(00:06.0)')
    expect(e).toHaveLength(1)
    expect(e[0]!.group?.text).toBe('(00:0a:0)')
    expect(e[0]!.position).toBe(16)
    expect(e[0]!.message).toMatch(/wrong separator/)
    expect(p.devices.map((d) => hexBdf(d))).toEqual(['00:0a.0', '00:06.0'])
    expect(p.stoppedAt).toBeUndefined()
  })

  it('stops at unbalanced parentheses, as the kernel does, ignoring later groups', () => {
    const p = parseHideValue('(00:0a.0)(00:06.0')
    expect(p.stoppedAt).toBe(10)
    expect(errors('(00:0a.0)(00:06.0')[0]!.message).toMatch(/unbalanced parentheses.*never closed/)
    expect(p.devices.map((d) => hexBdf(d))).toEqual(['00:0a.0'])
    expect(errors('(00:0a.0))(00:06.0)')[0]!.message).toMatch(/"\)" at position 10 closes no group/)
    expect(devices('(00:0a.0))(00:06.0)')).toEqual(['00:0a.0'])
  })

  it('rejects characters between groups, a non-hex digit, and a blank after the function', () => {
    expect(errors('(00:0a.0),(00:06.0)')[0]!.message).toMatch(/"," at position 10 where a "\(" must start/)
    expect(devices('(00:0a.0),(00:06.0)')).toEqual(['00:0a.0'])
    expect(errors('(00:0g.0)')[0]!.message).toMatch(/"g" where the kernel needs a hex device number/)
    expect(errors('(00:0a.0 )')[0]!.message).toMatch(/blank after the function/)
    expect(errors('(00-0a.0)')[0]!.message).toMatch(/no ":"/)
  })

  it('rejects a function above 7 (the kernel accepts the number, no device has it)', () => {
    const e = errors('(00:0a.8)')
    expect(e[0]!.message).toMatch(/function 0x8 \(8\) is above 7/)
    expect(devices('(00:0a.8)')).toEqual([])
    expect(errors('(00:20.0)')[0]!.message).toMatch(/device 0x20 \(32\) is above 31/)
  })

  it('warns, not fails, on forms the kernel accepts but the Howto does not document', () => {
    expect(devices('(0:a.0)')).toEqual(['00:0a.0'])
    expect(errors('(0:a.0)')).toEqual([])
    expect(
      warnings('(0:a.0)')
        .map((w) => w.message)
        .join(' '),
    ).toMatch(/bus "0" has 1 digit.*device "a" has 1 digit/)
    expect(devices('(0000:00:0a.0)')).toEqual(['00:0a.0'])
    expect(warnings('(0000:00:0a.0)')[0]!.message).toMatch(/"0000:" domain prefix/)
    expect(devices('(00:0x0a.0)')).toEqual(['00:0a.0'])
    expect(
      warnings('(00:0x0a.0)')
        .map((w) => w.message)
        .join(' '),
    ).toMatch(/0x/)
    expect(devices('(:0a.0)')).toEqual(['00:0a.0'])
    expect(warnings('(:0a.0)')[0]!.message).toMatch(/no bus number: the kernel reads it as 0/)
  })

  it('skips only a literal 0000 domain: (0001:00:0a.0) fails as the kernel fails', () => {
    expect(errors('(0001:00:0a.0)')[0]!.message).toMatch(/wrong separator|needs "\."/)
  })

  it("flags a value the kernel's 64-byte buffer cannot hold, and an empty value", () => {
    const long = '(00:01.0)(00:02.0)(00:03.0)(00:04.0)(00:05.0)(00:06.0)(00:07.0)(00:08.0)'
    expect(errors(long)[0]!.message).toMatch(/72 characters.*64-byte buffer/)
    expect(errors(long.slice(0, 63))).toEqual([])
    expect(warnings('')[0]!.message).toMatch(/empty/)
  })

  it('warns about a device listed twice', () => {
    expect(warnings('(00:0a.0)(00:0a.0)')[0]!.message).toMatch(/listed twice/)
    expect(devices('(00:0a.0)(00:0a.0)')).toEqual(['00:0a.0'])
  })

  it('formats the Howto form', () => {
    expect(
      formatHide([
        {domain: 0, bus: 0, device: 10, function: 0},
        {domain: 0, bus: 7, device: 0, function: 1},
      ]),
    ).toBe('pciback.hide=(00:0a.0)(07:00.1)')
  })

  it('never throws, and only accepts in-range devices', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = parseHideValue(s)
        for (const d of p.devices) expect(d.bus <= 255 && d.device <= 31 && d.function <= 7).toBe(true)
      }),
    )
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('(', ')', '0', 'a', ':', '.', ' ', 'x', '-', 'g', '7', '8', '0000:'))
          .map((a) => a.join('')),
        (s) => {
          const p = parseHideValue(s)
          // A clean parse means every group was accepted.
          if (allProblems(p).every((x) => x.severity !== 'error') && s.length > 0 && s.length < 64)
            expect(p.groups.every((g) => g.address)).toBe(true)
        },
      ),
    )
  })

  it('round-trips: formatHide output parses back with no problems', () => {
    const addr = fc.record({
      domain: fc.constant(0),
      bus: fc.integer({min: 0, max: 255}),
      device: fc.integer({min: 0, max: 31}),
      function: fc.integer({min: 0, max: 7}),
    })
    fc.assert(
      fc.property(fc.uniqueArray(addr, {selector: (a) => hexBdf(a), maxLength: 7}), (list) => {
        const value = formatHide(list).slice('pciback.hide='.length)
        const p = parseHideValue(value)
        expect(p.devices).toEqual(list)
        expect(allProblems(p).filter((x) => x.severity === 'error')).toEqual([])
      }),
    )
  })
})

describe('parseUserBdf', () => {
  it('reads the Howto hex form, the domain form and pcictl decimal', () => {
    expect(parseUserBdf('00:0a.0')).toEqual({domain: 0, bus: 0, device: 10, function: 0})
    expect(parseUserBdf('0000:07:00.0')).toEqual({domain: 0, bus: 7, device: 0, function: 0})
    expect(parseUserBdf('000:20:0')).toEqual({domain: 0, bus: 0, device: 20, function: 0})
    expect(parseUserBdf('000:40:0')).toBeUndefined()
    expect(parseUserBdf('garbage')).toBeUndefined()
  })

  it.each([
    ['00:20.0', '00:20.0: device 0x20 is past 0x1f (a bus has devices 00-1f)'],
    ['00:1f.8', '00:1f.8: function 8 is past 7 (a device has functions 0-7)'],
    [
      '0000:00:ff.f',
      '0000:00:ff.f: device 0xff is past 0x1f (a bus has devices 00-1f); function f is past 7 (a device has functions 0-7)',
    ],
    ['100:00.0', '100:00.0: bus 0x100 is past 0xff'],
    ['000:32:0', '000:32:0: device 32 is past 31 (pcictl prints devices 00-31 in decimal; hex is written 00:1f.0)'],
    ['256:00:0', '256:00:0: bus 256 is past 255'],
    ['000:00:8', '000:00:8: function 8 is past 7 (a device has functions 0-7)'],
    ['zz:zz', '"zz:zz": not bus:dev.func in hex (00:0a.0) or pcictl\'s bus:dev:func in decimal (000:10:0)'],
    ['', '"": not bus:dev.func in hex (00:0a.0) or pcictl\'s bus:dev:func in decimal (000:10:0)'],
    ['00:1f', '"00:1f": not bus:dev.func in hex (00:0a.0) or pcictl\'s bus:dev:func in decimal (000:10:0)'],
  ])('refuses the impossible address %j, saying which part is out of range', (text, problem) => {
    expect(parseUserBdf(text)).toBeUndefined()
    expect(userBdfProblem(text)).toBe(problem)
  })

  it('accepts the highest real address in both forms', () => {
    expect(parseUserBdf('ff:1f.7')).toEqual({domain: 0, bus: 255, device: 31, function: 7})
    expect(parseUserBdf('255:31:7')).toEqual({domain: 0, bus: 255, device: 31, function: 7})
    expect(userBdfProblem('ff:1f.7')).toBeUndefined()
  })
})
