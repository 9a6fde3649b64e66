import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {matchesPattern} from '../../../src/engine/evidence-names.js'
import type {EvidenceSpec} from '../../../src/engine/types.js'
import {instantiate, specsFor} from '../../../src/evidence/collect.js'
import {requireTool} from '../../support/tools.js'
import {shQuote} from './collect-sh.js'

/** The value a `{x}` name took for a dump file (`disklabel-wd0.txt` → `wd0`). */
export function instanceOf(pattern: string, name: string): string | undefined {
  const [pre, post] = pattern.split(/\{[a-z]+\}/) as [string, string]
  return name.startsWith(pre) && name.endsWith(post) ? name.slice(pre.length, name.length - post.length) : undefined
}

/**
 * A fake NetBSD command PATH replaying a fixture dump: each command the NetBSD specs run prints the
 * recorded output for its exact argv (or fails when the dump has none); any other argv (the sh
 * collector's own `uname -s`) runs the real command. The dump's `files/` is the matching fake root.
 */
export function fakeBin(dump: string, catalog: readonly EvidenceSpec[], parent: string): string {
  const bin = mkdtempSync(join(parent, 'bin-'))
  const files = readdirSync(dump)
  const cases = new Map<string, string[]>()
  const add = (argv: string[], file: string | undefined) => {
    const list = cases.get(argv[0]!) ?? []
    const key = shQuote(argv.slice(1).join(' '))
    list.push(
      file && existsSync(join(dump, file))
        ? `  ${key}) cat ${shQuote(join(dump, file))} ;;`
        : `  ${key}) echo "${argv[0]}: no recorded output" >&2; exit 1 ;;`,
    )
    cases.set(argv[0]!, list)
  }

  for (const spec of specsFor(catalog, 'netbsd')) {
    if (!spec.argv) continue
    if (spec.name.includes('{')) {
      for (const f of files.filter((n) => matchesPattern(spec.name, n))) {
        const value = instanceOf(spec.name, f)
        if (value) add(instantiate(spec, value).argv!, f)
      }
    } else {
      add(spec.argv, spec.name)
    }
  }

  for (const [cmd, list] of cases) {
    const script = [
      '#!/bin/sh',
      'case "$*" in',
      ...list,
      `  *) PATH=/usr/bin:/bin exec ${cmd} "$@" ;;`,
      'esac',
      '',
    ].join('\n')
    writeFileSync(join(bin, cmd), script)
    chmodSync(join(bin, cmd), 0o755)
  }

  return bin
}

/** Replaces one fake command with a script body (a hang, a failure). */
export function fakeCommand(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`)
  chmodSync(join(bin, name), 0o755)
}

export interface AwkVariant {
  name: string
  /** Installed here (the tests that need it are skipped otherwise). */
  available: boolean
  /** A directory holding an `awk` that runs this one: put it first on PATH. */
  dir: string
}

/**
 * The awks the sh collector must run with: NetBSD's is the one true awk (Debian's original-awk), plus
 * mawk and busybox awk, each where it is installed.
 */
export function awkVariants(parent: string): AwkVariant[] {
  // mawk is Debian's default awk (always there); the other two go through the shared tool check.
  return [
    {name: 'mawk', cmd: 'mawk', available: () => spawnSync('mawk', ['BEGIN { exit 0 }']).status === 0},
    {
      name: 'original-awk',
      cmd: 'original-awk',
      available: () => !requireTool('original-awk', "the collector's redaction under the one true awk"),
    },
    {
      name: 'busybox awk',
      cmd: 'busybox awk',
      available: () => !requireTool('busybox', "the collector's redaction under busybox awk"),
    },
  ].map(({name, cmd, available: probe}) => {
    const available = probe()
    const dir = mkdtempSync(join(parent, `${name.replace(/ /g, '-')}-`))
    writeFileSync(join(dir, 'awk'), `#!/bin/sh\nexec ${cmd} "$@"\n`)
    chmodSync(join(dir, 'awk'), 0o755)
    return {name, available, dir}
  })
}
