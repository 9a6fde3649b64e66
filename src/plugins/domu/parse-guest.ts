/** Guest-side files the Howto tunes inside a NetBSD domU: /etc/ttys, /etc/wscons.conf, /etc/rc.conf. */
import type {EvidenceRef, Fact} from '../../engine/types.js'
import {numberedLines} from '../../parsers/lines.js'

export interface TtyEntry {
  name: string
  on: boolean
}

/** ttys(5): `name "getty command" type flags...`; a terminal is enabled when its flags contain `on`. */
export function parseTtys(text: string, source: string): Array<Fact<TtyEntry>> {
  const out: Array<Fact<TtyEntry>> = []
  for (const l of numberedLines(text)) {
    const t = l.text.replace(/#.*$/, '').trim()
    if (!t) continue
    const words = t.match(/"[^"]*"|\S+/g) ?? []
    const name = words[0]
    if (!name || name.startsWith('"')) continue
    out.push({value: {name, on: words.slice(1).includes('on')}, source, line: l.line, text: l.text})
  }

  return out
}

/** wscons.conf(5) `screen` lines that are not commented out. */
export function activeScreens(text: string, source: string): EvidenceRef[] {
  return numberedLines(text)
    .filter((l) => /^\s*screen\s/.test(l.text))
    .map((l) => ({source, line: l.line, text: l.text}))
}

/** The last `name=value` of an rc.conf (sh assignments; quotes removed), or undefined. */
export function rcConfValue(text: string, name: string, source: string): Fact<string> | undefined {
  let found: Fact<string> | undefined
  const re = new RegExp(`^\\s*${name}=(?:"([^"]*)"|'([^']*)'|([^\\s#;]*))`)
  for (const l of numberedLines(text)) {
    const m = re.exec(l.text)
    if (m) found = {value: m[1] ?? m[2] ?? m[3] ?? '', source, line: l.line, text: l.text}
  }

  return found
}

/** rc.subr's checkyesno: YES, TRUE, ON, 1 in any case. */
export const isYes = (v: string) => /^(yes|true|on|1)$/i.test(v.trim())
