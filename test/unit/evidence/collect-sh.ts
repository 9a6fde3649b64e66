import type {EvidenceSpec} from '../../../src/engine/types.js'

/**
 * The command list of `scripts/xenready-collect.sh`, generated from the plugins' evidence specs so the
 * sh collector cannot drift from `xenready collect`: a test compares the block in the script with this
 * output (and rewrites it with `UPDATE_COLLECT_SH=1`).
 */

export const BLOCK_BEGIN =
  "# BEGIN GENERATED COMMANDS (from the plugins' evidence specs: test/unit/evidence/collect-sh.test.ts; do not edit by hand)"
export const BLOCK_END = '# END GENERATED COMMANDS'

/**
 * The sh functions that list the instances of a `{x}` spec, keyed by the spec's `expand` (its `from`
 * and its regular expression, verbatim). A new templated spec, or a changed regex, has no entry here
 * until someone writes the sh equivalent; the test fails until then.
 */
export const SH_EXTRACTORS: Record<string, string> = {
  [`sysctl.txt ${String.raw`(?<=^hw\.disknames\s*[=:][^\n]*)\b((?:wd|sd|ld|raid|xbd|ccd)\d+)\b`}`]: 'disks_from_sysctl',
  [`mount.txt ${String.raw`^/dev/([a-z]+\d+[a-p]|dk\d+) on .* type ffs\b`}`]: 'ffs_partitions_from_mount',
  [`dmesg.boot ${String.raw`^(?:\[[^\]]*\]\s*)?(pci\d+) at `}`]: 'pci_buses_from_dmesg',
  [`ls-usr-pkg-etc-xen.txt ${String.raw`^([A-Za-z0-9._-]+)$`}`]: 'names_from_ls_usr_pkg_etc_xen',
  [`ls-etc.txt ${String.raw`^ifconfig\.([A-Za-z0-9]+)$`}`]: 'interfaces_from_ls_etc',
  [`ls-usr-pkg.txt ${String.raw`^(xen\d+-kernel)$`}`]: 'xen_kernels_from_ls_usr_pkg',
}

export function shQuote(word: string): string {
  return /^[A-Za-z0-9_./=:,+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * One line per spec, for every OS: `on OSES run NAME ARGV...`, `run_merge ...`, `copy NAME PATH`,
 * `run_each NAME EXTRACTOR ARGV...`, `copy_each NAME EXTRACTOR PATH`, `probe NAME PROBE`. OSES is the
 * spec's `os` list (`netbsd,linux`) or `any`; on another OS the script records the spec as skipped,
 * with the words of `skipReason`, as collect() does.
 */
export function shCommandLines(catalog: readonly EvidenceSpec[]): {lines: string[]; problems: string[]} {
  const lines: string[] = []
  const later: string[] = []
  const problems: string[] = []
  for (const spec of catalog) {
    const on = `on ${spec.os && spec.os.length > 0 ? spec.os.join(',') : 'any'} `
    const name = shQuote(spec.name)
    if (spec.library) {
      // A JavaScript probe: the script records it as skipped where it applies (only collect() runs it).
      lines.push(`${on}probe ${name} ${shQuote(spec.library)}`)
      continue
    }

    if (spec.expand || spec.name.includes('{')) {
      const key = spec.expand ? `${spec.expand.from} ${spec.expand.match}` : ''
      const extractor = SH_EXTRACTORS[key]
      if (!extractor || !(spec.argv || spec.path)) {
        problems.push(
          `${spec.name}: no sh extractor for expand ${JSON.stringify(spec.expand)}; add one to scripts/collect/40-run.sh and SH_EXTRACTORS`,
        )
        continue
      }

      later.push(
        on +
          (spec.argv
            ? `run_each ${name} ${extractor} ${spec.argv.map(shQuote).join(' ')}`
            : `copy_each ${name} ${extractor} ${shQuote(spec.path!)}`),
      )
    } else if (spec.argv) {
      lines.push(`${on}${spec.stderr === 'merge' ? 'run_merge' : 'run'} ${name} ${spec.argv.map(shQuote).join(' ')}`)
    } else if (spec.path) {
      lines.push(`${on}copy ${name} ${shQuote(spec.path)}`)
    } else {
      problems.push(`${spec.name}: neither argv nor path`)
    }
  }

  // Templated specs read what the others wrote (sysctl.txt, mount.txt), so they run last, as in collect().
  return {lines: [...lines, ...later], problems}
}

export function shCommandBlock(catalog: readonly EvidenceSpec[]): string {
  return [BLOCK_BEGIN, ...shCommandLines(catalog).lines, BLOCK_END].join('\n')
}

/** The generated block as it stands in the script, or undefined when the markers are missing. */
export function blockIn(script: string): string | undefined {
  const start = script.indexOf(BLOCK_BEGIN)
  const end = script.indexOf(BLOCK_END)
  if (start < 0 || end < start) return undefined
  return script.slice(start, end + BLOCK_END.length)
}
