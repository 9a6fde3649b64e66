import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {ROOT} from '../helpers.js'
import {tempDir} from '../support/temp.js'

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs the built CLI (bin/run.js) as a user would, with a private plugin data directory. */
export function xenready(
  args: string[],
  options: {dataHome?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv} = {},
): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      XDG_DATA_HOME: options.dataHome ?? freshDataHome(),
      NODE_ENV: 'production',
      ...options.env,
    },
    timeout: 60_000,
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

export function freshDataHome(): string {
  return tempDir('xenready-data-')
}
