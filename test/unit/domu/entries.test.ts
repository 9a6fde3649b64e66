import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  decodeVdev,
  guestKind,
  macProblem,
  netbsdKernelConfig,
  parseDisk,
  parseVif,
} from '../../../src/plugins/domu/parse-entries.js'

describe('parseVif', () => {
  it('reads the Howto entries', () => {
    expect(parseVif('mac=aa:00:00:50:02:f0, bridge=bridge0')).toEqual({
      raw: 'mac=aa:00:00:50:02:f0, bridge=bridge0',
      keys: {mac: 'aa:00:00:50:02:f0', bridge: 'bridge0'},
      problems: [],
      notes: [],
    })
    expect(parseVif('bridge=bridge0').keys).toEqual({bridge: 'bridge0'})
    expect(parseVif('').problems).toEqual([])
  })

  it('reads ip=, script=, and flags unknown keys and broken pairs', () => {
    const v = parseVif('mac=00:16:3e:00:00:01,ip=192.168.1.10,script=vif-bridge,bridge=bridge0')
    expect(v.problems).toEqual([])
    expect(v.keys.script).toBe('vif-bridge')
    expect(parseVif('bridge=bridge0, colour=blue').notes).toEqual(['unknown key colour='])
    expect(parseVif('bridge0').problems[0]).toMatch(/not key=value/)
    expect(parseVif('ip=300.1.1.1').problems[0]).toMatch(/not an IPv4/)
    expect(parseVif('mac=aa:00:00:50:02:f0, mac=aa:00:00:50:02:f1').problems[0]).toMatch(/twice/)
  })
})

describe('macProblem', () => {
  it('accepts unicast and rejects multicast, malformed and zero MACs', () => {
    expect(macProblem('aa:00:00:50:02:f0')).toBeUndefined()
    expect(macProblem('00:16:3E:12:34:56')).toBeUndefined()
    expect(macProblem('01:00:5e:00:00:01')).toMatch(/multicast/)
    expect(macProblem('ab:00:00:50:02:f0')).toMatch(/multicast/)
    expect(macProblem('aa:00:00:50:02')).toMatch(/six hex octets/)
    expect(macProblem('aa-00-00-50-02-f0')).toMatch(/six hex octets/)
    expect(macProblem('00:00:00:00:00:00')).toMatch(/all-zero/)
  })
})

describe('parseDisk', () => {
  it('reads the xm form of the Howto', () => {
    expect(parseDisk('phy:/dev/wd0e,0x1,w')).toMatchObject({
      kind: 'phy',
      target: '/dev/wd0e',
      vdev: '0x1',
      mode: 'w',
      writable: true,
      problems: [],
    })
    expect(parseDisk('file:/var/xen/nbsd-disk,0x01,w')).toMatchObject({
      kind: 'file',
      target: '/var/xen/nbsd-disk',
      vdev: '0x01',
      writable: true,
    })
    expect(parseDisk('phy:/dev/cd0a,0x2,r')).toMatchObject({writable: false})
    expect(parseDisk('phy:/dev/vnd0d,6:cdrom,r')).toMatchObject({
      target: '/dev/vnd0d',
      vdev: '6:cdrom',
      writable: false,
    })
    expect(parseDisk('phy:wd0e,0x1,w').target).toBe('/dev/wd0e')
  })

  it('reads the xl forms', () => {
    expect(parseDisk('/dev/wd0e,raw,xvda,rw')).toMatchObject({
      kind: 'phy',
      target: '/dev/wd0e',
      vdev: 'xvda',
      writable: true,
      problems: [],
    })
    expect(parseDisk('format=raw, vdev=xvda, access=rw, target=/dev/wd0e')).toMatchObject({
      kind: 'phy',
      target: '/dev/wd0e',
      vdev: 'xvda',
      writable: true,
    })
    expect(parseDisk('vdev=hdc, devtype=cdrom, target=/iso/a,b.iso')).toMatchObject({
      kind: 'file',
      target: '/iso/a,b.iso',
      writable: false,
    })
    expect(parseDisk('tap:aio:/var/xen/img,xvda,w')).toMatchObject({kind: 'tap', target: '/var/xen/img'})
  })

  it('names what is wrong', () => {
    expect(parseDisk('phy:/dev/wd0e,0x1,x').problems[0]).toMatch(/MODE "x"/)
    expect(parseDisk('phy:/dev/wd0e').problems[0]).toMatch(/1 comma-separated fields/)
    expect(parseDisk(',0x1,w').problems[0]).toMatch(/no device/)
    expect(parseDisk('phy:/dev/wd0e,,w').problems[0]).toMatch(/no virtual device/)
  })
})

