import type {Fact} from '../../engine/types.js'
import type {PciTable, PciTableRow} from '../../reports/pci-table.js'
import {
  type PciAddress,
  addressKey,
  domainBdf,
  hexBdf,
  parseUserBdf,
  pcictlBdf,
  userBdfProblem,
} from '../../parsers/pci-address.js'
import type {PciFacts} from './facts.js'
import {KERNEL_HIDE_BUFFER, formatHide} from './parse-hide.js'
import type {PciDevice} from './parse-listing.js'
import {passability} from './passability.js'

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
  const sorted = [...f.devices].sort((a, b) =>
    addressKey(a.value.address).localeCompare(addressKey(b.value.address), 'en', {numeric: true}),
  )
  const table: PciTable = {rows: sorted.map((d) => row(d, vgaCount, hidden)), sources: f.listingSources}
  if (f.effective) {
    table.currentHide = f.effective.arg
    table.currentHideAt = `${f.effective.ref.source}:${f.effective.ref.line}`
  }

  if (picked.length === 0) return table
  const problems: string[] = []
  const chosen: PciAddress[] = []
  for (const text of picked) {
    const a = parseUserBdf(text)
    if (!a) {
      problems.push(userBdfProblem(text)!)
      continue
    }

    if (a.domain !== 0) problems.push(`${domainBdf(a)}: NetBSD's pciback handles PCI domain 0000 only`)
    if (chosen.some((c) => addressKey(c) === addressKey(a))) continue
    const d = f.devices.find((x) => addressKey(x.value.address) === addressKey(a))
    if (!d && f.devices.length > 0)
      problems.push(`${hexBdf(a)} (pcictl ${pcictlBdf(a)}) is not in ${f.listingSources.join(', ')}`)
    if (d) {
      const p = passability(d.value, vgaCount)
      if (!p.ok) problems.push(`${hexBdf(a)} is ${d.value.name}: ${p.reason}`)
    }

    chosen.push(a)
  }

  const hide = formatHide(chosen)
  if (hide.length - 'pciback.hide='.length >= KERNEL_HIDE_BUFFER)
    problems.push(
      `the list is ${hide.length - 'pciback.hide='.length} characters: the kernel reads at most ${KERNEL_HIDE_BUFFER - 1}`,
    )
  const pickedKeys = new Set(chosen.map((a) => addressKey(a)))
  table.selection = {
    devices: chosen.map((a) => hexBdf(a)),
    hide,
    domuLine: `pci = [ ${chosen.map((a) => `'${domainBdf(a)}'`).join(', ')} ]`,
    problems,
    alreadyHidden: chosen.filter((a) => hidden.has(addressKey(a))).map((a) => hexBdf(a)),
    dropped: (f.effective?.parse.devices ?? []).filter((a) => !pickedKeys.has(addressKey(a))).map((a) => hexBdf(a)),
  }
  return table
}
