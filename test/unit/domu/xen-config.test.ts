import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseXenConfig} from '../../../src/parsers/xen-config.js'
import {tokenize} from '../../../src/parsers/xen-config-tokens.js'
import {fixture} from '../../helpers.js'

const parse = (text: string) => parseXenConfig(text, 'files/usr/pkg/etc/xen/t')
const values = (text: string) => Object.fromEntries(Object.entries(parse(text).values).map(([k, v]) => [k, v.value]))

describe('parseXenConfig', () => {
  it('reads strings, numbers, booleans, None and lists, each at its line', () => {
    const r = parse(
      '# comment\nkernel = "/netbsd-XEN3_DOMU"  # trailing\nmemory = 64\nname = \'nbsd\'\nflag = True\nnone = None\nneg = -5\nhex = 0x301\n',
    )
    expect(r.errors).toEqual([])
    expect(r.values.kernel).toEqual({
      value: '/netbsd-XEN3_DOMU',
      source: 'files/usr/pkg/etc/xen/t',
      line: 2,
      text: 'kernel = "/netbsd-XEN3_DOMU"  # trailing',
    })
    expect(r.values.memory?.value).toBe(64)
    expect(r.values.name?.line).toBe(4)
    expect(values('a = True\nb = False\nc = None\nd = 1.5\ne = 0777\nf = 0o17\ng = 10L\n')).toEqual({
      a: true,
      b: false,
      c: null,
      d: 1.5,
      e: 511,
      f: 15,
      g: 10,
    })
  })

  it('reads lists over several lines, with comments, tuples and trailing commas, and the line of each element', () => {
    const r = parse(
      "disk = [\n  'phy:/dev/wd0e,0x1,w',   # first\n  \"file:/a b,0x2,r\",\n]\nt = ('a', 2,)\nn = [[1, 2], []]\n",
    )
    expect(r.errors).toEqual([])
    expect(r.values.disk?.value).toEqual(['phy:/dev/wd0e,0x1,w', 'file:/a b,0x2,r'])
    expect(r.values.disk?.line).toBe(1)
    expect(r.items.disk?.map((i) => i.line)).toEqual([2, 3])
    expect(r.values.t?.value).toEqual(['a', 2])
    expect(r.values.n?.value).toEqual([[1, 2], []])
  })

  it('applies += to lists, strings and numbers; xl-style += on a new name assigns', () => {
    const r = parse(
      "disk = ['a']\ndisk += ['b']\nextra = 'x'\nextra += ' y'\nm = 1\nm += 2\nvif += ['mac=00:16:3e:00:00:01']\n",
    )
    expect(r.errors).toEqual([])
    expect(r.values.disk?.value).toEqual(['a', 'b'])
    expect(r.values.disk?.line).toBe(2)
    expect(r.items.disk?.map((i) => i.line)).toEqual([1, 2])
    expect(r.values.extra?.value).toBe('x y')
    expect(r.values.m?.value).toBe(3)
    expect(r.values.vif?.value).toEqual(['mac=00:16:3e:00:00:01'])
    expect(parse("a = 'x'\na += [1]\n").errors[0]).toMatchObject({line: 2, column: 3})
  })

  it('decodes quotes and escapes like Python: single, double, triple, raw, adjacent literals', () => {
    expect(
      values(
        String.raw`a = 'it\'s'` +
          '\n' +
          String.raw`b = "tab\there\x41\101\u00e9\n"` +
          '\n' +
          String.raw`c = r'\d\''` +
          '\n' +
          String.raw`d = 'keep\q'`,
      ),
    ).toEqual({a: "it's", b: 'tab\thereAAé\n', c: String.raw`\d\'`, d: String.raw`keep\q`})
    expect(values('e = """one\n"two"\n\'three\'"""\nf = \'\'\'x\'\'\'\ng = "a" \'b\' """c"""\n')).toEqual({
      e: 'one\n"two"\n\'three\'',
      f: 'x',
      g: 'abc',
    })
    expect(values('h = "con\\\ntinued"\n')).toEqual({h: 'continued'})
    expect(values("u = u'unicode'\nbb = b'bytes'\n")).toEqual({u: 'unicode', bb: 'bytes'})
  })

  it('joins backslash continuations, accepts ; between statements, CRLF and names assigned earlier', () => {
    const r = parse('z = \\\n  5\r\nroot = "/dev/hda1 ro" ; y = 0x301\r\nbr = "bridge0"\nb2 = br\n')
    expect(r.errors).toEqual([])
    expect(r.values.z).toMatchObject({value: 5, line: 1})
    expect(r.values.root).toMatchObject({value: '/dev/hda1 ro', line: 3})
    expect(r.values.y).toMatchObject({value: 0x301, line: 3})
    expect(r.values.b2?.value).toBe('bridge0')
  })

  it('reports syntax errors with line and column, and keeps the other statements', () => {
    const r = parse("kernel = '/netbsd'\nmemory = 64 * 2\nname = 'x\nvif = foo(1)\ndisk = ['a',\nok = 1\n")
    expect(r.values.kernel?.value).toBe('/netbsd')
    expect(r.errors[0]).toMatchObject({line: 2, column: 13})
    expect(r.errors[0]?.message).toMatch(/after the value of 'memory'/)
    expect(r.errors[1]).toMatchObject({line: 3, column: 8, message: expect.stringMatching(/unterminated string/)})
    expect(r.errors[2]).toMatchObject({line: 4, column: 7, message: expect.stringMatching(/name 'foo' is not defined/)})
    expect(r.errors[3]).toMatchObject({line: 6, message: expect.stringMatching(/list opened at line 5/)})
    expect(r.values.memory).toBeUndefined()
  })

  it('names unsupported Python and bad tokens', () => {
    expect(parse('import os\n').errors[0]).toMatchObject({
      line: 1,
      column: 8,
      message: expect.stringMatching(/'import' statements are not supported/),
    })
    expect(parse('a = {1: 2}\n').errors[0]?.message).toMatch(/dictionaries/)
    expect(parse('a = """never closed\n\n').errors[0]).toMatchObject({
      line: 1,
      column: 5,
      message: expect.stringMatching(/triple-quoted/),
    })
    expect(parse('a = 1 \\ 2\n').errors[0]?.message).toMatch(/backslash/)
    expect(parse('a = "\\x4"\n').errors[0]?.message).toMatch(/invalid \\x escape/)
    expect(parse('a = 09\n').errors[0]?.message).toMatch(/invalid number/)
    expect(parse('a = \u0001\n').errors[0]?.message).toMatch(/U\+0001/)
    expect(parse('= 1\n').errors[0]).toMatchObject({line: 1, column: 1})
    expect(parse('a =\n').errors[0]?.message).toMatch(/expected a value, found end of line/)
  })

  it('handles empty, comment-only and truncated input', () => {
    expect(parse('')).toMatchObject({values: {}, errors: []})
    expect(parse('# nothing\n\n   \n')).toMatchObject({values: {}, errors: []})
    expect(parse("vif = [ 'mac=aa:00:00:50:02:f0, bri").errors[0]?.line).toBe(1)
    expect(parse('a = [' + '['.repeat(200) + ']'.repeat(201)).errors[0]?.message).toMatch(/nested deeper/)
  })

  it('never throws on arbitrary input; every error has a position inside the text', () => {
    const check = (text: string) => {
      const r = parse(text)
      const lines = text.split(/\r\n|\r|\n/).length
      for (const e of r.errors) {
        expect(e.line).toBeGreaterThanOrEqual(1)
        expect(e.line).toBeLessThanOrEqual(lines)
        expect(e.column).toBeGreaterThanOrEqual(1)
        expect(e.message).not.toMatch(/internal parser error/)
      }

      for (const v of Object.values(r.values)) expect(v.line).toBeGreaterThanOrEqual(1)
    }

    fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 300}), check), {numRuns: 2000})
    const piece = fc.constantFrom(
      'a',
      ' = ',
      '+=',
      '[',
      ']',
      '(',
      ')',
      ',',
      "'",
      '"',
      '"""',
      "'''",
      '\\',
      '\n',
      '\r\n',
      '#',
      '0x1',
      '-',
      '1',
      'True',
      ';',
      ' ',
      'r',
      '\\x',
      '{',
    )
    fc.assert(
      fc.property(
        fc.array(piece, {maxLength: 60}).map((a) => a.join('')),
        check,
      ),
      {numRuns: 3000},
    )
  })

  it('tokenizes a config line', () => {
    expect(tokenize("a = ['x', 1]\n").map((t) => t.kind)).toEqual([
      'name',
      'op',
      'op',
      'string',
      'op',
      'number',
      'op',
      'newline',
      'eof',
    ])
  })
})

