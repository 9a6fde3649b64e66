import type {CheckContext, Fact} from '../../engine/types.js'
import {findXenHypervisorLine} from '../../parsers/dmesg.js'
import {parseKeyValues} from '../../parsers/key-value.js'
import type {BootEntry, BootFacts} from '../facts.js'
import {type BootCfg, parseBootCfg} from './parse-bootcfg.js'
import {type GrubConfig, parseGrubMenu} from './parse-grub.js'
import {type Dom0Mem, absoluteBytes, findDmesgTotalMemory, parseDom0Mem} from './parse-memory.js'

export const GRUB_MENUS = ['files/grub/menu.lst', 'files/boot/grub/menu.lst'] as const
export const BOOT_CFG = 'files/boot.cfg'
export const BOOT_CONFIGS = [...GRUB_MENUS, BOOT_CFG] as const

export interface BootFactsFull extends BootFacts {
  grub?: GrubConfig
  bootCfg?: BootCfg
  /** Evidence names of the bootloader configurations read. */
  configSources: string[]
  /** `dom0_mem=` of each Xen entry, parsed (min/max/percent forms kept), by entry index in `entries`. */
  dom0Mem: Map<BootEntry, {value: Dom0Mem | undefined; raw: string}>
  /**
   * Where `physicalMemory` came from. On a host already running Xen, `hw.physmem64` and dmesg show only
   * dom0's share, so the machine's memory comes from `xl info`/`xm info` `total_memory` instead.
   */
  memorySource?: 'xl-info' | 'sysctl' | 'dmesg'
  /** Set when this host already runs under Xen (dmesg hypervisor line, or a DOM0/DOMU kernel in uname). */
  underXen?: Fact<string>
  /** What the running kernel sees (dom0's share when under Xen), in bytes. */
  kernelMemory?: Fact<number>
}

/** The `dom0_mem=` argument of a Xen line (the last one wins, as in Xen's command line parser). */
export function dom0MemArg(entry: BootEntry): string | undefined {
  const args = entry.xen?.args ?? []
  let value: string | undefined
  for (const a of args) if (a.startsWith('dom0_mem=')) value = a.slice('dom0_mem='.length)
  return value
}

export function deriveBootFacts(ctx: Pick<CheckContext, 'evidence' | 'facts'>): BootFactsFull {
  const facts: BootFactsFull = {loaders: [], entries: [], configSources: [], dom0Mem: new Map()}
  for (const name of GRUB_MENUS) {
    const e = ctx.evidence.get(name)
    if (!e.present || facts.grub) continue
    facts.grub = parseGrubMenu(e.text, name)
    facts.loaders.push('grub')
    facts.configSources.push(name)
    facts.entries.push(...facts.grub.entries)
  }

  const cfg = ctx.evidence.get(BOOT_CFG)
  if (cfg.present) {
    facts.bootCfg = parseBootCfg(cfg.text, BOOT_CFG)
    facts.loaders.push('netbsd')
    facts.configSources.push(BOOT_CFG)
    facts.entries.push(...facts.bootCfg.entries)
  }

  for (const entry of facts.entries) {
    const raw = dom0MemArg(entry)
    if (raw === undefined) continue
    const value = parseDom0Mem(raw)
    facts.dom0Mem.set(entry, {value, raw})
    const bytes = absoluteBytes(value?.amount)
    if (bytes !== undefined) entry.dom0MemBytes = bytes
  }

  const host = ctx.facts('host')
  const dmesg = ctx.evidence.get('dmesg.boot')
  const hv = dmesg.present ? findXenHypervisorLine(dmesg.text, 'dmesg.boot') : undefined
  if (hv) facts.underXen = {...hv, value: `Xen ${hv.value}`}
  else if (host.uname && /\([A-Z0-9_]*XEN[A-Z0-9_]*DOM[0U][A-Z0-9_]*\)/.test(host.uname.value))
    facts.underXen = {...host.uname, value: 'a Xen kernel'}

  const physmem = host.sysctl['hw.physmem64'] ?? host.sysctl['hw.physmem']
  if (physmem && /^\d+$/.test(physmem.value)) facts.kernelMemory = {...physmem, value: Number(physmem.value)}
  if (!facts.kernelMemory && dmesg.present) {
    const total = findDmesgTotalMemory(dmesg.text, 'dmesg.boot')
    if (total) facts.kernelMemory = total
  }

  for (const name of ['xl-info.txt', 'xm-info.txt']) {
    const info = ctx.evidence.get(name)
    if (!info.present) continue
    const total = parseKeyValues(info.text, name, ':').total_memory
    if (total && /^\d+$/.test(total.value)) {
      facts.physicalMemory = {...total, value: Number(total.value) * 1024 * 1024}
      facts.memorySource = 'xl-info'
      break
    }
  }

  if (!facts.physicalMemory && facts.kernelMemory && !facts.underXen) {
    facts.physicalMemory = facts.kernelMemory
    facts.memorySource = facts.kernelMemory.source === 'dmesg.boot' ? 'dmesg' : 'sysctl'
  }

  return facts
}

/** `ctx.facts('boot')` is typed by this entry (the plugin API's FactMap, src/engine/types.ts). */
declare module '../../engine/types.js' {
  interface FactMap {
    boot: BootFactsFull
  }
}
