import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import type {CheckContext, EvidenceSet, Finding, PluginDefinition, Target} from '../../../src/engine/types.js'
import {fact} from '../../../src/engine/types.js'
import type {DomuFacts} from '../../../src/plugins/facts.js'
import {builtinPlugins} from '../../../src/plugins/index.js'
import {numberedLines} from '../../../src/parsers/lines.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {builtinRegistry, dumpPath, finding, fixture} from '../../helpers.js'

/**
 * A stand-in for the domU plugin's `domu` facts (written concurrently): only `pci = [ '...', ... ]`
 * on one line, enough for these tests. Used only while no built-in plugin provides `domu`.
 */
const fakeDomuPlugin: PluginDefinition = {
  name: 'fakedomu',
  title: 'test stand-in for the domu facts',
  evidence: [],
  facts: [
    {
      name: 'domu',
      derive(ctx: CheckContext): DomuFacts {
        const configs = ctx.evidence.names('files/usr/pkg/etc/xen/*').flatMap((source) => {
          const e = ctx.evidence.get(source)
          if (!e.present) return []
          const hit = numberedLines(e.text).find((l) => /^\s*pci\s*=/.test(l.text))
          const values: DomuFacts['configs'][number]['values'] = {}
          if (hit)
            values.pci = fact(
              [...hit.text.matchAll(/'([^']*)'/g)].map((m) => m[1]!),
              source,
              hit.line,
              hit.text,
            )
          return [{source, values, errors: []}]
        })
        return {configs}
      },
    },
  ],
  checks: [],
}

const hasDomu = builtinPlugins.some((p) => (p.facts ?? []).some((f) => f.name === 'domu'))
const registry = builtinRegistry(hasDomu ? [] : [fakeDomuPlugin])
const run = (evidence: EvidenceSet, target: Target = 'pci-passthrough'): Finding[] =>
  runChecks(registry, evidence, {target, only: ['pci']}).findings
const dump = (name: string, target: Target = 'pci-passthrough') => run(new DumpEvidenceSet(dumpPath(name)), target)
const texts = (t: Record<string, string>, target: Target = 'pci-passthrough') =>
  run(MemoryEvidenceSet.fromTexts(t), target)

const XEN31 = {
  'uname.txt':
    'NetBSD xen0 5.1 NetBSD 5.1 (XEN3PAE_DOM0) #0: Sat Nov  6 13:19:33 UTC 2010  builds@b8.netbsd.org:/x/XEN3PAE_DOM0 i386\n',
  'dmesg.boot': 'hypervisor0 at mainbus0: Xen version 3.1.4\npci0 at hypervisor0 bus 0: configuration mode 1\n',
}
const menu = (args: string) =>
  `default=0\ntitle Xen\n  kernel (hd0,a)/xen.gz dom0_mem=262144\n  module (hd0,a)/netbsd bootdev=wd0a ro console=tty0 ${args}\n`
const PCICTL =
  '000:00:0: Intel 82441FX (PMC) PCI and Memory Controller (host bridge, revision 0x02)\n000:01:0: Intel 82371SB (PIIX3) PCI-ISA Bridge (ISA bridge)\n000:02:0: vendor 1234 product 1111 (VGA display, revision 0x02)\n000:10:0: Intel i82557 Fast Ethernet (ethernet network, revision 0x08)\n000:06:0: Intel 82801AA USB UHCI (USB serial bus, UHCI)\n'

