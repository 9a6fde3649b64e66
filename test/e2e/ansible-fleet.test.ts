import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  type AnsibleFound,
  FAKE_NETBSD,
  fakeNetbsdEnvironment,
  findAnsible,
  type PlaybookRun,
  pythonOf,
  runPlaybook,
} from './ansible/setup.js'
import {skipUnless} from '../support/tools.js'
import {ROOT} from '../helpers.js'
import {xenready} from './run.js'

/**
 * The fleet flow of contrib/ansible, for real: ansible-playbook runs scripts/xenready-collect.sh on two
 * inventory hosts that are both this machine (local connection), with the fake NetBSD commands of
 * test/fixtures/fake-netbsd first on PATH and its fake root as XENREADY_ROOT. Host xen-b's pkg_info
 * hangs past the per-command timeout (FAKE_NETBSD_HANG, set through the inventory). Then
 * `xenready check --from bundles/ --recursive` must report both hosts, xen-b with unknown findings.
 */

// Seconds each collector command may run on xen-b, whose pkg_info hangs (each run waits this long
// for it). Long enough that a loaded test machine does not time out the other commands, which would
// change the evidence between runs. xen-a has the playbook's default.
const HANG_TIMEOUT = 4
const COLLECTOR = join(ROOT, 'scripts/xenready-collect.sh')

const twoHosts = (bundleDir = 'bundles') => ({
  xenready: {
    vars: {
      ansible_connection: 'local',
      xenready_bundle_dir: bundleDir,
      xenready_environment: fakeNetbsdEnvironment(),
    },
    hosts: {
      'xen-a': {},
      'xen-b': {
        xenready_command_timeout: HANG_TIMEOUT,
        xenready_environment: fakeNetbsdEnvironment({FAKE_NETBSD_HANG: 'pkg_info'}),
      },
    },
  },
})

interface FleetReport {
  kind: string
  summary: {dumps: number; unreadable: number}
  dumps: Array<{source: string; summary: Record<string, number>}>
  reports: Array<{source: string; findings: Array<{id: string; status: string; message: string; remedy: string}>}>
}

let work = ''
let first: PlaybookRun
let second: PlaybookRun

const need = (ctx: {skip: (note?: string) => void}) => {
  if (!ansible.playbook) ctx.skip(`no ansible-playbook: ${ansible.how}`)
}

/** The xenready_bundle results' evidence_changed lists of a -v run, for assertion messages. */
const evidenceChanged = (run: PlaybookRun) =>
  [...run.stdout.matchAll(/^\S+: \[([^\]]+)\].*"evidence_changed": (\[[^\]]*\])/gm)]
    .map((m) => `${m[1]}: ${m[2]}`)
    .join('; ')

const reportOf = (fleet: FleetReport, host: string) => fleet.reports.find((r) => r.source.endsWith(`/${host}.tar.gz`))

// Found while the file is collected, so that a missing ansible-playbook skips (or, under
// XENREADY_REQUIRE_TOOLS=1, fails) through the shared tool check.
const ansible: AnsibleFound = findAnsible()

