import type {EvidenceSpec} from '../engine/types.js'
import type {ManifestEntry} from '../evidence/manifest.js'

/** Progress goes to a terminal only: never with --quiet, in CI (`CI` set), or when stderr is a pipe or file. */
export function wantsProgress(
  quiet: boolean | undefined,
  stream: {isTTY?: boolean} = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return !quiet && Boolean(stream.isTTY) && !env.CI
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/**
 * On a TTY: a spinner line while commands run and, unless `lines` is false, one line per command when it
 * ends (done/failed/timed out, with the duration).
 */
export class Progress {
  private readonly running = new Map<string, string>()
  private frame = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly lines = true,
  ) {}

  start(spec: EvidenceSpec): void {
    // A spec runs a command (argv), copies a file (path) or is a library probe (probe: no command, no path).
    const what = spec.argv
      ? spec.argv.join(' ')
      : spec.path
        ? `copy ${spec.path}`
        : spec.library
          ? `read ${spec.library} (${spec.name})`
          : spec.name
    this.running.set(spec.name, what.length > 60 ? `${what.slice(0, 59)}…` : what)
    this.timer ??= setInterval(() => this.draw(), 80).unref()
    this.draw()
  }

  done(entry: ManifestEntry): void {
    const what = this.running.get(entry.name) ?? entry.name
    this.running.delete(entry.name)
    const seconds = `${(entry.durationMs / 1000).toFixed(1)} s`
    const status = entry.timedOut
      ? `timed out (${seconds})`
      : entry.error
        ? `failed: ${entry.error}`
        : entry.exitCode !== null && entry.exitCode !== 0
          ? `done, exit status ${entry.exitCode} (${seconds})`
          : `done (${seconds})`
    const mark = entry.timedOut || entry.error ? '✗' : '✓'
    if (this.lines) this.out.write(`\r\u001B[K${mark} ${what}: ${status}\n`)
    this.draw()
  }

  private draw(): void {
    if (this.running.size === 0) {
      this.out.write('\r\u001B[K')
      return
    }

    const names = [...this.running.values()]
    const line = `${SPINNER[this.frame++ % SPINNER.length]} ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`
    this.out.write(`\r\u001B[K${line.slice(0, Math.max(20, (this.out.columns ?? 80) - 1))}`)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.running.clear()
    this.out.write('\r\u001B[K')
  }
}
