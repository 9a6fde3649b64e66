import {describe, expect, it} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import type {CheckContext, PluginDefinition} from '../../../src/engine/types.js'
import type {PciFacts} from '../../../src/plugins/pci/facts.js'
import {buildPciTable} from '../../../src/plugins/pci/table.js'
import {renderPciTable} from '../../../src/reports/pci-table.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {builtinRegistry, dumpPath} from '../../helpers.js'

/** The pci facts of a dump, read through the engine by a one-check probe plugin. */
function pciFacts(dump: string): PciFacts {
  let captured: PciFacts | undefined
  const probe: PluginDefinition = {
    name: 'probe',
    title: 'captures the pci facts',
    evidence: [],
    checks: [
      {
        id: 'probe.pci',
        title: 'x',
        targets: ['pci-passthrough'],
        evidence: [],
        description: '',
        why: '',
        remedy: '',
        run(ctx: CheckContext) {
          captured = ctx.facts('pci')
          return {status: 'pass', message: ''}
        },
      },
    ],
  }
  runChecks(builtinRegistry([probe]), new DumpEvidenceSet(dumpPath(dump)), {target: 'pci-passthrough', only: ['probe']})
  return captured!
}

describe('xenready pci table', () => {
  const f = pciFacts('synthetic-netbsd51-xen31-pciback-xeon-ok')

  it('lists every device in hex and pcictl decimal, with passability and the current hide', () => {
    const t = buildPciTable(f)
    expect(t.rows).toHaveLength(22)
    expect(t.rows.find((r) => r.pcictl === '000:20:0')).toMatchObject({bdf: '00:14.0', passable: true, hidden: true})
    expect(t.rows.find((r) => r.bdf === '06:00.0')).toMatchObject({kind: 'vga', passable: false})
    expect(t.rows.find((r) => r.bdf === '00:1f.0')).toMatchObject({kind: 'isa-bridge', passable: false})
    expect(t.currentHide).toBe('pciback.hide=(00:14.0)(07:00.0)')
    expect(renderPciTable(t)).toMatch(/^BUS:DEV.FN\s+PCICTL\s+PASS/)
  })

  it('prints the exact pciback.hide for --device, accepting pcictl decimal (000:29:0 is 00:1d.0)', () => {
    const t = buildPciTable(f, ['000:29:0', '01:00.0'])
    // What `xenready pci` reads: the same table, through the pci facts.
    expect(f.table(['000:29:0', '01:00.0'])).toEqual(t)
    expect(t.selection).toEqual({
      devices: ['00:1d.0', '01:00.0'],
      hide: 'pciback.hide=(00:1d.0)(01:00.0)',
      domuLine: "pci = [ '0000:00:1d.0', '0000:01:00.0' ]",
      problems: [],
      alreadyHidden: [],
      dropped: ['00:14.0', '07:00.0'],
    })
    const text = renderPciTable(t).split('\n')
    // The line to paste first, the table after it.
    expect(text.slice(0, 4)).toEqual([
      'On the dom0 line, replace pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6) with this, then reboot:',
      '  pciback.hide=(00:1d.0)(01:00.0)',
      'In the domU configuration:',
      "  pci = [ '0000:00:1d.0', '0000:01:00.0' ]",
    ])
    expect(text.findIndex((l) => l.startsWith('BUS:DEV.FN'))).toBeGreaterThan(4)
    expect(text).toContain(
      'WARNING: the current pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6) also hides 00:14.0, 07:00.0; this line stops hiding them: add them to --device to keep them for domUs.',
    )
  })

  it('says which picked devices the current pciback.hide already hides', () => {
    const some = buildPciTable(f, ['00:14.0', '07:00.0', '00:1a.0'])
    expect(some.selection).toMatchObject({
      alreadyHidden: ['00:14.0', '07:00.0'],
      dropped: [],
      hide: 'pciback.hide=(00:14.0)(07:00.0)(00:1a.0)',
    })
    expect(renderPciTable(some)).toContain(
      'Already hidden by the current pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6): 00:14.0, 07:00.0.',
    )
    const all = renderPciTable(buildPciTable(f, ['07:00.0', '000:20:0']))
    expect(all.split('\n')[0]).toBe(
      'The dom0 line already hides 07:00.0, 00:14.0: pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6); nothing to change there.',
    )
    expect(all).not.toContain('WARNING')
  })

  it('without a boot line, says where to add the argument', () => {
    const t = buildPciTable({...f, effective: undefined}, ['00:1a.0'])
    expect(t.selection?.alreadyHidden).toEqual([])
    expect(t.selection?.dropped).toEqual([])
    expect(renderPciTable(t).split('\n').slice(0, 2)).toEqual([
      'Add to the dom0 line (grub `module`, boot.cfg `load`), then reboot:',
      '  pciback.hide=(00:1a.0)',
    ])
  })

  it('warns about VGA, ISA bridges, missing and malformed devices', () => {
    const t = buildPciTable(f, ['06:00.0', '00:1f.0', '0a:00.0', 'nonsense'])
    expect(t.selection?.problems.join('\n')).toMatch(
      /VGA adapter[\s\S]*ISA bridge[\s\S]*0a:00.0 \(pcictl 010:00:0\) is not in pcictl-pci0.txt[\s\S]*"nonsense"/,
    )
    expect(buildPciTable(f, ['00:20.0']).selection?.problems).toEqual([
      '00:20.0: device 0x20 is past 0x1f (a bus has devices 00-1f)',
    ])
  })
})
