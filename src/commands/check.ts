import {Args, Flags} from '@oclif/core'
import {UsageError, type Registry} from '../engine/registry.js'
import {runChecks} from '../engine/run.js'
import {TARGETS, type Target} from '../engine/types.js'
import {XenreadyCommand} from '../cli/base-command.js'
import {registryFor} from '../cli/context.js'
import {emitReports} from '../cli/emit.js'
import {buildReport, exitCodeFor, FAIL_ON, type FailOn, type Report, type ReportFinding} from '../reports/report.js'
import type {FleetReport} from '../reports/fleet.js'
import type {Policy} from '../policy/types.js'
import {useColor} from '../reports/style.js'
import {openSource, type OpenedSource} from '../evidence/source.js'
import {checkDestinations, type Destination} from '../reports/output.js'
import {FORMATS, REPORT_RENDERERS} from '../reports/render.js'
import {checkInfos} from '../reports/rules.js'

/** Terminal columns to wrap the text report to: only on a terminal, never into a file, a pipe or a log. */
function terminalWidth(output: string | undefined): number | undefined {
  return !output && process.stdout.isTTY ? process.stdout.columns : undefined
}

/**
 * `--json` is oclif's plain boolean. A word right after it (`check --json report.json`, or
 * `check --json mybundle.tar.gz` by someone who forgot `--from`) was once read as a file to write; now it
 * is a usage error naming the two flags that say it plainly, so neither a report file nor a bundle is
 * touched. `--json=VALUE` is refused the same way. Returns the refusal, or undefined.
 */
export function misplacedJsonValue(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') return undefined
    const value = arg.startsWith('--json=')
      ? arg.slice('--json='.length)
      : arg === '--json' && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')
        ? argv[i + 1]!
        : undefined
    if (value !== undefined) {
      return `--json takes no value (got ${JSON.stringify(value)}): to write the JSON report to a file use --json-file FILE; to check a dump or bundle use --from ${value} --json`
    }
  }

  return undefined
}

/** `--release 10` → `10.0`; a release NetBSD numbers (`10`, `10.1`, `9.4`, `10.99.12`) or a usage error (exit 2). */
export function plannedRelease(value: string): string {
  const m = /^(\d{1,2})(?:\.(\d{1,2})(?:\.(\d{1,3}))?)?$/.exec(value.trim())
  if (!m || Number(m[1]) < 1)
    throw new UsageError(`--release ${JSON.stringify(value)}: give a NetBSD release number such as 10, 10.1 or 9.4`)
  return `${Number(m[1])}.${Number(m[2] ?? 0)}${m[3] === undefined ? '' : `.${Number(m[3])}`}`
}

export default class Check extends XenreadyCommand {
  static override summary = 'Check whether this host, or saved dumps, are ready to run NetBSD as a Xen domain0.'
  static override description = `Without --from, gathers evidence on this host (commands run as argv arrays, each with a timeout) and checks it.
With --from (or a PATH argument: \`check dump/\` is \`check --from dump/\`), checks a dump: a directory of saved command outputs (see docs/dump-format.md) or a bundle (.tar.gz).
Several --from, or --recursive over a directory of dumps and bundles, check a fleet: each dump, then a summary table (with --json: one report per dump plus the aggregate; see docs/report-schema.json).

Report files are written atomically (a temp file in the same directory, then renamed), several in one run: --junit FILE, --sarif FILE, --markdown FILE, --html FILE and --json-file FILE, beside --format on stdout or --output.
--json takes no value.
A destination that exists and is not a report of that kind (a bundle, a dump file, a config), or that cannot be written, is refused (exit 2) before anything runs.

Exit codes: 0 nothing at or above --fail-on, 1 something is (a crashed check or plugin counts as a failure), 2 usage error or unreadable input (for a fleet: an unreadable dump, after checking all the others).`

  static override examples = [
    {description: 'Check this host for a dom0 install', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'Check a saved dump for HVM guests',
      command: '<%= config.bin %> <%= command.id %> --from examples/dumps/synthetic-netbsd10-xen420-dom0 --target hvm',
    },
    {
      description: 'The same, with the dump as an argument',
      command: '<%= config.bin %> <%= command.id %> examples/dumps/synthetic-netbsd10-xen420-dom0 --target hvm',
    },
    {
      description: 'Plan for NetBSD 10: compare the saved dmesg with the netbsd-10 dom0 kernel',
      command: '<%= config.bin %> <%= command.id %> --from dump/ --release 10',
    },
    {
      description: 'Only the CPU checks, as JSON',
      command: '<%= config.bin %> <%= command.id %> --from dump/ --only cpu --json',
    },
    {
      description: 'CI: text on stdout, JUnit, SARIF and JSON files, fail on warnings too',
      command:
        '<%= config.bin %> <%= command.id %> --from dump/ --junit report.xml --sarif report.sarif --json-file report.json --fail-on warn',
    },
    {
      description: 'A fleet of collected bundles, summary for a GitHub job',
      command:
        '<%= config.bin %> <%= command.id %> --from bundles/ --recursive --format markdown >> "$GITHUB_STEP_SUMMARY"',
    },
  ]

