import {type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

export type PathStatus =
  | {
      exists: true
      type: 'file' | 'directory' | 'char-device' | 'block-device' | 'symlink' | 'other'
      mode: string
      size?: number
      major?: number
      minor?: number
      linkTarget?: string
    }
  | {exists: false; error: string}

/**
 * `ls -ld PATH...` output with its error lines: one fact per path named.
 * NetBSD: `crw-------  1 root  wheel  143, 0 Jan  1  2011 /dev/xenevt` and `ls: /dev/xencons: No such file or
 * directory`;
 * GNU: `ls: cannot access '/dev/xencons': No such file or directory`.
 */
export function parseLsLd(text: string, source = 'ls-paths.txt'): Map<string, Fact<PathStatus>> {
  const out = new Map<string, Fact<PathStatus>>()
  const entry =
    /^([-bcdlpsw])([-rwxsStT]{9})[@+.]?\s+\d+\s+\S+\s+\S+\s+(?:(\d+),\s*(\d+)|(\d+))\s+\w{3}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})\s+(.+?)(?: -> (.+))?$/
  for (const {line, text: t} of numberedLines(text)) {
    const err = /^ls: (?:cannot access '?(.+?)'?|(.+?)): (.+)$/.exec(t)
    if (err) {
      const path = err[1] ?? err[2]!
      out.set(path, fact({exists: false, error: err[3]!}, source, line, t))
      continue
    }

    const m = entry.exec(t)
    if (!m) continue
    const kind = m[1]!
    const type =
      kind === '-'
        ? 'file'
        : kind === 'd'
          ? 'directory'
          : kind === 'c'
            ? 'char-device'
            : kind === 'b'
              ? 'block-device'
              : kind === 'l'
                ? 'symlink'
                : 'other'
    const status: PathStatus = {exists: true, type, mode: `${kind}${m[2]!}`}
    if (m[3] !== undefined) {
      status.major = Number(m[3])
      status.minor = Number(m[4])
    } else if (m[5] !== undefined) {
      status.size = Number(m[5])
    }

    if (m[7] !== undefined) status.linkTarget = m[7]
    out.set(m[6]!, fact(status, source, line, t))
  }

  return out
}

/** What `ls-paths.txt` says of a path: not collected, not listed, listed as missing, or there. */
export type Listed =
  | {state: 'exists'; fact: Fact<Extract<PathStatus, {exists: true}>>}
  | {state: 'missing'; fact: Fact<Extract<PathStatus, {exists: false}>>}
  | {state: 'unlisted'}
  | {state: 'no-ls'}

/**
 * The one lookup of a path in `ls-paths.txt` (the host facts' `paths`, undefined when it was not collected).
 * `also` are other names of the same file (`/netbsd-XEN3_DOM0.gz`): the first of them that exists wins.
 * Absent from the listing is `unlisted`, never `missing`: the collector may not have asked for it.
 */
export function listedPath(
  paths: ReadonlyMap<string, Fact<PathStatus>> | undefined,
  path: string,
  also: readonly string[] = [],
): Listed {
  if (!paths) return {state: 'no-ls'}
  for (const candidate of [path, ...also]) {
    const f = paths.get(candidate)
    if (f?.value.exists) return {state: 'exists', fact: f as Fact<Extract<PathStatus, {exists: true}>>}
  }

  // Only a path ls could not list is in the map without existing.
  const f = paths.get(path)
  return f ? {state: 'missing', fact: f as Fact<Extract<PathStatus, {exists: false}>>} : {state: 'unlisted'}
}

/**
 * Several paths looked up at once (each as listedPath): those ls-paths.txt has a line for, with that line
 * (existing or not), and those it has none for (or all of them, without ls-paths.txt).
 */
export function listedPaths(
  paths: ReadonlyMap<string, Fact<PathStatus>> | undefined,
  wanted: readonly string[],
): {listed: Array<{path: string; fact: Fact<PathStatus>}>; unlisted: string[]} {
  const listed: Array<{path: string; fact: Fact<PathStatus>}> = []
  const unlisted: string[] = []
  for (const path of wanted) {
    const found = listedPath(paths, path)
    if (found.state === 'exists' || found.state === 'missing') listed.push({path, fact: found.fact})
    else unlisted.push(path)
  }

  return {listed, unlisted}
}
