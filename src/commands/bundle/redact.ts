import {basename} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {XenreadyCommand} from '../../cli/base-command.js'
import {UsageError} from '../../engine/registry.js'
import type {Evidence} from '../../engine/types.js'
import {DumpEvidenceSet} from '../../evidence/dump.js'
import {MANIFEST_NAME} from '../../evidence/manifest.js'
import {openSource} from '../../evidence/source.js'
import {checkBundleDestination} from '../../reports/output.js'
import {formatBytes} from '../../util/bytes.js'

export interface RedactResult {
  path: string
  files: number
  counts: Record<string, number>
}

export default class BundleRedact extends XenreadyCommand {
  static override summary =
    'Write a redacted copy of a bundle or dump: host names, MAC and IP addresses, serial numbers, UUIDs and user names replaced consistently.'
  static override description = `For bundles written without redaction: by \`xenready collect --no-redact\` or \`scripts/xenready-collect.sh -R\`.
The input is read with the same checks as \`check --from\`; the copy is written atomically, with its manifest.json saying what was redacted (counts per kind, never the values).
The copy never replaces the input; an existing --output only with --force.
The findings of the copy are those of the original.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> xenready-xen0-20261125-101500.tar.gz --output xen0-redacted.tar.gz',
    '<%= config.bin %> <%= command.id %> dump/ --dir dump-redacted/',
  ]

  static override enableJsonFlag = true
  static override args = {
    bundle: Args.string({
      description: 'Bundle (.tar.gz, .tgz), dump directory, or - for a bundle on stdin.',
      required: true,
    }),
  }

  static override flags = {
    output: Flags.string({
      char: 'o',
      summary: 'Bundle to write (default: <input>-redacted.tar.gz).',
      helpValue: 'FILE',
      exclusive: ['dir'],
    }),
    dir: Flags.string({
      char: 'd',
      summary: 'Write a dump directory instead (must not exist, or be empty).',
      helpValue: 'DIR',
    }),
    force: Flags.boolean({
      summary: 'Replace an existing bundle at --output (never the input, never another kind of file).',
      exclusive: ['dir'],
    }),
  }

  async run(): Promise<RedactResult> {
    // Loaded here, not at start-up: node:crypto and the bundle writer are only for this command.
    const {dumpContents, TempPaths, writeBundle, writeDumpDir} = await import('../../evidence/bundle-write.js')
    const {args, flags} = await this.parse(BundleRedact)
    const output =
      flags.output ??
      `${basename(args.bundle === '-' ? 'bundle' : args.bundle)
        .replace(/\.(tar\.gz|tgz)$/i, '')
        .replace(/\/+$/, '')}-redacted.tar.gz`
    // Before reading: never over the input (also through a symbolic link), an existing bundle only with --force.
    checkBundleDestination(
      flags.dir
        ? {path: flags.dir, flag: '--dir', dir: true}
        : {path: output, flag: flags.output ? '--output' : 'the default output name', force: flags.force},
      [args.bundle],
    )
    const source = await openSource(args.bundle)
    const temps = new TempPaths()
    try {
      const dump = source.evidence
      if (!(dump instanceof DumpEvidenceSet)) throw new UsageError(`${args.bundle} is not a dump or a bundle`)
      const evidence = new Map<string, Evidence>()
      for (const name of dump.allNames()) if (name !== MANIFEST_NAME) evidence.set(name, dump.get(name))
      const manifest = dump.manifest
      const contents = dumpContents(
        {evidence, entries: manifest?.entries ?? []},
        {
          tool: manifest?.tool ?? 'xenready',
          toolVersion: manifest?.toolVersion ?? this.config.version,
          os: manifest?.os ?? 'unknown',
          redact: true,
          ...(typeof manifest?.caseId === 'string' ? {caseId: manifest.caseId} : {}),
          ...(manifest?.created ? {now: new Date(manifest.created)} : {}),
        },
      )
      const counts = contents.manifest.redaction?.counts ?? {}
      const summary = `${contents.files.size} files, redacted: ${Object.entries(counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`
      if (flags.dir) {
        writeDumpDir(flags.dir, contents, temps)
        this.log(`${flags.dir}: ${summary}`)
        return {path: flags.dir, files: contents.files.size, counts}
      }

      const written = await writeBundle(output, contents, temps)
      this.log(`${output} (${formatBytes(written.bytes)}): ${summary}`)
      return {path: written.path, files: contents.files.size, counts}
    } finally {
      temps.removeAll()
      await source.close()
    }
  }
}
