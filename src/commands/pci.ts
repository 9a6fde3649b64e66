import {Flags} from '@oclif/core'
import {XenreadyCommand} from '../cli/base-command.js'
import {registryFor} from '../cli/context.js'
import {UsageError} from '../engine/registry.js'
import {factResolver} from '../engine/run.js'
import type {FactMap} from '../engine/types.js'
import {openSource} from '../evidence/source.js'
import type {OpenedSource} from '../evidence/source.js'
import {userBdfProblem} from '../parsers/pci-address.js'
import {type PciTable, renderPciTable} from '../reports/pci-table.js'
import {errorText} from '../util/error-text.js'

export default class Pci extends XenreadyCommand {
  static override summary =
    'List PCI devices for pass-through: bus:dev.func in hex and pcictl decimal, class, name, whether it can be passed through, and the exact pciback.hide string.'
  static override description = `Reads the PCI listing of this host (\`pcictl pci0 list\` on NetBSD, \`lspci -nn\` on Linux) and its dom0 boot line, or those of a dump with --from (pcictl-<bus>.txt, lspci.txt, the boot configuration).
pcictl prints DECIMAL device numbers; pciback.hide and domU configs need HEX: pcictl 000:10:0 is pciback.hide=(00:0a.0) and pci = [ '0000:00:0a.0' ].

With --device, prints the dom0 boot argument and the domU pci line for those devices (hex bus:dev.func like 00:0a.0, or pcictl's decimal 000:10:0) first, then the table, with a warning for devices that cannot be passed through (primary VGA adapter, ISA bridge, host or PCI bridges), and what the current pciback.hide already hides.
An address that cannot exist (device past 0x1f, function past 7, bus past 0xff) is an error (exit 2).`

  static override examples = [
    {description: 'The devices of this host', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'The devices of a saved dump',
      command: '<%= config.bin %> <%= command.id %> --from examples/dumps/synthetic-netbsd10-xen420-dom0',
    },
    {
      description: 'The pciback.hide string for two devices',
      command: '<%= config.bin %> <%= command.id %> --from dump/ --device 00:14.0,07:00.0',
    },
  ]

  static override enableJsonFlag = true

  static override flags = {
    from: Flags.string({
      char: 'f',
      summary: 'Dump directory or bundle to read instead of this host.',
      helpValue: 'DIR|BUNDLE',
    }),
    device: Flags.string({
      char: 'd',
      summary: 'Devices to pass through: hex bus:dev.func (00:0a.0) or pcictl decimal (000:10:0), comma-separated.',
      delimiter: ',',
      multiple: true,
      helpValue: 'BDF[,BDF...]',
    }),
  }

  async run(): Promise<PciTable> {
    const {flags} = await this.parse(Pci)
    const registry = await registryFor(this)
    const bad = (flags.device ?? []).flatMap((d) => userBdfProblem(d) ?? [])
    if (bad.length > 0) throw new UsageError(`--device ${bad.join(', ')}`)
    let source: OpenedSource
    if (flags.from) {
      source = await openSource(flags.from)
    } else {
      const {liveSource} = await import('../cli/live-source.js')
      source = await liveSource(registry)
    }

    let table: PciTable
    try {
      // The table comes from the pci plugin's facts, through the engine: the command knows no PCI rule itself.
      let pci: FactMap['pci']
      try {
        pci = factResolver(registry, source.evidence, 'pci-passthrough').facts('pci')
      } catch (error) {
        throw new UsageError(`cannot read the PCI facts: ${errorText(error)}`)
      }

      table = pci.table(flags.device ?? [])
      if (table.rows.length === 0 && table.sources.length === 0) {
        const names = ['lspci.txt', ...source.evidence.names('pcictl-{bus}.txt'), 'pcictl-pci0.txt']
        table.unlisted = [...new Set(names)].flatMap((n) => {
          const e = source.evidence.get(n)
          return e.present ? [] : [`${n}: ${e.reason}`]
        })
      }
    } finally {
      await source.close()
    }

    if (!this.jsonEnabled()) process.stdout.write(renderPciTable(table))
    if (table.selection && table.selection.problems.length > 0) process.exitCode = 1
    return table
  }
}