  static override enableJsonFlag = true

  static override args = {
    path: Args.string({
      description: 'Dump directory or bundle to check, as with --from (several allowed; put them before the flags).',
      multiple: true,
    }),
  }

  static override flags = {
    from: Flags.string({
      char: 'f',
      summary: 'Dump directory or bundle to check instead of this host; repeat it for several.',
      helpValue: 'DIR|BUNDLE',
      multiple: true,
    }),
    recursive: Flags.boolean({
      char: 'r',
      summary: 'Check every dump and bundle found under the --from directories (or PATH arguments).',
    }),
    target: Flags.string({
      char: 't',
      summary: 'What the machine must be ready for.',
      options: [...TARGETS],
      default: 'dom0',
    }),
    release: Flags.string({
      summary:
        "The NetBSD release being planned (10, 10.1, 9.4): hardware.dom0-drivers compares the dmesg with that release's dom0 kernel instead of the running one's.",
      helpValue: 'X.Y',
    }),
    format: Flags.string({
      summary: 'Report format on stdout (or in --output). --json alone is the same as --format json.',
      options: [...FORMATS],
      default: 'text',
    }),
    output: Flags.string({
      char: 'o',
      summary: 'Write the --format report to FILE (atomically) instead of stdout.',
      helpValue: 'FILE',
    }),
    junit: Flags.string({summary: 'Also write a JUnit XML report to FILE.', helpValue: 'FILE'}),
    sarif: Flags.string({summary: 'Also write a SARIF 2.1.0 report to FILE.', helpValue: 'FILE'}),
    markdown: Flags.string({summary: 'Also write a Markdown report to FILE.', helpValue: 'FILE'}),
    'json-file': Flags.string({summary: 'Also write the JSON report to FILE.', helpValue: 'FILE'}),
    html: Flags.string({
      summary: 'Also write the HTML report (one self-contained page; for a fleet, the hosts-by-checks matrix) to FILE.',
      helpValue: 'FILE',
    }),
    'fail-on': Flags.string({
      summary: 'Lowest status that makes the exit code 1.',
      options: [...FAIL_ON],
      default: 'fail',
    }),
    strict: Flags.boolean({summary: 'In JUnit, an unknown finding is an <error>, not a skipped test.'}),
    only: Flags.string({
      summary: 'Run only these checks: ids (cpu.hvm) or plugin names (cpu), comma-separated.',
      delimiter: ',',
      multiple: true,
      helpValue: 'ID[,ID...]',
    }),
    domu: Flags.string({
      summary: 'Also check these domU configuration files against the dom0 evidence (one dump or this host).',
      multiple: true,
      helpValue: 'FILE',
    }),
    'max-bundle-bytes': Flags.integer({
      summary: 'Refuse a bundle whose content is larger (default 256 MB).',
      min: 1,
      helpValue: 'BYTES',
    }),
    'max-bundle-files': Flags.integer({
      summary: 'Refuse a bundle with more entries (default 10000).',
      min: 1,
      helpValue: 'N',
    }),
    quiet: Flags.boolean({
      char: 'q',
      summary: 'No progress spinner while gathering evidence on this host (none in CI or off a terminal anyway).',
    }),
    timeout: Flags.integer({
      summary: 'Seconds each evidence command may run on this host before it is killed.',
      default: 10,
      min: 1,
    }),
    verbose: Flags.boolean({
      char: 'v',
      summary: 'Show the evidence of passing checks too (and, for a fleet, each dump in full).',
    }),
    compact: Flags.boolean({
      summary: 'Text report: one aligned line per check (cpu.hvm ..... : PASS), then the verdict and next steps.',
      exclusive: ['verbose'],
    }),
    color: Flags.boolean({
      summary: 'Colour the text report even off a terminal (--no-color: never); overrides NO_COLOR and FORCE_COLOR.',
      allowNo: true,
    }),
    policy: Flags.string({
      summary: 'Site policy (YAML or JSON, docs/policy-schema.json): waivers, required checks, severities.',
      helpValue: 'FILE',
    }),
    workers: Flags.integer({
      summary: 'Worker threads for a fleet, beside the main thread, which checks too (default: one per other core).',
      min: 0,
      hidden: true,
    }),
  }

  override async init(): Promise<void> {
    const refusal = misplacedJsonValue(this.argv)
    if (refusal) throw new UsageError(refusal)
    await super.init()
  }