describe.skipIf(skipUnless(ansible.playbook ? undefined : ansible.how, 'the Ansible fleet test'))(
  'Ansible fleet collection (contrib/ansible/collect.yml)',
  {timeout: 180_000},
  () => {
    beforeAll(() => {
      console.info(`ansible-fleet.test.ts: ${ansible.how}`)

      if (!existsSync(COLLECTOR)) throw new Error(`${COLLECTOR} is missing`)
      work = mkdtempSync(join(tmpdir(), 'xenready-ansible-'))
      const remoteTmp = join(work, 'remote-tmp')
      first = runPlaybook(ansible.playbook, work, twoHosts(), ['-e', `xenready_remote_tmp=${remoteTmp}`])
      // The same again, this time through the connection's file transfer instead of base64 on stdout.
      second = runPlaybook(ansible.playbook, work, twoHosts(), [
        '-v',
        '-e',
        `xenready_remote_tmp=${remoteTmp}`,
        '-e',
        'xenready_transfer=file',
      ])
    }, 600_000)

    afterAll(() => {
      if (work && !process.env.XENREADY_KEEP_TEST_DIR) rmSync(work, {recursive: true, force: true})
    })

    it('the action plugin: decoding, bundle validation, fingerprints, placeholders (Python unit tests)', (ctx) => {
      need(ctx)
      const [python, ...args] = pythonOf(ansible.playbook!)
      const r = spawnSync(python!, [...args, join(ROOT, 'test/e2e/ansible/test_xenready_bundle.py')], {
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(r.status, r.stdout + r.stderr).toBe(0)
      expect(r.stderr).toMatch(/^OK$/m)
    })

    it('runs the playbook on both hosts without a failure', (ctx) => {
      need(ctx)
      expect(first.status, first.stdout + first.stderr).toBe(0)
      expect(Object.keys(first.recap).sort()).toEqual(['xen-a', 'xen-b'])
      for (const host of ['xen-a', 'xen-b']) expect(first.recap[host]).toMatchObject({failed: 0, unreachable: 0})
      // Nothing ran as a Python module on the "targets": no interpreter discovery happened.
      expect(first.stdout + first.stderr).not.toMatch(/interpreter|python/i)
    })

    it('brings back one bundle per inventory host, and leaves no temp files on the hosts', (ctx) => {
      need(ctx)
      expect(readdirSync(join(work, 'bundles')).sort()).toEqual(['xen-a.tar.gz', 'xen-b.tar.gz'])
      for (const host of ['xen-a', 'xen-b'])
        expect(statSync(join(work, 'bundles', `${host}.tar.gz`)).size).toBeGreaterThan(200)
      expect(readdirSync(join(work, 'remote-tmp'))).toEqual([])
      // Ansible's own remote temp dir (the copied script) is cleaned up too.
      const ansibleTmp = join(work, 'ansible-remote-tmp')
      expect(existsSync(ansibleTmp) ? readdirSync(ansibleTmp) : []).toEqual([])
    })

    it('is idempotent: a second run (file transfer this time) changes nothing', (ctx) => {
      need(ctx)
      expect(second.status, second.stdout + second.stderr).toBe(0)
      for (const host of ['xen-a', 'xen-b'])
        expect(second.recap[host], evidenceChanged(second)).toMatchObject({changed: 0, failed: 0, unreachable: 0})
      expect(readdirSync(join(work, 'bundles')).sort()).toEqual(['xen-a.tar.gz', 'xen-b.tar.gz'])
      expect(readdirSync(join(work, 'remote-tmp'))).toEqual([])
    })

    it('redacts on the hosts by default; xenready_redact=false keeps the identifiers; a bundle not redacted although asked for gets a warning', (ctx) => {
      need(ctx)
      const member = (bundle: string, file: string) =>
        spawnSync('tar', ['-xzOf', join(work, bundle, 'xen-a.tar.gz'), `xen-a/${file}`], {encoding: 'utf8'}).stdout
      const redaction = (bundle: string) =>
        (
          JSON.parse(member(bundle, 'manifest.json')) as {
            redaction?: {enabled?: boolean; counts?: Record<string, number>}
          }
        ).redaction
      const warned = (run: PlaybookRun) =>
        `${run.stdout} ${run.stderr}`
          .replace(/\s+/g, ' ')
          .includes('xen-a: redaction was asked for (xenready_redact) but the bundle is not redacted')
      // The first run used the defaults: the fake host's identifiers (test/fixtures/fake-netbsd/README.md) are tokens.
      expect(redaction('bundles')).toEqual({
        enabled: true,
        rules: ['hostname', 'mac', 'ipv4', 'ipv6', 'serial', 'uuid', 'user'],
        counts: {hostname: 1, mac: 1, ipv4: 3, ipv6: 3, serial: 1, uuid: 2, user: 1},
      })
      expect(member('bundles', 'uname.txt')).toMatch(/^NetBSD host1 10\.0 /)
      expect(member('bundles', 'files/etc/ifconfig.wm0')).toContain('inet 198.51.100.1 netmask 255.255.255.0')
      expect(warned(first)).toBe(false)

      const onlyA = (dir: string) => ({xenready: {...twoHosts(dir).xenready, hosts: {'xen-a': {}}}})
      const remoteTmp = ['-e', `xenready_remote_tmp=${join(work, 'remote-tmp')}`]
      const plain = runPlaybook(ansible.playbook!, work, onlyA('plain-bundles'), [
        ...remoteTmp,
        '-e',
        'xenready_redact=false',
      ])
      expect(plain.status, plain.stdout + plain.stderr).toBe(0)
      expect(redaction('plain-bundles')).toEqual({enabled: false, rules: [], counts: {}})
      expect(member('plain-bundles', 'uname.txt')).toMatch(/^NetBSD xen0 10\.0 /)
      expect(member('plain-bundles', 'files/etc/ifconfig.wm0')).toContain('inet 10.20.30.40 netmask 255.255.255.0')
      expect(warned(plain)).toBe(false)

      // Asked for, but the collector was told otherwise: the manifest says so, and the play warns, naming the host.
      const forced = runPlaybook(ansible.playbook!, work, onlyA('forced-bundles'), [
        ...remoteTmp,
        '-e',
        'xenready_collector_args=-R',
      ])
      expect(forced.status, forced.stdout + forced.stderr).toBe(0)
      expect(redaction('forced-bundles')?.enabled).toBe(false)
      expect(warned(forced)).toBe(true)
    })

    it('brings the same bytes back through od (the fallback when base64 and uuencode are missing), and --check writes nothing', (ctx) => {
      need(ctx)
      const remoteTmp = join(work, 'remote-tmp')
      const od = runPlaybook(ansible.playbook!, work, twoHosts(), [
        '-v',
        '-e',
        `xenready_remote_tmp=${remoteTmp}`,
        '-e',
        'xenready_encoding=od',
      ])
      expect(od.status, od.stdout + od.stderr).toBe(0)
      for (const host of ['xen-a', 'xen-b'])
        expect(od.recap[host], evidenceChanged(od)).toMatchObject({changed: 0, failed: 0})

      // --check: xen-a's bundle is gone, so it would change; it is collected but not written.
      rmSync(join(work, 'bundles', 'xen-a.tar.gz'))
      const dry = runPlaybook(ansible.playbook!, work, twoHosts(), [
        '-e',
        `xenready_remote_tmp=${remoteTmp}`,
        '--check',
      ])
      expect(dry.status, dry.stdout + dry.stderr).toBe(0)
      expect(dry.recap['xen-a']).toMatchObject({changed: 1, failed: 0})
      expect(dry.recap['xen-b']).toMatchObject({changed: 0, failed: 0})
      expect(existsSync(join(work, 'bundles', 'xen-a.tar.gz'))).toBe(false)
      // And a real run brings it back.
      const again = runPlaybook(ansible.playbook!, work, twoHosts(), ['-e', `xenready_remote_tmp=${remoteTmp}`])
      expect(again.recap['xen-a']).toMatchObject({changed: 1, failed: 0})
      expect(readdirSync(join(work, 'bundles')).sort()).toEqual(['xen-a.tar.gz', 'xen-b.tar.gz'])
      expect(readdirSync(remoteTmp)).toEqual([])
      // Three playbook runs, each waiting out xen-b's hung pkg_info: more than 180 s on a loaded machine.
    }, 420_000)

    it('xenready check --from bundles/ --recursive reports both hosts; the hung command makes unknowns, not a missing host', (ctx) => {
      need(ctx)
      // As an administrator runs it, in the directory the playbook ran in (relative paths in the table).
      const text = spawnSync(
        process.execPath,
        [join(ROOT, 'bin/run.js'), 'check', '--from', 'bundles/', '--recursive'],
        {cwd: work, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
      )
      expect(text.status, text.stderr).not.toBe(2)
      expect(text.stdout).toMatch(/^bundles\/xen-a\.tar\.gz +dom0 /m)
      expect(text.stdout).toMatch(/^bundles\/xen-b\.tar\.gz +dom0 /m)
      expect(text.stdout).toMatch(/^2 dumps: /m)
      // The summary table of a real run, for docs/fleet.md (XENREADY_KEEP_TEST_DIR=1 keeps it).
      writeFileSync(join(work, 'summary.txt'), text.stdout)

      const json = xenready(['check', '--from', join(work, 'bundles'), '--recursive', '--json'])
      const fleet = JSON.parse(json.stdout) as FleetReport
      expect(fleet.kind).toBe('fleet')
      expect(fleet.summary).toMatchObject({dumps: 2, unreadable: 0})
      const a = reportOf(fleet, 'xen-a')!
      const b = reportOf(fleet, 'xen-b')!
      expect(a && b).toBeTruthy()

      // xen-a answered everything: its packages check has evidence.
      expect(a.findings.find((f) => f.id === 'xen.packages')?.status).toBe('pass')
      // xen-b's pkg_info was killed by the per-command timeout: the checks that need it say unknown, and why.
      const packages = b.findings.find((f) => f.id === 'xen.packages')!
      expect(packages.status).toBe('unknown')
      expect(`${packages.message} ${packages.remedy}`).toMatch(/pkg_info/)
      expect(`${packages.message} ${packages.remedy}`).toMatch(/timed out/)
      // Everything else on xen-b was collected: its CPU checks still have evidence.
      expect(b.findings.find((f) => f.id === 'cpu.hvm')?.status).toBe('pass')
    })

    it('hosts whose collection fails entirely are reported (placeholder bundles), not missing', (ctx) => {
      need(ctx)
      // xen-c cannot even make its work directory: the remote temp dir does not exist.
      // xen-d is unreachable: ssh to a closed port (only where an ssh client is installed).
      const withSsh = spawnSync('ssh', ['-V'], {encoding: 'utf8'}).error === undefined
      const hosts: Record<string, object> = {'xen-c': {xenready_remote_tmp: join(work, 'no-such-dir')}}
      if (withSsh)
        hosts['xen-d'] = {
          ansible_connection: 'ssh',
          ansible_host: '127.0.0.1',
          ansible_port: 1,
          ansible_ssh_common_args: '-o ConnectTimeout=5',
        }
      const broken = {
        xenready: {
          vars: {
            ansible_connection: 'local',
            xenready_bundle_dir: 'broken-bundles',
            xenready_environment: fakeNetbsdEnvironment(),
          },
          hosts,
        },
      }
      const run = runPlaybook(ansible.playbook!, work, broken)
      expect(run.status, run.stdout + run.stderr).toBe(0)
      expect(run.stdout + run.stderr).toMatch(/xen-c: no bundle \(no work directory on the host/)
      if (withSsh) expect(run.stdout + run.stderr).toMatch(/xen-d: no bundle \(host unreachable/)
      expect(readdirSync(join(work, 'broken-bundles')).sort()).toEqual(
        Object.keys(hosts)
          .map((h) => `${h}.tar.gz`)
          .sort(),
      )

      const json = xenready(['check', '--from', join(work, 'broken-bundles'), '--recursive', '--json'])
      const fleet = JSON.parse(json.stdout) as FleetReport
      expect(fleet.summary).toMatchObject({dumps: Object.keys(hosts).length, unreadable: 0})
      // xen-d is in the inventory only where ssh is; xen-c always is, so the loop never checks nothing.
      expect(hosts['xen-c']).toBeDefined()
      for (const [host, reason] of [
        ['xen-c', /not collected: no work directory/],
        ['xen-d', /not collected: host unreachable/],
      ] as const) {
        if (!hosts[host]) continue
        const report = reportOf(fleet, host)!
        expect(report.findings.length).toBeGreaterThan(0)
        expect(report.findings.every((f) => f.status === 'unknown' || f.status === 'n/a')).toBe(true)
        const packages = report.findings.find((f) => f.id === 'xen.packages')!
        expect(`${packages.message} ${packages.remedy}`).toMatch(reason)
      }

      // --fail-when-missing turns the same situation into a failed host (after writing the placeholder).
      const strict = runPlaybook(
        ansible.playbook!,
        work,
        {xenready: {...broken.xenready, hosts: {'xen-c': hosts['xen-c']}}},
        ['-e', 'xenready_fail_when_missing=true'],
      )
      expect(strict.status).toBe(2)
      expect(strict.recap['xen-c']).toMatchObject({failed: 1})
      expect(readFileSync(join(work, 'broken-bundles', 'xen-c.tar.gz')).length).toBeGreaterThan(100)
    })
  },
)

describe('the fake NetBSD PATH (test/fixtures/fake-netbsd)', () => {
  it('replays every command the collector runs, or the command is absent from this machine too', () => {
    // A collector command with no fake would reach the test machine's own one (Linux ifconfig, say):
    // not NetBSD output, and not the same from run to run.
    const script = readFileSync(COLLECTOR, 'utf8')
    const section = script.slice(
      script.indexOf('# BEGIN GENERATED COMMANDS'),
      script.indexOf('# END GENERATED COMMANDS'),
    )
    const commands = new Set<string>()
    for (const line of section.split('\n')) {
      // `on <os,...> run NAME ARGV...`: only the lines a NetBSD host runs.
      const all = line.trim().split(/\s+/)
      if (all[0] !== 'on' || !/(^|,)(any|netbsd)(,|$)/.test(all[1] ?? '')) continue
      const words = all.slice(2)
      if (words[0] === 'run' || words[0] === 'run_merge') commands.add(words[2]!)
      else if (words[0] === 'run_each') commands.add(words[3]!)
    }

    expect(commands.size).toBeGreaterThan(5)
    const systemDirs = fakeNetbsdEnvironment().PATH!.split(':').slice(1)
    const leaks = [...commands].filter(
      (c) => !existsSync(join(FAKE_NETBSD, 'bin', c)) && systemDirs.some((d) => existsSync(join(d, c))),
    )
    expect(leaks, 'add a fake for each to test/fixtures/fake-netbsd/bin (a replay, or an "unrecorded" stub)').toEqual(
      [],
    )
  })
})
