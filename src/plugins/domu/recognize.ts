/**
 * Which files of the Xen configuration directory are guest (domain) configurations, by their content.
 *
 * The directory also holds what the tools package installs there: pkgsrc sysutils/xentools420/Makefile
 * (rev 1.1, 2025/08/22) has `CONF_FILES+= ${EGDIR}/xl.conf ${PKG_SYSCONFDIR}/xl.conf`,
 * `CONF_FILES+= ${EGDIR}/oxenstored.conf ${PKG_SYSCONFDIR}/oxenstored.conf`, `OWN_DIRS= ${PKG_SYSCONFDIR}/scripts`
 * and the hotplug scripts (block vif-bridge vif-ip qemu-ifup hotplugpath.sh locking.sh) in scripts/; admins
 * copy `cpupool` and the `xlexample.*` files from share/examples/xen (PLIST). A list of names never ends, so
 * the rule is the one xl.cfg(5) gives a domain: `name=` is mandatory, and a guest is built from a kernel,
 * a type (`type=`, or the deprecated `builder=`) or a disk. cpupool sets `name` too, but none of these.
 */

export type Recognition = {guest: true; why: string} | {guest: false; why: string}

/** The keys a line assigns (`name = "x"`, `name="h0"; type="hvm"`, `disk += [...]`), comments and strings aside. */
function assignedKeys(text: string): Set<string> {
  const keys = new Set<string>()
  let depth = 0
  for (const line of text.split(/\r?\n/)) {
    // Outside brackets only: a list element spread over lines is not an assignment.
    const code = stripStringsAndComment(line)
    if (depth === 0) {
      for (const stmt of code.split(';')) {
        const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\+?=(?!=)/.exec(stmt)
        if (m) keys.add(m[1]!)
      }
    }

    for (const ch of code) {
      if (ch === '[' || ch === '(' || ch === '{') depth++
      else if ((ch === ']' || ch === ')' || ch === '}') && depth > 0) depth--
    }
  }

  return keys
}

/** The line with string contents blanked and a `#` comment cut, so that `"a#b"` or `"[..."` mislead nothing. */
function stripStringsAndComment(line: string): string {
  let out = ''
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote) {
      if (ch === '\\') i++
      else if (ch === quote) {
        quote = undefined
        out += ch
      }

      continue
    }

    if (ch === '#') break
    if (ch === '"' || ch === "'") quote = ch
    out += ch
  }

  return out
}

const BUILD_KEYS = ['kernel', 'type', 'builder', 'disk'] as const

/**
 * Whether `text` is a guest configuration. `explicit` (a file named with `--domu`, or one `xendomains`
 * starts at boot) is always a guest: the admin said so, and a broken one must fail domu.syntax, not vanish.
 */
export function recognizeGuestConfig(text: string, explicit?: string, file?: string): Recognition {
  if (explicit) return {guest: true, why: explicit}
  // An editor's or pkgsrc's copy of a config (`nbsd~`, `nbsd.orig`) is not a second guest of the same name.
  if (file && /(~|\.(bak|orig|rej|old|dist|sample|example))$/i.test(file))
    return {guest: false, why: 'a backup or example copy (by its suffix)'}
  if (text.includes('\u0000')) return {guest: false, why: 'a binary file'}
  if (text.startsWith('#!')) return {guest: false, why: 'a script (starts with #!)'}
  const keys = assignedKeys(text)
  const builds = BUILD_KEYS.filter((k) => keys.has(k))
  if (keys.has('name') && builds.length > 0) return {guest: true, why: `sets name and ${builds.join(', ')}`}
  if (keys.has('name'))
    return {
      guest: false,
      why: `sets name but none of ${BUILD_KEYS.join(', ')} (not a domain: e.g. a cpupool definition)`,
    }
  if (keys.size > 0)
    return {
      guest: false,
      why: `no name = line (sets ${[...keys].slice(0, 4).join(', ')}${keys.size > 4 ? ', ...' : ''}): not a domain configuration`,
    }
  return {guest: false, why: 'no name = line: not a domain configuration'}
}
