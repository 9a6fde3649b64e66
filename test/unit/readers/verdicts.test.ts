// Issue 17: the verdicts the fixture dumps built from the readers' samples state in their README.md.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {deriveXenFacts} from '../../../src/plugins/xen/facts.js'
import type {Target} from '../../../src/engine/types.js'
import {foldFindings} from '../../../src/reports/fold.js'
import {renderMarkdown} from '../../../src/reports/markdown.js'
import {buildReport} from '../../../src/reports/report.js'
import {checkDump, checkTexts, finding, fixture, statusOf} from '../../helpers.js'

const table: Array<[dump: string, target: Target, id: string, status: string]> = [
  ['synthetic-netbsd5-i386-attach-line-686', 'dom0', 'cpu.i686', 'pass'],
  ['synthetic-netbsd5-i386-attach-line-686', 'dom0', 'cpu.hvm', 'unknown'],
  ['synthetic-netbsd5-i386-attach-line-686', 'dom0', 'cpu.64bit', 'unknown'],
  // Issue 15: PAE is judged only for a dom0 of the Xen 3.x/4.1 era; this host runs no Xen.
  ['synthetic-netbsd5-i386-attach-line-686', 'dom0', 'cpu.pae', 'n/a'],
  ['synthetic-netbsd5-amd64-attach-line-brand', 'dom0', 'cpu.i686', 'pass'],
  ['synthetic-netbsd5-amd64-attach-line-brand', 'hvm', 'cpu.hvm', 'unknown'],
  ['netbsd10-microvm-kvm-plain-dmesg', 'dom0', 'cpu.i686', 'pass'],
  ['netbsd10-microvm-kvm-plain-dmesg', 'hvm', 'cpu.hvm', 'unknown'],
  ['synthetic-netbsd10-i386-586-class', 'dom0', 'cpu.i686', 'fail'],
  ['synthetic-netbsd10-i386-486-class', 'dom0', 'cpu.i686', 'fail'],
  ['synthetic-xen420-vmx-nohap-iommu-off-tsc-stamps', 'dom0', 'cpu.hvm', 'pass'],
  ['synthetic-xen420-vmx-nohap-iommu-off-tsc-stamps', 'hvm', 'cpu.hvm', 'warn'],
  ['synthetic-xen420-vmx-nohap-iommu-off-tsc-stamps', 'pci-passthrough', 'pci.iommu', 'fail'],
  ['synthetic-xen419-vtd-date-stamps', 'hvm', 'cpu.hvm', 'pass'],
  ['synthetic-xen419-vtd-date-stamps', 'pci-passthrough', 'pci.iommu', 'pass'],
  ['synthetic-xen418-svm-bios-off-no-iommu', 'dom0', 'cpu.hvm', 'warn'],
  ['synthetic-xen418-svm-bios-off-no-iommu', 'hvm', 'cpu.hvm', 'fail'],
  ['synthetic-xen418-svm-bios-off-no-iommu', 'pci-passthrough', 'pci.iommu', 'fail'],
  ['xen4145-devuan-amd-svm-amdvi-xl-dmesg', 'hvm', 'cpu.hvm', 'pass'],
  ['xen4145-devuan-amd-svm-amdvi-xl-dmesg', 'pci-passthrough', 'pci.iommu', 'pass'],
  ['synthetic-xl-info-svm-no-directio', 'hvm', 'cpu.hvm', 'pass'],
  ['synthetic-xl-info-svm-no-directio', 'dom0', 'cpu.64bit', 'pass'],
  ['synthetic-xl-info-svm-no-directio', 'pci-passthrough', 'pci.iommu', 'fail'],
]