describe('pci checks on dumps', () => {
  it('passes a working setup: device 20 (pcictl) hidden as (00:14.0), attached to pciback and in /kern/xen/pci', () => {
    const f = dump('synthetic-netbsd51-xen31-pciback-xeon-ok')
    expect(finding(f, 'pci.hide-syntax').status).toBe('pass')
    expect(finding(f, 'pci.hide-exists', '00:14.0').message).toMatch(
      /00:14.0 \(pcictl 000:20:0\) is Intel 8 Series USB xHCI/,
    )
    expect(finding(f, 'pci.hide-exists', '00:14.0').evidence).toContainEqual(
      expect.objectContaining({source: 'pcictl-pci0.txt', line: 4}),
    )
    expect(finding(f, 'pci.not-isa-vga', '07:00.0').status).toBe('pass')
    expect(finding(f, 'pci.attached', '00:14.0').status).toBe('pass')
    expect(finding(f, 'pci.attached', '07:00.0').evidence).toContainEqual(
      expect.objectContaining({source: 'dmesg.boot', line: 19}),
    )
    expect(f.filter((x) => x.id === 'pci.versions').map((x) => x.status)).toEqual(['pass', 'pass'])
    expect(f.filter((x) => x.id === 'pci.domu-match').map((x) => x.status)).toEqual(['pass', 'pass'])
    expect(finding(f, 'pci.domu-match', 'files/usr/pkg/etc/xen/usbdomu: 0000:00:14.0').remedy).toBe('')
    expect(finding(f, 'pci.iommu').status).toBe('warn')
    expect(finding(f, 'pci.iommu').message).toMatch(/unknown/)
  })

  it('fails a broken setup: wrong separator, VGA hidden, missing device, not attached, domU mismatch and sharing', () => {
    const f = dump('synthetic-netbsd51-xen31-pciback-qemu-broken')
    const syntax = finding(f, 'pci.hide-syntax')
    expect(syntax.status).toBe('fail')
    expect(syntax.message).toMatch(/group \(00:0a:0\) at position 16: wrong separator/)
    expect(syntax.message).toMatch(/Also: .*bus "0" has 1 digit/)
    expect(syntax.evidence[0]).toMatchObject({source: 'files/grub/menu.lst', line: 6})
    expect(finding(f, 'pci.hide-exists', '00:09.0').status).toBe('fail')
    expect(finding(f, 'pci.hide-exists', '00:04.0').status).toBe('pass')
    const vga = finding(f, 'pci.not-isa-vga', '00:02.0')
    expect(vga.status).toBe('fail')
    expect(vga.message).toMatch(/primary VGA adapter/)
    expect(finding(f, 'pci.not-isa-vga', '00:09.0').status).toBe('unknown')
    const att = finding(f, 'pci.attached', '00:04.0')
    expect(att.status).toBe('fail')
    expect(att.message).toMatch(/vioif0 attached to it instead/)
    const notHidden = finding(f, 'pci.domu-match', 'files/usr/pkg/etc/xen/netdomu: 0000:00:05.0')
    expect(notHidden.status).toBe('fail')
    expect(notHidden.remedy).toMatch(/pciback.hide=\(00:02.0\)\(00:09.0\)\(00:04.0\)\(00:05.0\)/)
    expect(notHidden.remedy).toMatch(/xpci\* at xenbus \?/)
    expect(finding(f, 'pci.domu-match', '00:04.0').status).toBe('warn')
  })

  it('is n/a for --target dom0 when nothing uses pass-through, and runs when the config does', () => {
    const f = dump('synthetic-netbsd10-xen420-dom0-xl', 'dom0')
    for (const x of f) expect(x.status).toBe('n/a')
    const g = dump('synthetic-netbsd51-xen31-pciback-qemu-broken', 'dom0')
    expect(finding(g, 'pci.hide-syntax').status).toBe('fail')
  })

  it('quotes the installed package: xenkernel420 says pass-through is not supported; no hide list fails for pci-passthrough', () => {
    const f = dump('synthetic-netbsd10-xen420-dom0-xl')
    const xen = finding(f, 'pci.versions', 'Xen')
    expect(xen.status).toBe('fail')
    expect(xen.message).toContain(
      '"This package contains the 4.20 Xen kernel itself.  PCI passthrough is not supported."',
    )
    expect(xen.message).not.toContain('expected to work')
    expect(finding(f, 'pci.hide-syntax').status).toBe('fail')
    // virt_caps has hvm_directio: the hypervisor uses an IOMMU (issue 17: pass, not an unconditional warning).
    expect(finding(f, 'pci.iommu').status).toBe('pass')
    expect(finding(f, 'pci.iommu').message).toMatch(/uses an IOMMU/)
  })
})

