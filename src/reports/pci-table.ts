/**
 * The table `xenready pci` prints: every PCI device with its notations and whether it can be passed through, the
 * current pciback.hide, and for `--device` the exact boot argument and domU line. The pci plugin's facts fill it
 * in (`ctx.facts('pci').table(picked)`); this module holds its shape and its plain-text rendering.
 */

export interface PciTableRow {
  /** The Howto's hex `bus:dev.func`, what pciback.hide takes. */
  bdf: string
  /** pcictl's decimal `bus:dev:func`. */
  pcictl: string
  class: string
  /** What the device is (`vga`, `isa-bridge`, `network`, ...: the pci plugin's device kinds). */
  kind: string
  name: string
  passable: boolean
  why: string
  /** In the effective pciback.hide. */
  hidden: boolean
  source: string
  line: number
}

export interface PciTable {
  rows: PciTableRow[]
  sources: string[]
  /** The current pciback.hide of the boot entry that matters, as written. */
  currentHide?: string
  /** Where it is: `boot.cfg:3`. */
  currentHideAt?: string
  /** For `--device`: the boot argument and the domU line. */
  selection?: PciSelection
  /** Why no listing could be read, when none was (`lspci.txt: \`lspci -nn\`: not found: lspci`). */
  unlisted?: string[]
}

export interface PciSelection {
  devices: string[]
  hide: string
  domuLine: string
  problems: string[]
  /** Devices picked that the current pciback.hide already hides. */
  alreadyHidden: string[]
  /** Devices the current pciback.hide hides that were not picked: the new argument stops hiding them. */
  dropped: string[]
}

/**
 * Plain-text rendering. With `--device`, what to paste comes first (a person runs this to get that line),
 * then what the current boot line already does, then the device table.
 */
export function renderPciTable(t: PciTable): string {
  const lines: string[] = []
  if (t.selection) lines.push(...renderSelection(t, t.selection), '')
  if (t.rows.length === 0) {
    const why =
      t.sources.length > 0
        ? ` (${t.sources.join(', ')} list none)`
        : t.unlisted?.length
          ? ` (${t.unlisted.join('; ')})`
          : ''
    lines.push(
      `No PCI devices in the evidence${why}: run \`pcictl pci0 list > pcictl-pci0.txt\` (NetBSD) or \`lspci -nn > lspci.txt\` (Linux; lspci is in pciutils).`,
    )
  } else {
    const header = ['BUS:DEV.FN', 'PCICTL', 'PASS', 'HIDDEN', 'CLASS', 'NAME']
    const body = t.rows.map((r) => [r.bdf, r.pcictl, r.passable ? 'yes' : 'no', r.hidden ? 'yes' : '', r.class, r.name])
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
    const fmt = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd()
    lines.push(fmt(header), ...body.map((b) => fmt(b)))
    const notes = t.rows.filter((r) => !r.passable)
    if (notes.length > 0) lines.push('', ...notes.map((r) => `${r.bdf}: ${r.why}`))
    lines.push(
      '',
      `BUS:DEV.FN is hex, as pciback.hide and domU configs write it; PCICTL is pcictl's decimal bus:dev:func (${t.sources.join(', ')}).`,
    )
  }

  if (t.currentHide && !t.selection)
    lines.push(`Current dom0 boot argument: ${t.currentHide}${t.currentHideAt ? ` (${t.currentHideAt})` : ''}`)
  return `${lines.join('\n')}\n`
}

function renderSelection(t: PciTable, s: PciSelection): string[] {
  const lines: string[] = []
  const current = t.currentHide ? `${t.currentHide}${t.currentHideAt ? ` (${t.currentHideAt})` : ''}` : undefined
  const unchanged = current !== undefined && s.dropped.length === 0 && s.alreadyHidden.length === s.devices.length
  if (unchanged) {
    lines.push(`The dom0 line already hides ${s.devices.join(', ')}: ${current}; nothing to change there.`)
  } else {
    lines.push(
      current
        ? `On the dom0 line, replace ${current} with this, then reboot:`
        : 'Add to the dom0 line (grub `module`, boot.cfg `load`), then reboot:',
      `  ${s.hide}`,
    )
  }

  lines.push('In the domU configuration:', `  ${s.domuLine}`)
  if (!unchanged && s.alreadyHidden.length > 0)
    lines.push(`Already hidden by the current ${current}: ${s.alreadyHidden.join(', ')}.`)
  if (s.dropped.length > 0)
    lines.push(
      `WARNING: the current ${current} also hides ${s.dropped.join(', ')}; this line stops hiding ${s.dropped.length === 1 ? 'it' : 'them'}: add ${s.dropped.length === 1 ? 'it' : 'them'} to --device to keep ${s.dropped.length === 1 ? 'it' : 'them'} for domUs.`,
    )
  for (const p of s.problems) lines.push(`WARNING: ${p}`)
  return lines
}
