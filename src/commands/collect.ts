import {existsSync} from 'node:fs'
import {cpus, hostname} from 'node:os'
import {isAbsolute, relative, resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {XenreadyCommand} from '../cli/base-command.js'
import {UsageError} from '../engine/registry.js'
import {registryFor} from '../cli/context.js'
import {Progress, wantsProgress} from '../cli/progress.js'
import {evidenceCatalog} from '../engine/catalog.js'
import {collect, hostOs, type HostOs} from '../evidence/collect.js'
import {checkBundleDestination} from '../reports/output.js'
import {caseIdProblem} from '../evidence/manifest.js'
import {formatBytes} from '../util/bytes.js'

export default class Collect extends XenreadyCommand {
  static override summary =
    'Collect the evidence of every registered plugin on this host into a bundle (or a dump directory) to check here or elsewhere.'
  static override description = `Runs every evidence command the plugins declare (argv arrays, never a shell), in parallel, each with a timeout that kills its whole process group, and copies the files they name.
A command that is missing, not permitted, fails or times out is recorded in manifest.json and the rest goes on.
Host identifiers are redacted by default (the same value becomes the same token in every file; see docs/bundles.md).

The bundle is written atomically (a temp file in the same directory, then renamed); Ctrl-C leaves nothing behind and exits 130.
An existing --output is replaced only with --force (and only if it is a bundle); an unwritable destination is refused before any command runs.
Check it with \`xenready check --from BUNDLE\`; see what it holds with \`xenready bundle inspect BUNDLE\`.`

  static override examples = [
    {description: 'Collect a bundle to send to support', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'For support case 12345, keeping the key to the tokens (host1 = ?) on this host',
      command: '<%= config.bin %> <%= command.id %> --case-id 12345 --redaction-map ~/xenready-12345-map.json',
    },
    {
      description: 'Into a dump directory, unredacted, with a longer timeout',
      command: '<%= config.bin %> <%= command.id %> --dir dump/ --no-redact --timeout 30',
    },
  ]

  static override flags = {
    output: Flags.string({
      char: 'o',
      summary:
        'Bundle to write (default: xenready-[<case>-]<host>-<date>.tar.gz in the current directory; <host> is the redaction token, host1, unless --no-redact).',
      helpValue: 'FILE',
      exclusive: ['dir'],
    }),
    dir: Flags.string({
      char: 'd',
      summary: 'Write a dump directory (must not exist, or be empty) instead of a bundle.',
      helpValue: 'DIR',
    }),
    force: Flags.boolean({
      summary: 'Replace an existing bundle at --output (only a .tar.gz file; never another kind of file).',
      exclusive: ['dir'],
    }),
    redact: Flags.boolean({
      summary:
        'Replace hostnames, MAC and IP addresses, serial numbers, UUIDs and user names with tokens (--no-redact keeps them).',
      default: true,
      allowNo: true,
    }),
    'case-id': Flags.string({
      char: 'c',
      summary: 'Support case id, put in the bundle name and manifest.json (letters, digits, ., _, -).',
      helpValue: 'ID',
    }),
    'redaction-map': Flags.string({
      summary:
        'Write the token → real value map here (JSON, mode 0600), to decode host1 and the like later; never inside the bundle or --dir.',
      helpValue: 'FILE',
    }),
    timeout: Flags.integer({
      summary: 'Seconds each command may run before its process group is killed.',
      default: 10,
      min: 1,
    }),
    quiet: Flags.boolean({
      char: 'q',
      summary: 'No progress lines (also the default when stderr is not a terminal, or in CI).',
    }),
    concurrency: Flags.integer({summary: 'Commands run at once.', min: 1, hidden: true}),
    root: Flags.string({
      summary: 'Read the copied files under this prefix (tests; env XENREADY_ROOT).',
      hidden: true,
      env: 'XENREADY_ROOT',
    }),
    os: Flags.string({
      summary: 'Collect for this OS instead of the running one (tests).',
      options: ['netbsd', 'linux'],
      hidden: true,
    }),
  }

  async run(): Promise<{path: string; bytes: number; files: number; failed: string[]}> {
    // Loaded here, not at start-up: node:crypto and the bundle writer are only for this command.
    const {
      bundleHostPart,
      defaultBaseName,
      dumpContents,
      memberTopDir,
      redactionMapText,
      TempPaths,
      writeBundle,
      writeDumpDir,
      writeFileAtomic,
    } = await import('../evidence/bundle-write.js')
    const {flags} = await this.parse(Collect)
    const caseId = flags['case-id']
    const mapPath = flags['redaction-map']
    // Refused before any command runs: a bad flag costs nothing.
    if (caseId !== undefined) {
      const problem = caseIdProblem(caseId)
      if (problem) throw new UsageError(problem)
    }

    if (flags.output !== undefined && !/\.(tar\.gz|tgz)$/i.test(flags.output))
      throw new UsageError(`--output ${flags.output}: a bundle name ends in .tar.gz or .tgz`)
    if (mapPath !== undefined)
      checkRedactionMapPath(mapPath, {redact: flags.redact, dir: flags.dir, output: flags.output})
    // Before any command runs: an existing bundle needs --force, another kind of file is never replaced,
    // and a place that cannot be written is refused now rather than after the collection. The default
    // name holds the host's token, known only after redacting: checked here with a stand-in of the same
    // directory, and again, by its real name, before writing.
    const provisional = flags.output ?? `${defaultBaseName('host', new Date(), caseId)}.tar.gz`
    checkBundleDestination(
      flags.dir
        ? {path: flags.dir, flag: '--dir', dir: true}
        : {path: provisional, flag: flags.output ? '--output' : 'the default bundle name', force: flags.force},
    )
    const registry = await registryFor(this)
    const specs = evidenceCatalog(registry)
    const os: HostOs = (flags.os as HostOs | undefined) ?? hostOs()
    const temps = new TempPaths()
    const controller = new AbortController()
    const progress = wantsProgress(flags.quiet) ? new Progress(process.stderr) : undefined

    // Ctrl-C: stop the commands (their process groups), remove every temp file, exit 130.
    const onSignal = (signal: NodeJS.Signals) => {
      controller.abort()
      progress?.stop()
      temps.removeAll()
      process.stderr.write(`xenready: interrupted (${signal}); nothing written\n`)
      process.exit(130)
    }

    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      const collected = await collect(specs, {
        os,
        timeoutMs: flags.timeout * 1000,
        concurrency: flags.concurrency ?? Math.max(4, cpus().length * 2),
        signal: controller.signal,
        root: flags.root,
        onStart: progress ? (s) => progress.start(s) : undefined,
        onDone: progress ? (e) => progress.done(e) : undefined,
      })
      progress?.stop()
      const contents = dumpContents(collected, {
        tool: 'xenready',
        toolVersion: this.config.version,
        os,
        redact: flags.redact,
        ...(caseId ? {caseId} : {}),
      })
      // Failed: nothing saved (missing, not permitted, timed out, no output). `ls -ld` exiting 1 for absent
      // paths is not a failure, nor a spec for another OS (skipped).
      const failed = collected.entries
        .filter((e) => !e.skipped && !collected.evidence.get(e.name)?.present)
        .map((e) => e.name)
      const base = defaultBaseName(bundleHostPart(hostname(), contents), new Date(contents.manifest.created), caseId)
      const writeMap = (bundle: string) => {
        if (mapPath !== undefined) writeFileAtomic(mapPath, redactionMapText(contents, bundle), 0o600, temps)
      }

      const summary = `${contents.files.size} evidence files${failed.length > 0 ? `, ${failed.length} not collected (see manifest.json or \`xenready bundle inspect\`)` : ''}${flags.redact ? ', redacted' : ', not redacted'}`
      if (flags.dir) {
        writeDumpDir(flags.dir, contents, temps)
        writeMap(flags.dir)
        this.log(`${flags.dir}: ${summary}`)
        return {path: flags.dir, bytes: 0, files: contents.files.size, failed}
      }

      const output = flags.output ?? `${base}.tar.gz`
      if (!flags.output) checkBundleDestination({path: output, flag: 'the default bundle name', force: flags.force})
      const written = await writeBundle(output, contents, temps, {
        top: memberTopDir(output, contents, hostname(), base),
      })
      writeMap(output)
      this.log(`${output} (${formatBytes(written.bytes)}): ${summary}`)
      return {path: written.path, bytes: written.bytes, files: contents.files.size, failed}
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      temps.removeAll()
    }
  }
}

/**
 * The redaction map holds the real values: it must never travel with the bundle. Refused: without
 * redaction (there is nothing to map), inside the --dir dump, or the bundle (or its .sha256) itself.
 */
function checkRedactionMapPath(path: string, o: {redact: boolean; dir?: string; output?: string}): void {
  if (!o.redact) throw new UsageError('--redaction-map: nothing to map with --no-redact')
  const target = resolve(path)
  if (o.dir !== undefined) {
    const rel = relative(resolve(o.dir), target)
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)))
      throw new UsageError(
        `--redaction-map ${path}: inside the dump directory ${o.dir}; keep the map out of what you send`,
      )
  }

  if (o.output !== undefined && (target === resolve(o.output) || target === resolve(`${o.output}.sha256`)))
    throw new UsageError(`--redaction-map ${path}: that is the bundle's own path; choose another file`)
  if (existsSync(target))
    throw new UsageError(`--redaction-map ${path} already exists; choose another file (it is never overwritten)`)
}
