import {type EvidenceRef, type Fact, fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'
import type {BootEntry, BootLine} from '../facts.js'
import {type XenBootPlan, xenBootPlan} from './order.js'

/** NetBSD `/boot.cfg` per boot.cfg(5): `keyword=value` lines, `#` comments, `menu=Label:cmd;cmd`. */
export interface BootCfg {
  source: string
  /** 1-based menu item number (`default=1`). */
  default?: Fact<number>
  /** Seconds; negative or not a number means wait forever. */
  timeout?: Fact<string>
  banner: Array<Fact<string>>
  consdev?: Fact<string>
  /** Global `load=` modules (loaded for every boot). */
  load: BootLine[]
  /** Global `dev=` (boot device). */
  dev?: Fact<string>
  /** Every keyword as written, the last value kept (`clear`, `format`, `userconf`...). */
  settings: Record<string, Fact<string>>
  entries: BootCfgEntry[]
}

export interface BootCfgEntry extends BootEntry {
  loader: 'netbsd'
  /** The commands of the item, split on `;`, each with its word and arguments. */
  commands: Array<{name: string; args: string[]}>
  /** `dev hd0f:` inside the item: later relative paths are read from that device. */
  dev?: string
  /** For a Xen item: the modules Xen receives, in the order the boot loader loads them (order.ts). */
  plan?: XenBootPlan
}

function split(words: string): {path: string; args: string[]} {
  const parts = words.split(/\s+/).filter(Boolean)
  return {path: parts.shift() ?? '', args: parts}
}

function entryOf(label: string, commandText: string, ref: EvidenceRef): BootCfgEntry {
  const entry: BootCfgEntry = {
    loader: 'netbsd',
    label: label || commandText.trim(),
    ref,
    isDefault: false,
    commands: [],
  }
  let boot: BootLine | undefined
  for (const part of commandText.split(';')) {
    const words = part.trim()
    if (!words) continue
    const name = words.split(/\s+/)[0]!
    const rest = words.slice(name.length).trim()
    entry.commands.push({name, args: rest.split(/\s+/).filter(Boolean)})
    if (name === 'multiboot') {
      entry.xen ??= {...split(rest), ref}
    } else if (name === 'boot') {
      // `boot`, `boot -s`, `boot hd1a:netbsd -as`: the kernel is the first non-flag word, else boot(8)'s default
      // `netbsd`.
      const args = rest.split(/\s+/).filter(Boolean)
      const path = args.find((a) => !a.startsWith('-'))
      boot = {path: path ?? 'netbsd', args: args.filter((a) => a !== path), ref}
    } else if (name === 'dev') {
      entry.dev = rest
    }
  }

  // A multiboot item boots Xen; which module becomes dom0 is decided once the global `load=` lines are known.
  if (!entry.xen && boot) {
    entry.native = boot
  }

  return entry
}

/** Never throws; lines that are not `keyword=value` are ignored. */
export function parseBootCfg(text: string, source: string): BootCfg {
  const out: BootCfg = {source, banner: [], load: [], settings: {}, entries: []}
  for (const {line, text: raw} of numberedLines(text)) {
    const t = raw.trim()
    if (!t || t.startsWith('#')) continue
    const m = /^([a-z_]+)\s*=(.*)$/i.exec(t)
    if (!m) continue
    const key = m[1]!.toLowerCase()
    const value = m[2]!.replace(/^\s+/, '')
    const ref = {source, line, text: raw}
    out.settings[key] = fact(value, source, line, raw)
    switch (key) {
      case 'menu': {
        const colon = value.indexOf(':')
        if (colon < 0) break
        out.entries.push(entryOf(value.slice(0, colon).trim(), value.slice(colon + 1), ref))
        break
      }

      case 'default': {
        if (/^\d+$/.test(value.trim())) out.default = fact(Number(value.trim()), source, line, raw)
        break
      }

      case 'timeout': {
        out.timeout = fact(value.trim(), source, line, raw)
        break
      }

      case 'banner': {
        out.banner.push(fact(value, source, line, raw))
        break
      }

      case 'consdev': {
        out.consdev = fact(value.trim(), source, line, raw)
        break
      }

      case 'load': {
        out.load.push({...split(value), ref})
        break
      }

      case 'dev': {
        out.dev = fact(value.trim(), source, line, raw)
        break
      }
    }
  }

  // Global `load=` lines are loaded while the file is parsed, before any item runs (libsa bootcfg.c), so they
  // are the first modules of every Xen item; Xen builds dom0 from the first module.
  for (const entry of out.entries) {
    if (!entry.xen) continue
    const plan = xenBootPlan(out, entry)
    if (!plan) continue
    entry.plan = plan
    const first = plan.modules[0]
    if (first && !plan.bootsFirst) entry.dom0 = {path: first.path, args: first.args, ref: first.ref}
  }

  const chosen = out.entries[(out.default?.value ?? 1) - 1]
  if (chosen) chosen.isDefault = true
  return out
}

/** The file part of a boot(8) path: `hd0a:/xen.gz` → `/xen.gz`, `netbsd` → `/netbsd`. */
export function bootCfgFilePath(path: string): string {
  const file = path.replace(/^[a-z]+\d*[a-p]?:/i, '').replace(/^NAME=[^:]*:/, '')
  if (!file) return path
  return file.startsWith('/') ? file : `/${file}`
}