  async run(): Promise<Report | FleetReport | undefined> {
    const {args, flags} = await this.parse(Check)
    const target = flags.target as Target
    const release = flags.release === undefined ? undefined : plannedRelease(flags.release)
    const failOn = flags['fail-on'] as FailOn
    // `check PATH...` is `check --from PATH...`.
    const froms = [...(flags.from ?? []), ...(args.path ?? [])]
    if (flags.recursive && froms.length === 0)
      throw new UsageError('--recursive needs a directory to search: give it with --from DIR (or as an argument)')
    // Report files are checked before anything is read or run: a file that is not a report of that kind (a bundle,
    // a dump file, a config) is never overwritten, and a destination that cannot be written fails now, not after the
    // run.
    const destinations: Destination[] = []
    for (const [path, kind, flag] of [
      [flags.output, flags.format, '--output'],
      [flags.junit, 'junit', '--junit'],
      [flags.sarif, 'sarif', '--sarif'],
      [flags.markdown, 'markdown', '--markdown'],
      [flags['json-file'], 'json', '--json-file'],
      [flags.html, 'html', '--html'],
    ] as const) {
      if (path && !(flag === '--output' && this.jsonEnabled()))
        destinations.push({path, kind: kind as Destination['kind'], flag})
    }

    checkDestinations(destinations, [...froms, ...(flags.domu ?? []), ...(flags.policy ? [flags.policy] : [])])
    const registry = await registryFor(this)
    let policy: Policy | undefined
    if (flags.policy) {
      const {loadPolicy, localDate, expiredLine} = await import('../policy/load.js')
      policy = await loadPolicy(
        flags.policy,
        {checks: registry.checks.map((c) => c.check.id), plugins: registry.plugins.map((p) => p.definition.name)},
        localDate(new Date()),
      )
      for (const w of policy.expired) process.stderr.write(`${expiredLine(policy, w)}\n`)
    }
    const limits = {
      ...(flags['max-bundle-bytes'] ? {maxBundleBytes: flags['max-bundle-bytes']} : {}),
      ...(flags['max-bundle-files'] ? {maxBundleFiles: flags['max-bundle-files']} : {}),
    }
    const color = useColor(process.stdout, process.env, flags.color ?? (flags.output ? false : undefined))
    const render = {
      strict: flags.strict,
      checks: () => checkInfos(registry),
      text: {color, verbose: flags.verbose, compact: flags.compact, width: terminalWidth(flags.output)},
    }
    if (froms.length > 1 || flags.recursive) {
      if (flags.domu)
        throw new UsageError('--domu checks configurations against one dom0: give one --from (or none, for this host)')
      const {checkFleet} = await import('../cli/check-fleet.js')
      return checkFleet({
        registry,
        froms,
        recursive: flags.recursive,
        target,
        ...(release ? {release} : {}),
        failOn,
        only: flags.only,
        ...(policy ? {policy} : {}),
        limits,
        version: this.config.version,
        configRoot: this.config.root,
        workers: flags.workers,
        builtinPackage: this.builtinOnly(registry),
        json: this.jsonEnabled(),
        flags,
        render,
      })
    }

    let source: OpenedSource
    if (froms[0]) {
      const {evidenceCatalog} = await import('../engine/catalog.js')
      source = await openSource(froms[0], {...limits, expect: evidenceCatalog(registry).map((s) => s.name)})
    } else {
      const {liveSource} = await import('../cli/live-source.js')
      source = await liveSource(registry, {quiet: flags.quiet, timeoutMs: flags.timeout * 1000})
    }

    let report: Report
    try {
      let {evidence} = source
      if (flags.domu) {
        const {domuEvidenceFromFiles, withDomuFiles} = await import('../evidence/domu-files.js')
        const files = await domuEvidenceFromFiles(flags.domu)
        // A file the user named that cannot be read is an input error, not a config that is silently absent.
        const unreadable = [...files.values()].find((e) => !e.present)
        if (unreadable && !unreadable.present) throw new UsageError(`--domu: ${unreadable.reason}`)
        evidence = withDomuFiles(evidence, files)
      }

      const run = runChecks(registry, evidence, {target, only: flags.only, ...(release ? {release} : {})})
      let findings: ReportFinding[] = run.findings
      let section
      if (policy) {
        const {applyPolicy, hostNames} = await import('../policy/apply.js')
        ;({findings, section} = applyPolicy(run.findings, policy, hostNames(source.label, evidence)))
      }

      report = buildReport({
        version: this.config.version,
        source: source.label,
        target,
        findings,
        pluginErrors: run.pluginErrors,
        only: flags.only,
        ...(section ? {policy: section} : {}),
      })
    } finally {
      await source.close()
    }

    process.exitCode = exitCodeFor(report, failOn)
    const options = {...render, failOn}
    emitReports((format) => REPORT_RENDERERS[format](report, options), flags, this.jsonEnabled())
    return report
  }

  /**
   * The CLI's package name when it alone provided every plugin (no third-party plugins): fleet workers then load just
   * the built-in ones.
   */
  private builtinOnly(registry: Registry): string | undefined {
    if (registry.errors.length > 0 || !registry.plugins.every((p) => p.package === this.config.name)) return undefined
    return this.config.name
  }
}
