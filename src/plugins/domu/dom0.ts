/**
 * What the domU checks need to know about dom0: its bridges and network interfaces (other plugins' facts
 * are read with `ctx.optionalFacts`, which gives the reason when a provider is missing or failed).
 */
import type {CheckContext, EvidenceRef, Fact} from '../../engine/types.js'
import {type NumberedLine, numberedLines, stripKernelTimestamp} from '../../parsers/lines.js'

export interface BridgeConfig {
  bridge: string
  /** Where it is configured: `files/etc/ifconfig.bridge0` or `files/etc/rc.conf`. */
  source: string
  create?: EvidenceRef
  /** Interfaces added with `!brconfig $int add ex0 up`, each with its line. */
  members: Array<Fact<string>>
}

/**
 * `/etc/ifconfig.bridge0` as the Howto writes it (`create` / `!brconfig $int add ex0 up`), or the
 * same words in rc.conf's `ifconfig_bridge0="create; !brconfig $int add ex0 up"`.
 */
export function parseIfconfigFile(text: string, bridge: string, source: string): BridgeConfig {
  return fromCommands(
    numberedLines(text)
      .filter((l) => !/^\s*(#|$)/.test(l.text))
      .map((l) => ({...l, cmd: l.text.trim()})),
    bridge,
    source,
  )
}

export function bridgeFromRcConf(text: string, bridge: string, source: string): BridgeConfig | undefined {
  const re = new RegExp(`^\\s*ifconfig_${bridge}=(["']?)(.*)\\1\\s*(#.*)?$`)
  for (const l of numberedLines(text)) {
    const m = re.exec(l.text)
    if (m)
      return fromCommands(
        m[2]!.split(/[;\n]/).map((cmd) => ({...l, cmd: cmd.trim()})),
        bridge,
        source,
      )
  }

  return undefined
}

function fromCommands(cmds: Array<NumberedLine & {cmd: string}>, bridge: string, source: string): BridgeConfig {
  const out: BridgeConfig = {bridge, source, members: []}
  for (const c of cmds) {
    const ref = {source, line: c.line, text: c.text}
    if (/^create\b/.test(c.cmd)) out.create ??= ref
    if (c.cmd.startsWith('!')) {
      const words = c.cmd.slice(1).trim().split(/\s+/)
      if (!/(^|\/)brconfig$/.test(words[0] ?? '') && !/(^|\/)ifconfig$/.test(words[0] ?? '')) continue
      for (let i = 1; i < words.length - 1; i++) {
        if (words[i] === 'add' || words[i] === 'addm') out.members.push({...ref, value: words[i + 1]!})
      }
    }
  }

  return out
}

/** `ifconfig -l`: every interface name on one line (names only: stable between runs, no addresses collected). */
export const IFCONFIG_LIST = 'ifconfig-l.txt'

export function listedInterfaces(text: string): Map<string, EvidenceRef> {
  const out = new Map<string, EvidenceRef>()
  for (const l of numberedLines(text)) {
    for (const name of l.text.trim().split(/\s+/)) {
      if (/^[a-z]+\d+(\.\d+)?$/.test(name) && !out.has(name))
        out.set(name, {source: IFCONFIG_LIST, line: l.line, text: l.text})
    }
  }

  return out
}

/** Network interfaces dom0 has: attachment lines in dmesg (`ex0 at pci0 dev 11`) and the `ifconfig -l` list. */
export function dom0Interfaces(ctx: Pick<CheckContext, 'evidence'>): {
  found: Map<string, EvidenceRef>
  sources: string[]
} {
  const found = new Map<string, EvidenceRef>()
  const sources: string[] = []
  const dmesg = ctx.evidence.get('dmesg.boot')
  if (dmesg.present) {
    sources.push('dmesg.boot')
    for (const l of numberedLines(dmesg.text)) {
      const m = /^([a-z]+\d+) at [a-z]+\d+/.exec(stripKernelTimestamp(l.text))
      if (m && !found.has(m[1]!)) found.set(m[1]!, {source: 'dmesg.boot', line: l.line, text: l.text})
    }
  }

  const ifc = ctx.evidence.get(IFCONFIG_LIST)
  if (ifc.present) {
    sources.push(IFCONFIG_LIST)
    for (const [name, ref] of listedInterfaces(ifc.text)) if (!found.has(name)) found.set(name, ref)
  }

  return {found, sources}
}
