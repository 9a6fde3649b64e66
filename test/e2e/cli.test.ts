import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {dumpPath, ROOT} from '../helpers.js'
import {reportSchemaErrors} from '../unit/reports/schemas.js'
import {freshDataHome, xenready} from './run.js'
import {tempDir} from '../support/temp.js'

const HOWTO = dumpPath('howto-core2-vmx')

describe('xenready check (end to end)', () => {
  // cpu.pae is n/a on a host without Xen (issue 15: PAE matters only for a dom0 of the Xen 3.x/4.1 era).
  it('exit 0 and a text report for a passing dump', () => {
    const r = xenready(['check', '--from', HOWTO, '--only', 'cpu'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('PASS    cpu.hvm')
    expect(r.stdout.trim().split('\n').at(-1)).toBe('READY for --only cpu: 3 pass, 0 warn, 0 fail, 0 unknown, 1 n/a')
    expect(r.stderr).toBe('')
  })

  it('exit 1 when a check fails, and the same evidence passes another target', () => {
    const linux = dumpPath('linux-epyc-vm-nosvm')
    expect(xenready(['check', '--from', linux, '--target', 'hvm', '--only', 'cpu.hvm']).status).toBe(1)
    expect(xenready(['check', '--from', linux, '--target', 'dom0', '--only', 'cpu.hvm']).status).toBe(0)
  })

  it('--json and --format json print the same report', () => {
    const a = JSON.parse(xenready(['check', '--from', HOWTO, '--only', 'cpu', '--json']).stdout)
    const b = JSON.parse(xenready(['check', '--from', HOWTO, '--only', 'cpu', '--format', 'json']).stdout)
    delete a.generated
    delete b.generated
    expect(a).toEqual(b)
    expect(a).toMatchObject({
      schemaVersion: 2,
      tool: {name: 'xenready'},
      source: HOWTO,
      target: 'dom0',
      summary: {pass: 3, fail: 0},
    })
    expect(reportSchemaErrors(JSON.parse(xenready(['check', '--from', HOWTO, '--json']).stdout))).toBeUndefined()
  })

  it.each([
    [
      ['check', '--from', '/nonexistent/dump'],
      /^xenready: cannot read \/nonexistent\/dump: no such file or directory\n$/,
    ],
    [['check', '--bogus'], /^xenready: Nonexistent flag: --bogus\. See `xenready check --help`\.\n$/],
    [['check', '--target', 'xen2'], /^xenready: Expected --target=xen2 to be one of: dom0, hvm, pci-passthrough\n$/],
    [['check', '--from', HOWTO, '--only', 'cpu.nope'], /^xenready: --only: no check or plugin is named "cpu.nope"/],
    [['explain', 'no.such-check'], /^xenready: no check is named "no.such-check"/],
    [['no-such-command'], /^xenready: command no-such-command not found\. See `xenready --help`\.\n$/],
    [['pci', '--from', HOWTO, '--device', 'zz:zz'], /^xenready: --device "zz:zz": not bus:dev.func in hex/],
    [
      ['check', '--from', HOWTO, '--domu', '/nonexistent/nbsd'],
      /^xenready: --domu: no such file \/nonexistent\/nbsd\n$/,
    ],
    [['check', '--from', HOWTO, '--domu', ROOT], /^xenready: --domu: .* is a directory\n$/],
    [
      ['collect', '--dir', '/proc/xenready-cannot-be-here', '--quiet'],
      /^xenready: --dir \/proc\/xenready-cannot-be-here: cannot write there: cannot create a file there \(ENOENT\)\n$/,
    ],
  ])('usage and input errors end in one line and exit 2: %j', (args, pattern) => {
    const r = xenready(args as string[])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(pattern)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
  })

  it('--help of every command has examples', () => {
    for (const command of ['check', 'checks', 'explain']) {
      const r = xenready([command, '--help'])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('EXAMPLES')
    }
  })

  it('`probes`, the first name of `checks`, still works and is not listed twice in --help', () => {
    const checks = xenready(['checks', '--json'])
    expect(checks.status).toBe(0)
    expect(JSON.parse(checks.stdout).plugins.length).toBeGreaterThan(5)
    expect(xenready(['probes', '--json']).stdout).toBe(checks.stdout)
    expect(xenready(['--help']).stdout).not.toMatch(/^\s+probes\s/m)
  })

  it('explain prints what, why and how to fix', () => {
    const r = xenready(['explain', 'cpu.hvm'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Why it matters:')
    expect(r.stdout).toContain('cpuctl identify 0 > cpuctl-identify.txt')
  })

  it('explain shows who acts and the version that introduced the check (text and --json)', () => {
    const r = xenready(['explain', 'storage.guest-space'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('; who acts: os-config; since xenready 0.1.0\n')
    expect(JSON.parse(xenready(['explain', 'storage.guest-space', '--json']).stdout)).toMatchObject({
      actor: 'os-config',
      since: '0.1.0',
    })
  })

  it('a file given as a dump is an input error', () => {
    const r = xenready(['check', '--from', `${ROOT}/package.json`])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^xenready: /)
  })
})

describe('third-party plugins through oclif', () => {
  it('a linked plugin shows in checks and in reports, registered by its own package', () => {
    const dataHome = freshDataHome()
    const link = xenready(['plugins', 'link', `${ROOT}/examples/xenready-plugin-uname`, '--no-install'], {dataHome})
    expect(link.status).toBe(0)
    const probes = JSON.parse(xenready(['checks', '--json'], {dataHome}).stdout)
    const example = probes.plugins.find((p: {name: string}) => p.name === 'example')
    expect(example).toMatchObject({package: 'xenready-plugin-uname', checks: [{id: 'example.uname'}]})
    expect(probes.plugins.find((p: {name: string}) => p.name === 'cpu').package).toBe('xenready')
    const report = JSON.parse(xenready(['check', '--from', HOWTO, '--json'], {dataHome}).stdout)
    expect(report.findings.find((f: {id: string}) => f.id === 'example.uname')).toMatchObject({
      status: 'warn',
      plugin: 'example',
    })
    // Without the plugin, the check is not there.
    const plain = JSON.parse(xenready(['check', '--from', HOWTO, '--json']).stdout)
    expect(plain.findings.find((f: {id: string}) => f.id === 'example.uname')).toBeUndefined()
  })

  it('a plugin that throws or returns nonsense is an error on that plugin; the other checks still run', () => {
    const dataHome = freshDataHome()
    for (const name of ['synthetic-throwing-plugin', 'synthetic-nonsense-plugin']) {
      expect(
        xenready(['plugins', 'link', `${ROOT}/test/fixtures/plugins/${name}`, '--no-install'], {dataHome}).status,
      ).toBe(0)
    }

    const r = xenready(['check', '--from', HOWTO, '--json'], {dataHome})
    expect(r.status).toBe(1)
    const report = JSON.parse(r.stdout)
    expect(report.pluginErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          package: 'synthetic-throwing-plugin',
          message: expect.stringContaining('broken on purpose'),
        }),
        expect.objectContaining({package: 'synthetic-nonsense-plugin', plugin: 'nonsense'}),
      ]),
    )
    expect(report.findings.find((f: {id: string}) => f.id === 'crashy.boom')).toMatchObject({
      status: 'error',
      message: expect.stringContaining('boom'),
    })
    expect(reportSchemaErrors(report)).toBeUndefined()
    expect(report.findings.find((f: {id: string}) => f.id === 'cpu.hvm')).toMatchObject({status: 'pass'})
    const text = xenready(['check', '--from', HOWTO], {dataHome})
    expect(text.stdout).toContain('ERROR plugin from synthetic-throwing-plugin')
  })
})

describe('check --domu and bundle caps', () => {
  const dumps = `${ROOT}/test/fixtures/dumps`

  it('--domu checks configuration files given on the command line against the dump', () => {
    const r = xenready([
      'check',
      '--from',
      `${dumps}/synthetic-netbsd51-dom0-howto-domus`,
      '--domu',
      `${dumps}/synthetic-netbsd51-dom0-broken-domus/files/usr/pkg/etc/xen/syntaxerr`,
      '--only',
      'domu.syntax',
      '--json',
    ])
    expect(r.status).toBe(1)
    const report = JSON.parse(r.stdout)
    const mine = report.findings.find((f: {subject?: string}) => f.subject === 'syntaxerr')
    expect(mine).toMatchObject({status: 'fail', evidence: [{source: 'domu/syntaxerr', line: 4}]})
  })

  it('--domu with several dumps is a usage error', () => {
    const r = xenready(['check', '--from', HOWTO, '--from', HOWTO, '--domu', 'x'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(
      'xenready: --domu checks configurations against one dom0: give one --from (or none, for this host)\n',
    )
  })

  it('--max-bundle-files refuses a bundle with more entries', () => {
    const tmp = tempDir('xenready-cap-')
    const bundle = join(tmp, 'b.tar.gz')
    execFileSync('tar', ['-czf', bundle, '-C', `${dumps}/synthetic-netbsd10-xen420-dom0-xl`, '.'])
    expect(xenready(['check', '--from', bundle, '--only', 'cpu']).status).toBe(0)
    const r = xenready(['check', '--from', bundle, '--max-bundle-files', '3'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^xenready: .*past the cap of 3 entries \(--max-bundle-files\)\n$/)
  })
})
