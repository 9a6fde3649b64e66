import {describe, expect, it} from 'vitest'
import {runChecks} from '../../../src/engine/run.js'
import type {CheckContext, PluginDefinition} from '../../../src/engine/types.js'
import type {PciFacts} from '../../../src/plugins/pci/facts.js'
import {buildPciTable, renderPciTable} from '../../../src/plugins/pci/table.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {builtinRegistry, dumpPath} from '../../helpers.js'

/** The pci facts of a dump, read through the engine by a one-check probe plugin. */
function pciFacts(dump: string): PciFacts {
  let captured: PciFacts | undefined
  const probe: PluginDefinition = {
    name: 'probe',
    title: 'captures the pci facts',
    evidence: [],
    checks: [{id: 'probe.pci', title: 'x', targets: ['pci-passthrough'], evidence: [], description: '', why: '', remedy: '', run(ctx: CheckContext) {
      captured = ctx.facts<PciFacts>('pci')
      return {status: 'pass', message: ''}
    }}],
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
    expect(t.selection).toEqual({devices: ['00:1d.0', '01:00.0'], hide: 'pciback.hide=(00:1d.0)(01:00.0)', domuLine: "pci = [ '0000:00:1d.0', '0000:01:00.0' ]", problems: []})
    expect(renderPciTable(t)).toContain('  pciback.hide=(00:1d.0)(01:00.0)')
  })

  it('warns about VGA, ISA bridges, missing and malformed devices', () => {
    const t = buildPciTable(f, ['06:00.0', '00:1f.0', '0a:00.0', 'nonsense'])
    expect(t.selection?.problems.join('\n')).toMatch(/VGA adapter[\s\S]*ISA bridge[\s\S]*0a:00.0 \(pcictl 010:00:0\) is not in pcictl-pci0.txt[\s\S]*"nonsense"/)
  })
})
