import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, test} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {Redactor, redactFiles} from '../../../src/evidence/redact.js'
import {builtinRegistry, FIXTURES} from '../../helpers.js'

function readTree(root: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of readdirSync(join(root, rel), {withFileTypes: true})) {
    const name = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) for (const [k, v] of readTree(root, name)) out.set(k, v)
    else if (e.isFile()) out.set(name, readFileSync(join(root, name), 'utf8'))
  }

  return out
}

const scratch = mkdtempSync(join(tmpdir(), 'xenready-redact-test-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

describe('a redacted dump gives the same findings as the original', () => {
  const dumps = readdirSync(join(FIXTURES, 'dumps'))
  const registry = builtinRegistry()
  test('has fixture dumps to redact', () => expect(dumps.length).toBeGreaterThan(50))
  test.each(dumps)('%s', (name) => {
    const original = readTree(join(FIXTURES, 'dumps', name))
    const {files, redactor} = redactFiles(original)
    const dir = join(scratch, name)
    for (const [rel, text] of files) {
      mkdirSync(dirname(join(dir, rel)), {recursive: true})
      writeFileSync(join(dir, rel), text)
    }

    for (const target of ['dom0', 'hvm', 'pci-passthrough'] as const) {
      const before = runChecks(registry, new DumpEvidenceSet(join(FIXTURES, 'dumps', name)), {target}).findings
      const after = runChecks(registry, new DumpEvidenceSet(dir), {target}).findings
      const shape = (fs: typeof before, redact: (s: string) => string) =>
        fs.map((f) => ({
          id: f.id,
          status: f.status,
          subject: f.subject === undefined ? undefined : redact(f.subject),
          lines: f.evidence.map((e) => `${e.source}:${e.line}`),
        }))
      expect(shape(after, (s) => s)).toEqual(shape(before, (s) => redactor.redact(s)))
    }
  })
})

describe('Redactor', () => {
  const sample = [
    'NetBSD box.example.org 10.0 NetBSD 10.0 (XEN3_DOM0) #0: Thu Mar 28 08:33:33 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOM0 amd64',
  ].join('\n')

  test('hostnames from uname, rc.conf, sysctl; the same token in every file', () => {
    const {files, counts} = redactFiles(
      new Map([
        ['uname.txt', `${sample}\n`],
        ['files/etc/rc.conf', 'hostname=box.example.org\nxencommons=YES\n'],
        ['sysctl.txt', 'kern.hostname = box.example.org\nkern.osrelease = 10.0\n'],
        ['xl-dmesg.txt', '(XEN) box login\n'],
      ]),
    )
    expect(files.get('uname.txt')).toBe(sample.replace('box.example.org', 'host1.example.invalid') + '\n')
    expect(files.get('files/etc/rc.conf')).toBe('hostname=host1.example.invalid\nxencommons=YES\n')
    expect(files.get('sysctl.txt')).toBe('kern.hostname = host1.example.invalid\nkern.osrelease = 10.0\n')
    expect(files.get('xl-dmesg.txt')).toBe('(XEN) host2 login\n')
    expect(counts.hostname).toBe(2)
  })

  test('a host named like a kernel path or a Xen word is left alone', () => {
    const {files} = redactFiles(
      new Map([
        ['uname.txt', 'NetBSD netbsd 10.0 NetBSD 10.0 (GENERIC) #0\n'],
        ['ls-paths.txt', '-r-xr-xr-x  1 root  wheel  123 Mar 28 2024 /netbsd\n'],
      ]),
    )
    expect(files.get('ls-paths.txt')).toContain('/netbsd\n')
    const r = new Redactor()
    r.addHostnames(['xen0'])
    expect(r.redact('xen0 /xen0 xen0.gz xen0-old dom0_mem=xen0')).toBe('host1 /xen0 host1.gz xen0-old dom0_mem=host1')
  })

  test('MAC addresses become locally administered unicast tokens, consistently', () => {
    const r = new Redactor()
    const out = r.redact(
      'wm0: Ethernet address 00:1b:21:3a:4f:5e\nvif mac=00:16:3E:AA:BB:CC\nagain 00:1B:21:3A:4F:5E\n',
    )
    expect(out).toBe('wm0: Ethernet address 02:00:00:00:00:01\nvif mac=02:00:00:00:00:02\nagain 02:00:00:00:00:01\n')
    expect(r.counts().mac).toBe(2)
  })

  test('IPv4 and IPv6 keep their shape; loopback, masks and versions stay', () => {
    const r = new Redactor()
    expect(r.redact('inet 192.168.1.10 netmask 255.255.255.0 broadcast 192.168.1.255')).toBe(
      'inet 198.51.100.1 netmask 255.255.255.0 broadcast 198.51.100.2',
    )
    expect(r.redact('127.0.0.1 0.0.0.0 xenkernel-4.18.0.1 v1.2.3.4x')).toBe(
      '127.0.0.1 0.0.0.0 xenkernel-4.18.0.1 v1.2.3.4x',
    )
    expect(r.redact('inet6 fe80::21b:21ff:fe3a:4f5e%wm0 prefixlen 64 ::1 2a01:4f8:1:2::3')).toBe(
      'inet6 2001:db8::1%wm0 prefixlen 64 ::1 2001:db8::2',
    )
  })

  test('PCI ids, times, hex numbers, xl hw_caps and sizes are not touched', () => {
    const r = new Redactor()
    const text = [
      'pci0 at mainbus0 bus 0: configuration mode 1 vendor 8086 product 1e31 [8086:1e31]',
      'Thu Mar 28 08:33:33 UTC 2024',
      'cpu0: features 0x178bfbff<FPU,VME>',
      'hw_caps                : 178bfbff:f6d8320b:2e500800:244037ff:0000000f:219c91a9:00400004:00000500',
      'total_memory           : 16290',
      'com0 at isa0 port 0x3f8-0x3ff irq 4: ns16550a, working fifo; serial console',
    ].join('\n')
    expect(r.redact(text)).toBe(text)
    expect(Object.values(r.counts()).every((n) => n === 0)).toBe(true)
  })

  test('serial numbers, UUIDs and user names in paths', () => {
    const r = new Redactor()
    expect(r.redact('nvme0: Samsung SSD 970 EVO Plus 500GB, firmware 2B2QEXM7, serial S4EVNF0M123456X')).toBe(
      'nvme0: Samsung SSD 970 EVO Plus 500GB, firmware 2B2QEXM7, serial REDACTED0001',
    )
    expect(
      r.redact('machdep.dmi.system-serial = 7XK2Q12\nmachdep.dmi.system-uuid = 4c4c4544-0058-4b10-8032-b7c04f513132'),
    ).toBe('machdep.dmi.system-serial = REDACTED0002\nmachdep.dmi.system-uuid = 00000000-0000-4000-8000-000000000001')
    expect(r.redact('/home/alice/xen/domu.cfg /usr/home/alice/x /home/bob')).toBe(
      '/home/user1/xen/domu.cfg /usr/home/user1/x /home/user2',
    )
    expect(r.counts()).toEqual({hostname: 0, mac: 0, ipv4: 0, ipv6: 0, serial: 2, uuid: 1, user: 2})
  })

  test('no pattern matches across a line break (the sh collector redacts line by line, in awk)', () => {
    // `\s*` in the serial pattern used to join `serial` and the next line's first word.
    expect(new Redactor().redact('serial\nS4EVNF0M123456X\nserial:\n  7XK2Q12\n')).toBe(
      'serial\nS4EVNF0M123456X\nserial:\n  7XK2Q12\n',
    )
    expect(new Redactor().redact('serial \t:\tS4EVNF0M123456X\n')).toBe('serial \t:\tREDACTED0001\n')
    const pieces = [
      'serial',
      'Serial Number',
      'serial#',
      'system-serial = ',
      ':',
      '=',
      ' ',
      '\t',
      '\n',
      '\r',
      'S4EVNF0M1',
      '0x1f',
      'AB12',
      '/home/',
      'alice',
      '.',
      '-',
      '00:1b:21:3a:4f:5e',
      '192.168.1.10',
      '255.255.255.0',
      'fe80::1',
      '::',
      '2a01:4f8',
      '12:34:56',
      '4c4c4544-0058-4b10-8032-b7c04f513132',
      'box',
      'box.example.org',
      'x',
    ]
    const text = fc.array(fc.constantFrom(...pieces), {maxLength: 14}).map((p) => p.join(''))
    fc.assert(
      fc.property(text, (t) => {
        const whole = new Redactor()
        whole.addHostnames(['box.example.org', 'box'])
        const byLine = new Redactor()
        byLine.addHostnames(['box.example.org', 'box'])
        expect(
          t
            .split('\n')
            .map((l) => byLine.redact(l))
            .join('\n'),
        ).toBe(whole.redact(t))
        expect(byLine.counts()).toEqual(whole.counts())
      }),
      {numRuns: 500, seed: 7},
    )
  })

  test('hostnames are learnt line by line, with ASCII white space only', () => {
    const learnt = (files: Record<string, string>) => {
      const {counts} = redactFiles(new Map([...Object.entries(files), ['probe.txt', 'alpha beta gamma delta']]))
      return counts.hostname
    }

    // `uname -a` is one line: its node name is the second word of the first line, never of the next one.
    expect(learnt({'uname.txt': 'NetBSD\nalpha 10.0\n'})).toBe(0)
    expect(learnt({'uname.txt': 'NetBSD \t alpha 10.0\n'})).toBe(1)
    // rc.conf and sysctl: each line on its own; a carriage return ends the value.
    expect(learnt({'files/etc/rc.conf': '#\n\t hostname=beta\r\n'})).toBe(1)
    expect(learnt({'files/etc/rc.conf': 'x=1\rhostname=beta\n'})).toBe(0)
    expect(learnt({'sysctl.txt': 'kern.ostype = NetBSD\nkern.hostname \t:\tgamma\n'})).toBe(1)
    expect(learnt({'sysctl.txt': 'kern.hostname =\ngamma\n'})).toBe(0)
    // Non-ASCII white space is not white space here: U+00A0 makes the name invalid, as in the awk port.
    expect(learnt({'files/etc/myname': '# name\n\n  delta  \n'})).toBe(1)
    expect(learnt({'files/etc/myname': '\u00a0delta\n'})).toBe(0)
  })

  test('never throws; idempotent on text without identifiers', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), {maxLength: 3}), (s, hosts) => {
        const r = new Redactor()
        r.learnHostnames(
          new Map([
            ['uname.txt', s],
            ['files/etc/rc.conf', hosts.map((h) => `hostname=${h}`).join('\n')],
          ]),
        )
        expect(typeof r.redact(s)).toBe('string')
      }),
    )
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z ,;()\n]*$/), (s) => {
        expect(new Redactor().redact(s)).toBe(s)
      }),
    )
  })
})
