// Issue 18 item 3: a running dom0 compared with the native boot of the same machine (dmesg-native.boot), and
// --release (the release being planned).
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compareWithNative} from '../../../src/plugins/hardware/native.js'
import {parseAttachmentTree} from '../../../src/plugins/hardware/parse-dmesg.js'
import {plannedRelease} from '../../../src/commands/check.js'
import {builtinRegistry, checkDump, checkTexts, dumpPath, finding, statusOf} from '../../helpers.js'
import {runChecks} from '../../../src/engine/run.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'

const NATIVE_DUMP = 'synthetic-netbsd10-hw-running-dom0-native'
const read = (dump: string, file: string) => readFileSync(join(dumpPath(dump), file), 'utf8')
const withRelease = (dump: string, release: string) =>
  runChecks(builtinRegistry(), new DumpEvidenceSet(dumpPath(dump)), {target: 'dom0', release}).findings

describe('a running dom0 with dmesg-native.boot', () => {
  it('matches PCI functions by bus number, device and function (pci2 natively is pci1 under Xen)', () => {
    const c = compareWithNative(
      parseAttachmentTree(read(NATIVE_DUMP, 'dmesg-native.boot'), 'dmesg-native.boot'),
      parseAttachmentTree(read(NATIVE_DUMP, 'dmesg.boot'), 'dmesg.boot'),
    )
    expect(c.lost.map((l) => [l.node.name, l.location, l.below])).toEqual([
      ['virtio0', 'bus 0 dev 3 function 0', ['vioif0']],
    ])
    expect(c.lostNics).toEqual(['vioif0'])
    expect(c.keptNics).toEqual(['wm0'])
    expect(c.lostRoot).toBeUndefined()
    expect(c.matched).toBe(7)
  })

  it('warns for the NIC lost under Xen, naming where it was', () => {
    const f = finding(checkDump(NATIVE_DUMP), 'hardware.dom0-drivers', 'network')
    expect(f.status).toBe('warn')
    expect(f.message).toContain('compared with dmesg-native.boot (GENERIC, NetBSD 10.0)')
    expect(f.message).toContain('vioif0 lost (virtio0 (bus 0 dev 3 function 0; with it vioif0))')
    expect(f.message).toContain('did not attach all of the network interfaces the native kernel found: vioif0 lost')
    expect(f.message).toContain('wm0 still works')
    expect(f.evidence).toContainEqual(expect.objectContaining({source: 'dmesg-native.boot', line: 11}))
  })

  it('fails when the dom0 kernel attached none of the native NICs; warns for the native root disk; pciback is not a loss', () => {
    const native = read(NATIVE_DUMP, 'dmesg-native.boot')
    const dom0 = read(NATIVE_DUMP, 'dmesg.boot')
    const noWm = dom0.replace(/^.*wm0.*\n/gm, '')
    expect(
      statusOf(checkTexts({'dmesg.boot': noWm, 'dmesg-native.boot': native}), 'hardware.dom0-drivers', 'network'),
    ).toBe('fail')
    const noAhci = dom0.replace(/^.*(ahcisata0|atabus0|wd0|dk\d) at .*\n/gm, '').replace('root on dk1', 'root on nfs')
    const root = finding(
      checkTexts({'dmesg.boot': noAhci, 'dmesg-native.boot': native}),
      'hardware.dom0-drivers',
      'root disk',
    )
    expect(root.status).toBe('warn')
    expect(root.message).toContain(
      'the native root disk dk1 is not attached under Xen (ahcisata0 (bus 0 dev 23 function 0; with it atabus0, wd0, dk0, dk1, dk2))',
    )
    const hidden = dom0.replace(
      'wm0 at pci0 dev 31 function 6: I219-LM Ethernet Connection (rev. 0x10)',
      'pciback0 at pci0 dev 31 function 6: I219-LM Ethernet Connection (rev. 0x10)',
    )
    const c = compareWithNative(parseAttachmentTree(native, 'n'), parseAttachmentTree(hidden, 'd'))
    expect(c.lost.map((l) => l.node.name)).toEqual(['virtio0'])
  })

  it('without dmesg-native.boot, or with one that is a Xen boot or garbage, the dom0 dmesg passes alone', () => {
    const dom0 = read(NATIVE_DUMP, 'dmesg.boot')
    for (const native of [undefined, dom0, '', 'garbage\n\u0000\n']) {
      const texts: Record<string, string> = {'dmesg.boot': dom0}
      if (native !== undefined) texts['dmesg-native.boot'] = native
      const f = finding(checkTexts(texts), 'hardware.dom0-drivers')
      expect(f.status).toBe('pass')
    }
  })

  it('compareWithNative is total', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        (a, b) => void compareWithNative(parseAttachmentTree(a, 'a'), parseAttachmentTree(b, 'b')),
      ),
    )
  })
})

describe('--release', () => {
  it('normalises NetBSD release numbers and refuses anything else', () => {
    expect(plannedRelease('10')).toBe('10.0')
    expect(plannedRelease('10.1')).toBe('10.1')
    expect(plannedRelease('10.99.12')).toBe('10.99.12')
    for (const bad of ['', 'ten', '10.x', '-1', '0', '10.1.2.3', '10 ']) {
      if (bad === '10 ') expect(plannedRelease(bad)).toBe('10.0')
      else expect(() => plannedRelease(bad)).toThrow(/--release/)
    }
  })

  it('a NetBSD 9 GENERIC dmesg planned for 10 is compared with netbsd-10 XEN3_DOM0', () => {
    const dmesg = read('synthetic-netbsd10-hw-virtio-guest', 'dmesg.boot').replace(
      'NetBSD 10.0 (GENERIC)',
      'NetBSD 9.3 (GENERIC)',
    )
    expect(statusOf(checkTexts({'dmesg.boot': dmesg}), 'hardware.dom0-drivers')).toBe('unknown')
    const texts = {'dmesg.boot': dmesg}
    const f = runChecks(builtinRegistry(), MemoryEvidenceSet.fromTexts(texts), {
      target: 'dom0',
      release: '10.0',
    }).findings.filter((x) => x.id === 'hardware.dom0-drivers')
    expect(f.find((x) => x.subject === 'root disk')).toMatchObject({status: 'fail'})
    expect(f.find((x) => x.subject === 'root disk')!.message).toContain('planned NetBSD 10.0, --release')
  })

  it('a dom0 running 10 planned for 9 has no table: unknown with the command that makes one', () => {
    const f = withRelease(NATIVE_DUMP, '9.4').filter((x) => x.id === 'hardware.dom0-drivers')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({status: 'unknown'})
    expect(f[0]!.message).toContain('NetBSD 9.4 (--release) (netbsd-9)')
  })

  it('the same branch as the running dom0: its own dmesg still answers', () => {
    expect(
      withRelease(NATIVE_DUMP, '10.1').find((x) => x.id === 'hardware.dom0-drivers' && x.subject === 'network'),
    ).toMatchObject({status: 'warn'})
  })
})