describe('decodeVdev', () => {
  it.each([
    ['0x301', 'hda1', 'major 3 << 8) + minor 1'],
    ['0x300', 'hda', 'minor 0'],
    ['0x341', 'hdb1', 'minor 65'],
    ['0x1601', 'hdc1', 'major 22'],
    ['0x1641', 'hdd1', 'major 22'],
    ['0x801', 'sda1', 'major 8'],
    ['0x811', 'sdb1', 'minor 17'],
    ['0xca00', 'xvda', 'major 202'],
    ['0xca11', 'xvdb1', 'major 202'],
    ['769', 'hda1', '769 = (major 3'],
  ])('%s is Linux %s', (raw, name, how) => {
    const v = decodeVdev(raw)
    expect(v.linuxName).toBe(name)
    expect(v.explain).toContain(how)
  })

  it('reads names, indexes and cdrom suffixes', () => {
    expect(decodeVdev('hda1')).toMatchObject({linuxName: 'hda1', linuxDisk: 'hda'})
    expect(decodeVdev('xvda')).toMatchObject({linuxName: 'xvda', linuxDisk: 'xvda'})
    expect(decodeVdev('sdb2')).toMatchObject({linuxDisk: 'sdb'})
    expect(decodeVdev('hdc:cdrom')).toMatchObject({linuxName: 'hdc', cdrom: true})
    expect(decodeVdev('0x1')).toMatchObject({index: 1})
    expect(decodeVdev('0x1').linuxName).toBeUndefined()
    expect(decodeVdev('6:cdrom')).toMatchObject({index: 6, cdrom: true})
    expect(decodeVdev('0')).toMatchObject({index: 0})
    expect(decodeVdev('0x2a01').explain).toMatch(/major 42, minor 1/)
    expect(decodeVdev('wd0e').problem).toMatch(/neither a device number/)
  })
})

describe('guestKind and netbsdKernelConfig', () => {
  it('tells the guest from the kernel path', () => {
    expect(guestKind({kernel: '/home/bouyer/netbsd-XEN3_DOMU'})).toBe('netbsd')
    expect(guestKind({kernel: '/root/vmlinuz-2.6.18-xenU'})).toBe('linux')
    expect(guestKind({kernel: '/root/solaris/unix'})).toBe('solaris')
    expect(guestKind({kernel: '/usr/lib/xen/boot/hvmloader', builder: 'hvm'})).toBe('hvm')
    expect(guestKind({kernel: '/boot/kern', root: 'xbd0a'})).toBe('netbsd')
    expect(guestKind({kernel: '/boot/kern'})).toBe('unknown')
  })

  it('reads the kernel configuration from the file name', () => {
    expect(netbsdKernelConfig('/home/bouyer/netbsd-INSTALL_XEN3_DOMU')).toBe('INSTALL_XEN3_DOMU')
    expect(netbsdKernelConfig('/netbsd-XEN3PAE_DOMU.gz')).toBe('XEN3PAE_DOMU')
    expect(netbsdKernelConfig('/netbsd-XEN3_DOM0')).toBe('XEN3_DOM0')
    expect(netbsdKernelConfig('/netbsd')).toBeUndefined()
  })
})

describe('entry parsers never throw', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 200}), (s) => {
        parseVif(s)
        parseDisk(s)
        decodeVdev(s)
        macProblem(s)
        guestKind({kernel: s, root: s, extra: s})
        netbsdKernelConfig(s)
      }),
      {numRuns: 2000},
    )
  })
})
