// Issue 15: every case has a fixture dump, and this table states the verdict each check must give on it.
// The dumps' README.md files tell each story; docs/sources/today-rules.md has the sources of the rules.
import {describe, expect, it} from 'vitest'
import type {Target} from '../../../src/engine/types.js'
import {checkDump} from '../../helpers.js'

const CASES: Array<[dump: string, target: Target, verdicts: Record<string, string>]> = [
  [
    'synthetic-netbsd10-xen420-dom0-today',
    'dom0',
    {
      'boot.xen-entry': 'pass',
      'boot.xen-cmdline': 'pass',
      'boot.method': 'pass',
      'kernel.xen': 'pass',
      'kernel.dom0': 'pass',
      'kernel.native-backup': 'pass',
      'kernel.stale': 'pass',
      'netbsd.release': 'pass',
      'xen.running': 'pass',
      'xen.devices': 'pass',
      'xen.daemons': 'pass',
      'xen.toolstack': 'pass',
      'cpu.64bit': 'pass',
    },
  ],
  ['synthetic-bootcfg-multiboot-before-load', 'dom0', {'boot.xen-entry': 'fail'}],
  ['synthetic-bootcfg-global-load-kmod-first', 'dom0', {'boot.xen-entry': 'fail'}],
  ['synthetic-bootcfg-global-load-dom0', 'dom0', {'boot.xen-entry': 'pass', 'kernel.dom0': 'pass'}],
  ['synthetic-netbsd10-xen420-generic-dom0-module', 'dom0', {'kernel.dom0': 'fail'}],
  ['synthetic-netbsd10-xen420-netbsd-as-dom0-module', 'dom0', {'kernel.dom0': 'warn'}],
  ['synthetic-netbsd10-xen420-pvh-xen3dom0', 'dom0', {'kernel.dom0': 'fail'}],
  ['synthetic-netbsd10-xen420-pvh-no-vmx', 'dom0', {'cpu.hvm': 'fail', 'boot.xen-cmdline': 'fail'}],
  ['synthetic-netbsd10-xen420-pvh-no-iommu', 'dom0', {'boot.xen-cmdline': 'fail'}],
  ['synthetic-netbsd10-xen420-pvh-passthrough', 'pci-passthrough', {'pci.versions': 'fail'}],
  [
    'synthetic-netbsd10-xen420-pvh-generic',
    'dom0',
    {'kernel.dom0': 'warn', 'kernel.native-backup': 'pass', 'boot.xen-cmdline': 'pass'},
  ],
  ['synthetic-netbsd93-pvh-dom0', 'dom0', {'kernel.dom0': 'fail'}],
  ['synthetic-netbsd10-xen418-running-xentools420', 'dom0', {'xen.running': 'fail'}],
  ['synthetic-netbsd82-preinstall', 'dom0', {'netbsd.release': 'fail'}],
  [
    'synthetic-netbsd10-i386-32bit-cpu-preinstall',
    'dom0',
    {'cpu.64bit': 'fail', 'netbsd.release': 'fail', 'cpu.pae': 'n/a'},
  ],
  ['synthetic-netbsd10-xen420-xendomains-yes', 'dom0', {'xen.daemons': 'fail'}],
  ['synthetic-netbsd10-xen420-xendomains-missing-config', 'dom0', {'xen.daemons': 'fail'}],
  ['synthetic-netbsd10-xen420-missing-xsd-kva', 'dom0', {'xen.devices': 'fail'}],
  ['synthetic-netbsd10-xen420-pciback-passthrough', 'pci-passthrough', {'pci.versions': 'fail'}],
  ['synthetic-netbsd10-xen420-pv-linear-pt-false', 'dom0', {'boot.xen-cmdline': 'fail'}],
  ['synthetic-netbsd10-xen420-cmdline-typo', 'dom0', {'boot.xen-cmdline': 'warn'}],
  ['synthetic-netbsd10-xen420-dom0-mem-changed', 'dom0', {'boot.xen-cmdline': 'warn'}],
  ['synthetic-netbsd10-xen420-pkg-xen-gz-path', 'dom0', {'kernel.xen': 'pass', 'kernel.stale': 'pass'}],
  ['synthetic-netbsd10-xen420-stale-xen-gz', 'dom0', {'kernel.stale': 'warn'}],
  ['synthetic-netbsd10-dom0-kernel-older-than-userland', 'dom0', {'kernel.stale': 'fail'}],
  ['synthetic-netbsd10-xen420-no-hotplug-scripts', 'dom0', {'xen.toolstack': 'fail'}],
  ['synthetic-netbsd10-xen420-uefi-bootcfg', 'dom0', {'boot.method': 'pass', 'boot.xen-entry': 'pass'}],
  ['synthetic-netbsd10-uefi-grub-legacy', 'dom0', {'boot.method': 'fail'}],
  ['synthetic-netbsd10-xen420-inconsistent-evidence', 'dom0', {'host.consistency': 'warn'}],
]

describe('issue 15 verdicts on the fixture dumps', () => {
  for (const [dump, target, verdicts] of CASES) {
    it(`${dump} (${target})`, () => {
      const findings = checkDump(dump, target)
      const got = Object.fromEntries(
        Object.keys(verdicts).map((id) => [id, findings.filter((f) => f.id === id).map((f) => f.status)]),
      )
      // A check may give several findings (subjects); the stated verdict is the worst of them.
      const order = ['pass', 'n/a', 'unknown', 'warn', 'fail', 'error']
      const worst = Object.fromEntries(
        Object.entries(got).map(([id, s]) => [
          id,
          s.length === 0 ? 'missing' : s.reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a)),
        ]),
      )
      expect(worst).toEqual(verdicts)
    })
  }
})
