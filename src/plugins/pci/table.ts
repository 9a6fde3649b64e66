import type {Fact} from '../../engine/types.js'
import {type PciAddress, addressKey, domainBdf, hexBdf, parseUserBdf, pcictlBdf} from './address.js'
import type {PciFacts} from './facts.js'
import {KERNEL_HIDE_BUFFER, formatHide} from './parse-hide.js'
import type {PciDevice} from './parse.js'
import {passability} from './passability.js'

export interface PciTableRow {
  /** The Howto's hex `bus:dev.func`, what pciback.hide takes. */
  bdf: string
  /** pcictl's decimal `bus:dev:func`. */
  pcictl: string
  class: string
  kind: PciDevice['kind']
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
  /** For `--device`: the boot argument and the domU line. */
  selection?: {devices: string[]; hide: string; domuLine: string; problems: string[]}
}

function row(d: Fact<PciDevice>, vgaCount: number, hidden: Set<string>): PciTableRow {
  const p = passability(d.value, vgaCount)
  return {
    bdf: hexBdf(d.value.address),
    pcictl: pcictlBdf(d.value.address),
    class: d.value.classText,
    kind: d.value.kind,
    name: d.value.name,
    passable: p.ok,
    why: p.reason,
    hidden: hidden.has(addressKey(d.value.address)),
    source: d.source,
    line: d.line,
  }
}

/** The device table of `xenready pci`, and the exact pciback.hide string for the devices picked. Pure. */
export function buildPciTable(f: PciFacts, picked: readonly string[] = []): PciTable {
  const vgaCount = f.devices.filter((d) => d.value.kind === 'vga').length
  const hidden = new Set((f.effective?.parse.devices ?? []).map((a) => addressKey(a)))
  const sorted = [...f.devices].sort((a, b) => addressKey(a.value.address).localeCompare(addressKey(b.value.address), 'en', {numeric: true}))
  const table: PciTable = {rows: sorted.map((d) => row(d, vgaCount, hidden)), sources: f.listingSources}
  if (f.effective) table.currentHide = f.effective.arg
  if (picked.length === 0) return table
  const problems: string[] = []
  const chosen: PciAddress[] = []
  for (const text of picked) {
    const a = parseUserBdf(text)
    if (!a) {
      problems.push(`"${text}" is not bus:dev.func in hex (00:0a.0) or pcictl's bus:dev:func in decimal (000:10:0)`)
      continue
    }

    if (a.domain !== 0) problems.push(`${domainBdf(a)}: NetBSD's pciback handles PCI domain 0000 only`)
    if (chosen.some((c) => addressKey(c) === addressKey(a))) continue
    const d = f.devices.find((x) => addressKey(x.value.address) === addressKey(a))
    if (!d && f.devices.length > 0) problems.push(`${hexBdf(a)} (pcictl ${pcictlBdf(a)}) is not in ${f.listingSources.join(', ')}`)
    if (d) {
      const p = passability(d.value, vgaCount)
      if (!p.ok) problems.push(`${hexBdf(a)} is ${d.value.name}: ${p.reason}`)
    }

    chosen.push(a)
  }

  const hide = formatHide(chosen)
  if (hide.length - 'pciback.hide='.length >= KERNEL_HIDE_BUFFER) problems.push(`the list is ${hide.length - 'pciback.hide='.length} characters: the kernel reads at most ${KERNEL_HIDE_BUFFER - 1}`)
  table.selection = {
    devices: chosen.map((a) => hexBdf(a)),
    hide,
    domuLine: `pci = [ ${chosen.map((a) => `'${domainBdf(a)}'`).join(', ')} ]`,
    problems,
  }
  return table
}

/** Plain-text rendering: one line per device, then the strings to paste. */
export function renderPciTable(t: PciTable): string {
  const lines: string[] = []
  if (t.rows.length === 0) {
    lines.push(`No PCI devices in the evidence${t.sources.length > 0 ? ` (${t.sources.join(', ')} list none)` : ''}: run \`pcictl pci0 list > pcictl-pci0.txt\` (NetBSD) or \`lspci -nn > lspci.txt\` (Linux).`)
  } else {
    const header = ['BUS:DEV.FN', 'PCICTL', 'PASS', 'HIDDEN', 'CLASS', 'NAME']
    const body = t.rows.map((r) => [r.bdf, r.pcictl, r.passable ? 'yes' : 'no', r.hidden ? 'yes' : '', r.class, r.name])
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
    const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()
    lines.push(fmt(header), ...body.map((b) => fmt(b)))
    const notes = t.rows.filter((r) => !r.passable)
    if (notes.length > 0) lines.push('', ...notes.map((r) => `${r.bdf}: ${r.why}`))
    lines.push('', `BUS:DEV.FN is hex, as pciback.hide and domU configs write it; PCICTL is pcictl's decimal bus:dev:func (${t.sources.join(', ')}).`)
  }

  if (t.currentHide) lines.push(`Current dom0 boot argument: ${t.currentHide}`)
  if (t.selection) {
    lines.push('', 'Add to the dom0 line (grub `module`, boot.cfg `load`), then reboot:', `  ${t.selection.hide}`, 'In the domU configuration:', `  ${t.selection.domuLine}`)
    for (const p of t.selection.problems) lines.push(`WARNING: ${p}`)
  }

  return `${lines.join('\n')}\n`
}
