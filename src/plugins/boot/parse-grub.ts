import {type EvidenceRef, type Fact, fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'
import type {BootEntry, BootLine} from '../facts.js'

/** A GRUB legacy `menu.lst`: global settings and one entry per `title`. */
export interface GrubConfig {
  source: string
  /** `default=0` / `default 0` (0-based; `saved` kept as text). */
  default?: Fact<string>
  timeout?: Fact<number>
  fallback?: Fact<string>
  /** `serial --unit=0 --speed=115200 ...` */
  serial?: Fact<string>
  /** `terminal --timeout=10 serial console` */
  terminal?: Fact<string>
  entries: GrubEntry[]
}

export interface GrubEntry extends BootEntry {
  loader: 'grub'
  /** `root (hd0,a)` of the entry. */
  root?: Fact<string>
  /** Every `kernel`, `module` and `chainloader` line, in order. */
  kernel?: BootLine & {flags: string[]}
  modules: BootLine[]
  chainloader?: BootLine
}

/**
 * GRUB legacy commands are `name args` or `name=args` (the Howto writes `default=0`, `root(hd0,0)`).
 * `#` starts a comment only at the beginning of a line.
 */
function command(text: string): {name: string; args: string} | undefined {
  const t = text.trim()
  if (!t || t.startsWith('#')) return undefined
  const m = /^([a-z][a-z0-9_-]*)\s*(?:=\s*|(?=\()|\s+|$)(.*)$/i.exec(t)
  return m ? {name: m[1]!.toLowerCase(), args: m[2]!.trim()} : undefined
}

function bootLine(args: string, ref: EvidenceRef): BootLine & {flags: string[]} {
  const words = args.split(/\s+/).filter(Boolean)
  const flags: string[] = []
  while (words.length > 0 && words[0]!.startsWith('--')) flags.push(words.shift()!)
  return {path: words.shift() ?? '', args: words, ref, flags}
}

/** The file part of a GRUB path: `(hd0,a)/xen.gz` → `/xen.gz`. */
export function grubFilePath(path: string): string {
  return path.replace(/^\([^)]*\)/, '') || path
}

const XEN_NAME = /(?:^|\/)xen[^/]*$/i

function finish(entry: GrubEntry): void {
  const k = entry.kernel
  if (k) {
    const typed = k.flags.find((f) => f.startsWith('--type='))
    const native =
      typed !== undefined
        ? !/multiboot/i.test(typed)
        : entry.modules.length === 0 && !XEN_NAME.test(grubFilePath(k.path))
    if (native) {
      entry.native = k
    } else {
      entry.xen = k
      if (entry.modules[0]) entry.dom0 = entry.modules[0]
    }
  } else if (entry.chainloader) {
    entry.native = entry.chainloader
  }
}

/** Never throws; lines that are not GRUB commands are ignored. */
export function parseGrubMenu(text: string, source: string): GrubConfig {
  const out: GrubConfig = {source, entries: []}
  let current: GrubEntry | undefined
  for (const {line, text: raw} of numberedLines(text)) {
    const c = command(raw)
    if (!c) continue
    const ref = {source, line, text: raw}
    if (c.name === 'title') {
      if (current) finish(current)
      current = {loader: 'grub', label: c.args, ref, isDefault: false, modules: []}
      out.entries.push(current)
      continue
    }

    if (!current) {
      if (c.name === 'default') out.default = fact(c.args, source, line, raw)
      else if (c.name === 'timeout' && /^-?\d+$/.test(c.args)) out.timeout = fact(Number(c.args), source, line, raw)
      else if (c.name === 'fallback') out.fallback = fact(c.args, source, line, raw)
      else if (c.name === 'serial') out.serial = fact(c.args, source, line, raw)
      else if (c.name === 'terminal') out.terminal = fact(c.args, source, line, raw)
      continue
    }

    switch (c.name) {
      case 'root':
      case 'rootnoverify': {
        current.root = fact(c.args, source, line, raw)
        break
      }

      case 'kernel': {
        current.kernel = bootLine(c.args, ref)
        break
      }

      case 'module':
      case 'modulenounzip': {
        current.modules.push(bootLine(c.args, ref))
        break
      }

      case 'chainloader': {
        current.chainloader = bootLine(c.args, ref)
        break
      }

      // `serial`/`terminal` inside an entry still configure GRUB when the entry runs; keep the first seen.
      case 'serial': {
        out.serial ??= fact(c.args, source, line, raw)
        break
      }

      case 'terminal': {
        out.terminal ??= fact(c.args, source, line, raw)
        break
      }
    }
  }

  if (current) finish(current)
  const index = out.default && /^\d+$/.test(out.default.value) ? Number(out.default.value) : 0
  const chosen = out.entries[index]
  if (chosen) chosen.isDefault = true
  return out
}
