import {describe, expect, it} from 'vitest'
import {collect} from '../../../src/evidence/collect.js'
import {checkTexts, finding} from '../../helpers.js'
import {readFileSync} from 'node:fs'
import {fixture} from '../../helpers.js'

describe('library probes', () => {
  it('systeminformation names the virtualization of this host as key: value lines', async () => {
    const {evidence, entries} = await collect(
      [{kind: 'library', name: 'linux-virt.txt', description: 'd', library: 'systeminformation.system'}],
      {os: 'linux', timeoutMs: 20_000, concurrency: 1},
    )
    const e = evidence.get('linux-virt.txt')!
    expect(e.present).toBe(true)
    if (e.present) expect(e.text).toMatch(/^virtual: (true|false)\nvirtualHost: .*\n/)
    expect(entries[0]).toMatchObject({name: 'linux-virt.txt', exitCode: 0, timedOut: false})
  })

  it('an unknown probe is missing evidence with the reason, not a crash', async () => {
    const {evidence} = await collect([{kind: 'library', name: 'x.txt', description: 'd', library: 'no-such-probe'}], {
      os: 'linux',
      timeoutMs: 1000,
      concurrency: 1,
    })
    expect(evidence.get('x.txt')).toMatchObject({present: false, reason: expect.stringContaining('no such probe')})
  })

  it('the CPU checks name the hypervisor the probe found', () => {
    const cpuinfo = readFileSync(fixture('samples', 'linux-proc-cpuinfo-amd-epyc-vm-nosvm.txt'), 'utf8')
    const f = finding(
      checkTexts({'proc-cpuinfo.txt': cpuinfo, 'linux-virt.txt': 'virtual: true\nvirtualHost: KVM\n'}, 'hvm', [
        'cpu.hvm',
      ]),
      'cpu.hvm',
    )
    expect(f.message).toContain('runs under a hypervisor (KVM)')
    expect(f.evidence[0]).toEqual({source: 'linux-virt.txt', line: 2, text: 'virtualHost: KVM'})
  })
})