describe('real configs', () => {
  const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
  it("parses Xen's xmexample1 (xm era)", () => {
    const r = parseXenConfig(sample('xmexample1-xen-tools-examples.txt'), 'xmexample1')
    expect(r.errors).toEqual([])
    expect(Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, [v.value, v.line]]))).toEqual({
      kernel: ['/boot/vmlinuz-2.6.10-xenU', 11],
      memory: [64, 24],
      name: ['ExampleDomain', 27],
      vif: [[''], 58],
      disk: [['phy:hda1,hda1,w'], 67],
      root: ['/dev/hda1 ro', 134],
      extra: ['4', 144],
    })
  })

  it("parses Xen's xlexample.pvlinux (xl era)", () => {
    const r = parseXenConfig(sample('xlexample.pvlinux-xen-tools-examples.txt'), 'xl')
    expect(r.errors).toEqual([])
    expect(r.values.disk?.value).toEqual(['/dev/vg/guest-volume,raw,xvda,rw'])
    expect(r.values.extra?.value).toBe('root=/dev/xvda1')
    expect(r.values.vcpus?.value).toBe(2)
  })

  it("parses the Howto's configs from the fixture dumps", () => {
    for (const [dump, file] of [
      ['synthetic-netbsd51-dom0-howto-domus', 'nbsd'],
      ['synthetic-netbsd51-dom0-howto-domus', 'solaris.cfg'],
      ['synthetic-netbsd51-dom0-howto-linux-solaris-install', 'solaris-install.cfg'],
      ['synthetic-netbsd51-dom0-howto-linux-solaris-install', 'linux'],
    ] as const) {
      const r = parseXenConfig(readFileSync(fixture('dumps', dump, 'files/usr/pkg/etc/xen', file), 'utf8'), file)
      expect([file, r.errors]).toEqual([file, []])
    }

    const install = parseXenConfig(
      readFileSync(
        fixture(
          'dumps',
          'synthetic-netbsd51-dom0-howto-linux-solaris-install',
          'files/usr/pkg/etc/xen/solaris-install.cfg',
        ),
        'utf8',
      ),
      's',
    )
    expect(install.values.disk).toMatchObject({value: ['phy:/dev/wd0k,0,w', 'phy:/dev/vnd0d,6:cdrom,r'], line: 4})
    expect(install.values.extra?.value).toBe('/platform/i86xpv/kernel/amd64/unix - nowin -B install_media=cdrom')
  })
})
