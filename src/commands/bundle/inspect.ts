import {statSync} from 'node:fs'
import {basename, join} from 'node:path'
import {Args} from '@oclif/core'
import {XenreadyCommand} from '../../cli/base-command.js'
import {UsageError} from '../../engine/registry.js'
import {registryFor} from '../../cli/context.js'
import {evidenceCatalog} from '../../engine/catalog.js'
import {specsFor, type HostOs} from '../../evidence/collect.js'
import {DumpEvidenceSet} from '../../evidence/dump.js'
import {MANIFEST_NAME, missingReason} from '../../evidence/manifest.js'
import {openSource} from '../../evidence/source.js'
import {formatBytes} from '../../util/bytes.js'

export interface BundleListing {
  source: string
  files: Array<{name: string; bytes: number}>
  totalBytes: number
  collectedBy: {tool: string; toolVersion: string; created: string; os?: string; caseId?: string} | null
  /** `<bundle>.sha256` verified (a mismatch is an error, exit 2); null when there is none. */
  checksum: {file: string; sha256: string; ok: true} | null
  /** Commands and files the manifest says could not be collected (or were cut short). */
  notCollected: Array<{name: string; reason: string; timedOut: boolean; exitCode: number | null}>
  /** Commands and files not run because they do not apply to the host (another OS's), with why. */
  skipped: Array<{name: string; reason: string}>
  /** Evidence the registered plugins declare for the bundle's OS that is neither in the bundle nor in its manifest. */
  absent: string[]
  /** `rules`: the kinds of identifier replaced; null when the manifest predates recording them. */
  redaction: {enabled: boolean; rules: string[] | null; counts: Record<string, number>} | null
}

export default class BundleInspect extends XenreadyCommand {
  static override summary =
    'List what a bundle or dump holds: files and sizes, commands that failed, timed out or were skipped, redaction summary; verifies <bundle>.sha256.'
  static override description = `Reads the bundle with the same checks as \`check --from\` (a .tar.gz, .tgz, a dump directory, or - for stdin), so support can see what is missing before reading the report.

When <bundle>.sha256 lies beside the bundle (both collectors write one), the bundle is checked against it first: a mismatch exits 2 with one line.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> xenready-xen0-20240328-083333.tar.gz',
    '<%= config.bin %> <%= command.id %> dump/ --json',
  ]
  static override enableJsonFlag = true
  static override args = {
    bundle: Args.string({
      description: 'Bundle (.tar.gz, .tgz), dump directory, or - for a bundle on stdin.',
      required: true,
    }),
  }

  async run(): Promise<BundleListing> {
    const {args} = await this.parse(BundleInspect)
    const {verifyBundleChecksum} = await import('../../evidence/bundle-checksum.js')
    // Before anything is extracted: a damaged bundle is refused with the reason, not half-read.
    const checksum = (await verifyBundleChecksum(args.bundle)) ?? null
    const source = await openSource(args.bundle)
    let listing: BundleListing
    try {
      const dump = source.evidence
      if (!(dump instanceof DumpEvidenceSet)) throw new UsageError(`${args.bundle} is not a dump or a bundle`)
      const files = dump.allNames().map((name) => ({name, bytes: statSync(join(dump.root, ...name.split('/'))).size}))
      const m = dump.manifest
      const notCollected = (m?.entries ?? [])
        .filter((e) => !e.skipped && (!dump.allNames().includes(e.name) || e.timedOut || e.error))
        .map((e) => ({name: e.name, reason: missingReason(e), timedOut: e.timedOut, exitCode: e.exitCode}))
      const os = (m?.os === 'netbsd' || m?.os === 'linux' ? m.os : 'netbsd') as HostOs
      const known = new Set([...dump.allNames(), ...(m?.entries ?? []).map((e) => e.name)])
      const registry = await registryFor(this)
      const absent = specsFor(evidenceCatalog(registry), os)
        .map((s) => s.name)
        .filter((n) => !n.includes('{') && !known.has(n))
        .sort()
      listing = {
        source: source.label,
        files,
        totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
        collectedBy: m
          ? {
              tool: m.tool,
              toolVersion: m.toolVersion,
              created: m.created,
              os: m.os,
              ...(typeof m.caseId === 'string' ? {caseId: m.caseId} : {}),
            }
          : null,
        checksum,
        notCollected,
        skipped: (m?.entries ?? [])
          .filter((e) => typeof e.skipped === 'string')
          .map((e) => ({name: e.name, reason: e.skipped!})),
        absent,
        redaction: m?.redaction
          ? {
              enabled: Boolean(m.redaction.enabled),
              rules: Array.isArray(m.redaction.rules) ? m.redaction.rules.map(String) : null,
              counts: m.redaction.counts ?? {},
            }
          : null,
      }
    } finally {
      await source.close()
    }

    this.log(render(listing))
    return listing
  }
}

export function render(l: BundleListing): string {
  const out: string[] = []
  const by = l.collectedBy
  out.push(
    `${l.source}: ${l.files.length} files, ${formatBytes(l.totalBytes)}${by ? `; collected by ${by.tool} ${by.toolVersion} on ${by.created}${by.os ? ` (${by.os})` : ''}` : '; no manifest.json'}`,
  )
  if (by?.caseId) out.push(`Case: ${by.caseId}`)
  out.push(
    l.checksum
      ? `Checksum: matches ${basename(l.checksum.file)} (sha256 ${l.checksum.sha256})`
      : 'Checksum: no .sha256 file beside it, not verified',
  )
  out.push('', 'Files:')
  const width = Math.min(48, Math.max(...l.files.map((f) => f.name.length), 4))
  for (const f of l.files) out.push(`  ${f.name.padEnd(width)}  ${formatBytes(f.bytes)}`)
  if (l.notCollected.length > 0) {
    out.push('', `Not collected or cut short (${l.notCollected.length}):`)
    for (const e of l.notCollected) out.push(`  ${e.timedOut ? 'TIMEOUT' : 'FAILED '}  ${e.name}: ${e.reason}`)
  }

  if (l.skipped.length > 0) {
    // One line per reason: a Linux bundle skips some twenty NetBSD-only commands, and none is a failure.
    out.push('', `Skipped, not for this host (${l.skipped.length}):`)
    const byReason = new Map<string, string[]>()
    for (const e of l.skipped) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.name])
    for (const [reason, names] of byReason) out.push(`  SKIPPED  ${reason}: ${names.join(', ')}`)
  }

  if (l.absent.length > 0)
    out.push('', `Declared by the plugins but not in the bundle (${l.absent.length}): ${l.absent.join(', ')}`)
  if (!l.redaction) out.push('', 'Redaction: unknown (no manifest)')
  else if (!l.redaction.enabled)
    out.push('', 'Redaction: off (host names, addresses and serial numbers are as collected)')
  else {
    const counts = Object.entries(l.redaction.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
    const rules = l.redaction.rules ? `rules ${l.redaction.rules.join(', ')}` : 'rules not recorded'
    out.push(
      '',
      `Redaction: on (${rules}); distinct values replaced: ${counts.length > 0 ? counts.join(', ') : 'none found'}`,
    )
  }

  return out.join('\n')
}

export {MANIFEST_NAME}