describe('reader verdicts on the fixture dumps', () => {
  for (const [dump, target, id, status] of table) {
    it(`${dump} --target ${target}: ${id} ${status}`, () => {
      expect(statusOf(checkDump(dump, target), id)).toBe(status)
    })
  }

  it('a plain dmesg says its unknown once: cpu.hvm and cpu.64bit fold into one line with one fix', () => {
    const findings = checkDump('synthetic-netbsd5-i386-attach-line-686', 'dom0', ['cpu'])
    const folded = foldFindings(findings).filter((f) => f.status === 'unknown')
    expect(folded).toHaveLength(1)
    expect(folded[0]!.id).toBe('cpu.hvm, cpu.64bit')
    expect(folded[0]!.remedy).toContain('cpuctl identify 0')
    // Markdown too: one row for both ids.
    const md = renderMarkdown(
      buildReport({version: 't', source: 'd', target: 'dom0', findings, pluginErrors: [], only: ['cpu']}),
    )
    expect(md.split('\n').filter((l) => l.includes('no features lines'))).toEqual([
      expect.stringMatching(/^\| UNKNOWN \| `cpu\.hvm, cpu\.64bit` \|/),
    ])
  })

  it('the 586-class finding names the line and the class', () => {
    const f = finding(checkDump('synthetic-netbsd10-i386-586-class', 'dom0'), 'cpu.i686')
    expect(f.message).toContain('586-class')
    expect(f.evidence[0]).toMatchObject({source: 'dmesg.boot', line: 4})
  })

  it('the boot log beats a dom0 kernel that hides VMX', () => {
    const log = '(XEN) HVM: VMX enabled\n'
    const uname =
      'NetBSD h 10.0 NetBSD 10.0 (XEN3_DOM0) #0: Thu Mar 28 08:33:33 UTC 2024  mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOM0 amd64\n'
    expect(statusOf(checkTexts({'xl-dmesg.txt': log, 'uname.txt': uname}, 'hvm', ['cpu']), 'cpu.hvm')).toBe('pass')
    expect(statusOf(checkTexts({'uname.txt': uname}, 'hvm', ['cpu']), 'cpu.hvm')).toBe('unknown')
    // A running amd64 kernel answers 64-bit and PAE without features lines.
    expect(statusOf(checkTexts({'uname.txt': uname}, 'dom0', ['cpu']), 'cpu.64bit')).toBe('pass')
  })

  it('`cpu0: SVM disabled by the BIOS` fails hvm although SVM is among the features', () => {
    const text =
      '[   1.0] cpu0: AMD Opteron(tm) Processor 6172, id 0x100f91\n[   1.0] cpu0: SVM disabled by the BIOS\n[   1.0] cpu0: features3 0x37ff<LAHF,CMPLEGACY,SVM>\n'
    const f = finding(checkTexts({'dmesg.boot': text}, 'hvm', ['cpu']), 'cpu.hvm')
    expect(f.status).toBe('fail')
    expect(f.evidence[0]).toMatchObject({line: 2})
  })

  it('HAP not detected is named on the pass and is the warn for --target hvm', () => {
    expect(finding(checkDump('synthetic-xen420-vmx-nohap-iommu-off-tsc-stamps', 'hvm'), 'cpu.hvm').message).toContain(
      'shadow paging',
    )
    const plain = '(XEN) HVM: VMX enabled\n(XEN) HVM: Hardware Assisted Paging (HAP) not detected\n'
    const dom0 = finding(checkTexts({'xl-dmesg.txt': plain}, 'dom0', ['cpu']), 'cpu.hvm')
    expect(dom0).toMatchObject({status: 'pass'})
    expect(dom0.message).toContain('shadow paging')
    expect(finding(checkTexts({'xl-dmesg.txt': plain}, 'hvm', ['cpu']), 'cpu.hvm').status).toBe('warn')
  })

  it('HAP not detected is a warn for a PVH dom0 whatever the target: the dom0 itself runs on shadow paging', () => {
    const plain = '(XEN) HVM: VMX enabled\n(XEN) HVM: Hardware Assisted Paging (HAP) not detected\n'
    const bootCfg = 'menu=Xen PVH:load /netbsd-GENERIC console=pc;multiboot /xen.gz dom0_mem=2048M dom0=pvh\n'
    const f = finding(
      checkTexts({'xl-dmesg.txt': plain, 'files/boot.cfg': bootCfg}, 'dom0', ['cpu', 'boot']),
      'cpu.hvm',
    )
    expect(f.status).toBe('warn')
    expect(f.message).toContain('the PVH dom0 itself')
    expect(f.remedy).toContain('dom0=pvh')
    // The same log without dom0=pvh on the boot entry: a PV dom0 only notes it.
    const pv = 'menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=2048M\n'
    expect(
      finding(checkTexts({'xl-dmesg.txt': plain, 'files/boot.cfg': pv}, 'dom0', ['cpu', 'boot']), 'cpu.hvm').status,
    ).toBe('pass')
  })

  it('the Xen command line of the boot log is a xen fact when xl info is missing; xl info wins when present', () => {
    const log = readFileSync(fixture('samples', 'synthetic-xl-dmesg-xen420-vmx-nohap-tsc-timestamps.txt'), 'utf8')
    const noHost = () => {
      throw new Error('no host')
    }

    const fromLog = deriveXenFacts({evidence: MemoryEvidenceSet.fromTexts({'xl-dmesg.txt': log}), facts: noHost})
    expect(fromLog.commandLine).toMatchObject({
      source: 'xl-dmesg.txt',
      line: 3,
      value: 'dom0_mem=2048M,max:2048M console_timestamps=raw loglvl=all dom0=pvh',
    })
    expect(fromLog.runningVersion?.value).toBe('4.20.1')
    const info = readFileSync(fixture('samples', 'xl-info-alpine-xen419-linux-dom0.txt'), 'utf8')
    const fromInfo = deriveXenFacts({
      evidence: MemoryEvidenceSet.fromTexts({'xl-dmesg.txt': log, 'xl-info.txt': info}),
      facts: noHost,
    })
    expect(fromInfo.commandLine?.source).toBe('xl-info.txt')
  })
})
