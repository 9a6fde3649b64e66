import {spawnSync, type SpawnSyncReturns} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {delimiter, dirname, join} from 'node:path'
import {ROOT} from '../../helpers.js'

/**
 * Finding an `ansible-playbook` for the fleet test, in this order:
 *  1. XENREADY_ANSIBLE_PLAYBOOK, when set (a path to the binary);
 *  2. an `ansible-playbook` on PATH (Debian's ansible-core package, which .ci/run installs);
 *  3. with XENREADY_ANSIBLE_PIP=1 only: ansible-core from PyPI in a virtual environment, cached in
 *     node_modules/.cache (not the temp directory, which the tests leave as they found it), when Python 3
 *     with venv is present and PyPI answers. Opt-in, because `npm test` on a machine with only Node must
 *     not spend a minute installing Python packages from the network.
 * None of them: the test is skipped with the reason (test/support/tools.ts), or fails under
 * XENREADY_REQUIRE_TOOLS=1. After a failed pip install, step 3 is not retried for an hour.
 */
export interface AnsibleFound {
  playbook?: string
  /** How it was found, or why nothing was. */
  how: string
}

function run(cmd: string, args: string[], timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {encoding: 'utf8', timeout: timeoutMs})
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name)
    if (dir && existsSync(candidate)) return candidate
  }

  return undefined
}

function works(playbook: string): boolean {
  const r = run(playbook, ['--version'], 60_000)
  return r.status === 0 && /ansible-playbook \[core /.test(r.stdout)
}

function fromPyPI(notes: string[]): string | undefined {
  const python = onPath('python3')
  if (!python) {
    notes.push('no python3 on PATH')
    return undefined
  }

  const venv = join(ROOT, 'node_modules/.cache/xenready-test-ansible-venv')
  mkdirSync(dirname(venv), {recursive: true})
  const playbook = join(venv, 'bin', 'ansible-playbook')
  if (existsSync(playbook) && works(playbook)) return playbook
  // An offline machine costs a venv and a failed pip run (about 12 s); do not retry within the hour.
  const failedMarker = `${venv}.failed`
  if (existsSync(failedMarker) && Date.now() - statSync(failedMarker).mtimeMs < 3_600_000) {
    notes.push(`pip install ansible-core failed less than an hour ago (${failedMarker})`)
    return undefined
  }

  rmSync(venv, {recursive: true, force: true})
  const made = run(python, ['-m', 'venv', venv], 120_000)
  if (made.status !== 0) {
    notes.push(`python3 -m venv failed: ${(made.stderr || made.stdout).trim().split('\n').at(-1)}`)
    return undefined
  }

  // Short network timeouts: an unreachable PyPI should cost seconds, not minutes.
  const pip = run(
    join(venv, 'bin', 'python'),
    ['-m', 'pip', 'install', '--quiet', '--retries', '1', '--timeout', '15', 'ansible-core'],
    600_000,
  )
  if (pip.status === 0 && existsSync(playbook) && works(playbook)) return playbook
  notes.push(
    `pip install ansible-core failed: ${(pip.stderr || pip.stdout || String(pip.error ?? '')).trim().split('\n').at(-1)}`,
  )
  rmSync(venv, {recursive: true, force: true})
  writeFileSync(failedMarker, `${new Date().toISOString()}\n`)
  return undefined
}

export function findAnsible(): AnsibleFound {
  const given = process.env.XENREADY_ANSIBLE_PLAYBOOK
  if (given)
    return works(given)
      ? {playbook: given, how: `XENREADY_ANSIBLE_PLAYBOOK=${given}`}
      : {how: `XENREADY_ANSIBLE_PLAYBOOK=${given} does not run`}
  const notes: string[] = []
  const system = onPath('ansible-playbook')
  if (system && works(system)) return {playbook: system, how: `${system} on PATH`}
  notes.push(
    system ? `${system} does not run` : 'ansible-playbook is not installed (Debian: apt-get install ansible-core)',
  )
  if (process.env.XENREADY_ANSIBLE_PIP === '1') {
    const venv = fromPyPI(notes)
    if (venv) return {playbook: venv, how: 'ansible-core from PyPI in a virtual environment'}
  } else {
    notes.push('XENREADY_ANSIBLE_PIP=1 installs it from PyPI')
  }

  return {how: notes.join('; ')}
}

export const FAKE_NETBSD = join(ROOT, 'test/fixtures/fake-netbsd')
export const PLAYBOOK = join(ROOT, 'contrib/ansible/collect.yml')

export interface PlaybookRun {
  status: number | null
  stdout: string
  stderr: string
  /** PLAY RECAP counters per host: {ok, changed, unreachable, failed, skipped, rescued, ignored}. */
  recap: Record<string, Record<string, number>>
}

export function parseRecap(stdout: string): Record<string, Record<string, number>> {
  const recap: Record<string, Record<string, number>> = {}
  const at = stdout.lastIndexOf('PLAY RECAP')
  if (at < 0) return recap
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line.trim())
    if (!m) continue
    recap[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]))
  }

  return recap
}

/**
 * A private Ansible setup in `work`: its own config (no user or system ansible.cfg), temp dirs we can
 * inspect afterwards, no colour. Inventories are written as YAML (JSON is YAML) so host variables can
 * be dicts.
 */
export function ansibleEnv(work: string): NodeJS.ProcessEnv {
  for (const d of ['ansible-local-tmp', 'ansible-remote-tmp', 'remote-tmp']) mkdirSync(join(work, d), {recursive: true})
  const cfg = join(work, 'ansible.cfg')
  writeFileSync(cfg, '[defaults]\nretry_files_enabled = False\nhost_key_checking = False\n')
  return {
    ...process.env,
    ANSIBLE_CONFIG: cfg,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_LOCAL_TEMP: join(work, 'ansible-local-tmp'),
    ANSIBLE_REMOTE_TEMP: join(work, 'ansible-remote-tmp'),
    ANSIBLE_HOME: join(work, 'ansible-home'),
    // The local connection runs everything as this user; no sudo in tests.
    ANSIBLE_BECOME: 'False',
  }
}

export function runPlaybook(playbook: string, work: string, inventory: object, extraArgs: string[] = []): PlaybookRun {
  const inv = join(work, `inventory-${Date.now()}-${Math.random().toString(16).slice(2)}.yml`)
  writeFileSync(inv, JSON.stringify(inventory, null, 2))
  const r = spawnSync(playbook, ['-i', inv, PLAYBOOK, ...extraArgs], {
    cwd: work,
    encoding: 'utf8',
    env: ansibleEnv(work),
    timeout: 170_000,
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr, recap: parseRecap(r.stdout)}
}

/** The environment every fake host's collector gets: the fake NetBSD commands first on PATH, the fake root. */
export function fakeNetbsdEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${join(FAKE_NETBSD, 'bin')}:/usr/bin:/bin:/usr/sbin:/sbin`,
    XENREADY_ROOT: join(FAKE_NETBSD, 'root'),
    ...extra,
  }
}

/** The Python interpreter an ansible-playbook script runs with (its #! line), which can import ansible. */
export function pythonOf(playbook: string): string[] {
  const first = readFileSync(playbook, 'utf8').split('\n', 1)[0] ?? ''
  const words = first
    .replace(/^#!\s*/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
  return words.length > 0 ? words : ['python3']
}