describe('pci checks on small evidence', () => {
  it('catches pcictl decimal copied into pciback.hide (device 10 written as 10, read as 16)', () => {
    const f = texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:10.0)'), 'pcictl-pci0.txt': PCICTL})
    const x = finding(f, 'pci.hide-exists', '00:10.0')
    expect(x.status).toBe('fail')
    expect(x.message).toMatch(/pcictl 000:10:0 is Intel i82557 Fast Ethernet.*\(00:0a.0\)/)
    const ok = texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:0a.0)'), 'pcictl-pci0.txt': PCICTL})
    expect(finding(ok, 'pci.hide-exists', '00:0a.0').status).toBe('pass')
  })

  it('fails an ISA bridge, warns on undocumented forms, fails Linux spelling and the Xen line', () => {
    expect(
      finding(
        texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:01.0)'), 'pcictl-pci0.txt': PCICTL}),
        'pci.not-isa-vga',
        '00:01.0',
      ).status,
    ).toBe('fail')
    expect(
      finding(texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(0000:00:0a.0)')}), 'pci.hide-syntax').status,
    ).toBe('warn')
    expect(
      finding(texts({...XEN31, 'files/grub/menu.lst': menu('xen-pciback.hide=(00:0a.0)')}), 'pci.hide-syntax').message,
    ).toMatch(/Linux's spelling/)
    const onXen = texts({
      ...XEN31,
      'files/grub/menu.lst': 'title Xen\n  kernel (hd0,a)/xen.gz pciback.hide=(00:0a.0)\n  module (hd0,a)/netbsd ro\n',
    })
    expect(finding(onXen, 'pci.hide-syntax').message).toMatch(/Xen hypervisor line/)
  })

  it('fails a list split by a blank: the kernel cuts the command line at spaces', () => {
    const f = texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:0a.0) (00:06.0)')})
    const x = finding(f, 'pci.hide-syntax')
    expect(x.status).toBe('fail')
    expect(x.message).toMatch(/"\(00:06.0\)" is a separate argument/)
  })

  it('says unknown, never pass, when the listing or dmesg is missing', () => {
    const f = texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:0a.0)')})
    expect(finding(f, 'pci.hide-exists', '00:0a.0').status).toBe('unknown')
    expect(finding(f, 'pci.hide-exists', '00:0a.0').remedy).toMatch(/pcictl pci0 list/)
    const noDmesg = texts({'uname.txt': XEN31['uname.txt'], 'files/grub/menu.lst': menu('pciback.hide=(00:0a.0)')})
    expect(finding(noDmesg, 'pci.attached', '00:0a.0').status).toBe('unknown')
    expect(finding(texts({}), 'pci.hide-syntax').status).toBe('unknown')
  })

  it('unknown for a hidden device on a bus pcictl did not list', () => {
    const f = texts({...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(03:00.0)'), 'pcictl-pci0.txt': PCICTL})
    expect(finding(f, 'pci.hide-exists', '03:00.0').status).toBe('unknown')
  })

  it('fails Xen 3.3 and 4.1 per the Howto, and NetBSD 5.0', () => {
    const f = texts({
      'uname.txt': 'NetBSD x 5.0 NetBSD 5.0 (XEN3_DOM0) #0\n',
      'dmesg.boot': 'hypervisor0 at mainbus0: Xen version 4.1.2\n',
      'files/grub/menu.lst': menu('pciback.hide=(00:0a.0)'),
    })
    expect(finding(f, 'pci.versions', 'Xen').status).toBe('fail')
    expect(finding(f, 'pci.versions', 'NetBSD').status).toBe('fail')
  })

  it('reads IOMMU evidence: hvm_directio, xl dmesg disabled', () => {
    const base = {...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:0a.0)')}
    expect(
      finding(texts({...base, 'xl-dmesg.txt': '(XEN) I/O virtualisation disabled\n'}), 'pci.iommu').message,
    ).toMatch(/no usable IOMMU/)
    expect(
      finding(
        texts({
          ...base,
          'xl-info.txt': 'xen_caps               : xen-3.0-x86_32p\nvirt_caps              : hvm hvm_directio\n',
        }),
        'pci.iommu',
      ).evidence[0],
    ).toMatchObject({source: 'xl-info.txt', line: 2})
  })

  it('pci.iommu passes on a real VT-d log whose feature lines say `not enabled.` (XenGT issue 7)', () => {
    const base = {...XEN31, 'files/grub/menu.lst': menu('pciback.hide=(00:0a.0)')}
    const log = readFileSync(fixture('samples', 'xl-dmesg-xengt-issue7-vtd-feature-lines-excerpt.txt'), 'utf8')
    const f = finding(texts({...base, 'xl-dmesg.txt': log}), 'pci.iommu')
    expect(f.status).toBe('pass')
    expect(f.evidence.map((e) => e.line)).toEqual([3])
    const amd = readFileSync(fixture('samples', 'xl-dmesg-xen4145-devuan-amdvi-error-init-snippet.txt'), 'utf8')
    expect(finding(texts({...base, 'xl-dmesg.txt': amd}), 'pci.iommu').status).toBe('fail')
  })

  it('never passes or crashes on garbage evidence', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (hide, pcictl, dmesg) => {
        const f = texts({
          'files/grub/menu.lst': menu(`pciback.hide=${hide.replace(/\s/g, '')}`),
          'pcictl-pci0.txt': pcictl,
          'dmesg.boot': dmesg,
        })
        for (const x of f) expect(x.status).not.toBe('error')
        // Without a running Xen, attachment can never pass.
        const attached = f.filter((y) => y.id === 'pci.attached')
        expect(attached.length).toBeGreaterThan(0)
        for (const x of attached) expect(x.status).not.toBe('pass')
      }),
      {numRuns: 200},
    )
  })
})
