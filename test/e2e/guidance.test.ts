import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {dumpPath, ROOT} from '../helpers.js'
import {freshDataHome, xenready} from './run.js'

const HOWTO = dumpPath('howto-core2-vmx')
const PCIBACK = dumpPath('synthetic-netbsd51-xen31-pciback-xeon-ok')
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string

/** One line on stderr, nothing on stdout, exit 2: how every usage error ends. */
function expectUsageError(args: string[], pattern: RegExp, options: Parameters<typeof xenready>[1] = {}) {
  const r = xenready(args, options)
  expect(r.status, r.stderr).toBe(2)
  expect(r.stderr).toMatch(pattern)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.stdout).toBe('')
  return r
}

describe('-h, --version, -v and version', () => {
  it.each([
    [['-h']],
    [['check', '-h']],
    [['bundle', 'inspect', '-h']],
    [['plugins', 'link', '-h']],
    [['explain', '-h']],
    [['pci', '-h']],
    [['help', '-h']],
  ])('%j shows the same help as --help', (args) => {
    const r = xenready(args)
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe(xenready(args.map((a) => (a === '-h' ? '--help' : a))).stdout)
    expect(r.stdout).toContain('USAGE')
  })

  it.each([[['--version']], [['-v']], [['version']]])('%j prints the version', (args) => {
    const r = xenready(args)
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(
      new RegExp(`^xenready/${version.replaceAll('.', '\\.')} \\S+ node-v\\d+\\.\\d+\\.\\d+\\n$`),
    )
  })

  it('version --json', () => {
    expect(JSON.parse(xenready(['version', '--json']).stdout)).toMatchObject({
      name: 'xenready',
      version,
      node: process.versions.node,
    })
  })

  it('-v after a command keeps its meaning there (check --verbose)', () => {
    const r = xenready(['check', '--from', HOWTO, '--only', 'cpu.hvm', '-v'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('cpu.hvm')
  })
})

describe('a mistyped command or flag gets the nearest one and the help to read', () => {
  it.each([
    [
      ['chek', '--from', HOWTO],
      /^xenready: command chek not found \(did you mean check\?\)\. See `xenready --help`\.\n$/,
    ],
    [['colect'], /^xenready: command colect not found \(did you mean collect\?\)\. See `xenready --help`\.\n$/],
    [['help', 'chek'], /^xenready: command chek not found \(did you mean check\?\)\. See `xenready --help`\.\n$/],
    [['help', 'bundle', 'redct'], /^xenready: command bundle redct not found \(did you mean bundle redact\?\)/],
    [['help', 'no-such-command'], /^xenready: command no-such-command not found\. See `xenready --help`\.\n$/],
    [['plugin'], /\(did you mean plugins\?\)/],
    [
      ['bundle', 'inspekt', 'x.tar.gz'],
      /^xenready: command bundle inspekt not found \(did you mean bundle inspect\?\)/,
    ],
    [['no-such-command'], /^xenready: command no-such-command not found\. See `xenready --help`\.\n$/],
    [['--verison'], /^xenready: Nonexistent flag: --verison \(did you mean --version\?\)\. See `xenready --help`\.\n$/],
    [[HOWTO], /\(to check that dump or bundle: `xenready check --from \S+howto-core2-vmx`\)/],
    [
      ['check', '--frm', HOWTO],
      /^xenready: Nonexistent flag: --frm \(did you mean --from\?\)\. See `xenready check --help`\.\n$/,
    ],
    [
      ['check', '--from', HOWTO, '--jsn', '--trget=dom0'],
      /^xenready: Nonexistent flags: --jsn \(did you mean --json\?\), --trget=dom0 \(did you mean --target\?\)\. See `xenready check --help`\.\n$/,
    ],
    [['check', '--bogus'], /^xenready: Nonexistent flag: --bogus\. See `xenready check --help`\.\n$/],
    [
      ['bundle', 'inspect', 'x', '--jsno'],
      /^xenready: Nonexistent flag: --jsno \(did you mean --json\?\)\. See `xenready bundle inspect --help`\.\n$/,
    ],
    [
      ['check', '--from', HOWTO, '--only', 'cpu.hmv'],
      /^xenready: --only: no check or plugin is named "cpu.hmv" \(did you mean cpu.hvm\? see `xenready checks`\)\n$/,
    ],
  ])('%j', (args, pattern) => {
    expectUsageError(args, pattern)
  })
})

describe('explain', () => {
  it('a plugin name lists the checks of that plugin', () => {
    const r = xenready(['explain', 'cpu'])
    expect(r.status).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^cpu: .* \(plugin from xenready\), 4 checks:$/)
    for (const id of ['cpu.i686', 'cpu.hvm', 'cpu.64bit', 'cpu.pae'])
      expect(lines.some((l) => l.trimStart().startsWith(`${id} `))).toBe(true)
    expect(JSON.parse(xenready(['explain', 'cpu', '--json']).stdout)).toMatchObject({
      plugin: 'cpu',
      package: 'xenready',
      checks: [{id: 'cpu.i686'}, {id: 'cpu.hvm'}, {id: 'cpu.64bit'}, {id: 'cpu.pae'}],
    })
  })

  it('a mistyped check id suggests the nearest one, exit 2', () => {
    expectUsageError(
      ['explain', 'cpu.hmv'],
      /^xenready: no check is named "cpu.hmv" \(did you mean cpu.hvm\?\)\. See `xenready checks`\.\n$/,
    )
    expectUsageError(['explain', 'qqq.zzz'], /^xenready: no check is named "qqq.zzz"\. See `xenready checks`\.\n$/)
  })
})

describe('pci', () => {
  it.each([
    ['00:20.0', /^xenready: --device 00:20.0: device 0x20 is past 0x1f \(a bus has devices 00-1f\)\n$/],
    ['00:1f.8', /^xenready: --device 00:1f.8: function 8 is past 7/],
    ['100:00.0', /^xenready: --device 100:00.0: bus 0x100 is past 0xff\n$/],
    ['000:32:0', /^xenready: --device 000:32:0: device 32 is past 31/],
    ['garbage', /^xenready: --device "garbage": not bus:dev.func in hex/],
  ])('--device %s is refused before anything is read', (device, pattern) => {
    expectUsageError(['pci', '--from', PCIBACK, '--device', device], pattern)
  })

  it('--device prints the line to use first, then what the current pciback.hide already hides, then the table', () => {
    const r = xenready(['pci', '--from', PCIBACK, '--device', '00:14.0,07:00.0,00:1a.0'])
    expect(r.status).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines.slice(0, 5)).toEqual([
      'On the dom0 line, replace pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6) with this, then reboot:',
      '  pciback.hide=(00:14.0)(07:00.0)(00:1a.0)',
      'In the domU configuration:',
      "  pci = [ '0000:00:14.0', '0000:07:00.0', '0000:00:1a.0' ]",
      'Already hidden by the current pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6): 00:14.0, 07:00.0.',
    ])
    expect(lines.findIndex((l) => l.startsWith('BUS:DEV.FN'))).toBeGreaterThan(5)
    const same = xenready(['pci', '--from', PCIBACK, '--device', '00:14.0,07:00.0'])
    expect(same.stdout.split('\n')[0]).toBe(
      'The dom0 line already hides 00:14.0, 07:00.0: pciback.hide=(00:14.0)(07:00.0) (files/grub/menu.lst:6); nothing to change there.',
    )
    const json = JSON.parse(xenready(['pci', '--from', PCIBACK, '--device', '00:14.0,00:1a.0', '--json']).stdout)
    expect(json).toMatchObject({
      currentHide: 'pciback.hide=(00:14.0)(07:00.0)',
      currentHideAt: 'files/grub/menu.lst:6',
      selection: {alreadyHidden: ['00:14.0'], dropped: ['07:00.0']},
    })
  })

  it.runIf(process.platform === 'linux')('without --from, lists the devices of this host (lspci -nn)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'xenready-fake-lspci-'))
    const sample = join(ROOT, 'test/fixtures/samples/lspci-nn-ubuntu-i845g-natsemi.txt')
    writeFileSync(join(bin, 'lspci'), `#!/bin/sh\n[ "$1" = -nn ] || exit 64\ncat '${sample}'\n`)
    chmodSync(join(bin, 'lspci'), 0o755)
    const r = xenready(['pci', '--json'], {env: {PATH: `${bin}${delimiter}${process.env.PATH}`}})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const table = JSON.parse(r.stdout)
    expect(table.sources).toEqual(['lspci.txt'])
    expect(table.rows.find((row: {bdf: string}) => row.bdf === '00:02.0')).toMatchObject({kind: 'vga', passable: false})
  })

  it.runIf(process.platform === 'linux')('without --from and without lspci, says why nothing is listed', () => {
    const bin = mkdtempSync(join(tmpdir(), 'xenready-no-lspci-'))
    const r = xenready(['pci'], {env: {PATH: bin}})
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^No PCI devices in the evidence \(lspci.txt: `lspci -nn`: not found: lspci; .*\): run /)
  })
})

describe('plugins link and plugins', () => {
  const uname = join(ROOT, 'examples/xenready-plugin-uname')

  it('links a xenready plugin, says which checks it adds on stdout, and lists it briefly', () => {
    const dataHome = freshDataHome()
    const link = xenready(['plugins', 'link', uname], {dataHome})
    expect(link.status).toBe(0)
    expect(link.stderr).toBe('')
    expect(link.stdout).toBe(
      `Linked xenready-plugin-uname 1.0.0 from ${uname}, 1 check: example.uname.\nUndo with: xenready plugins unlink xenready-plugin-uname\n`,
    )
    const list = xenready(['plugins', '--json'], {dataHome})
    expect(JSON.parse(list.stdout)).toEqual([
      {name: 'xenready-plugin-uname', version: '1.0.0', type: 'link', path: uname, checks: ['example.uname']},
    ])
    expect(xenready(['plugins'], {dataHome}).stdout).toBe(
      `xenready-plugin-uname 1.0.0 (link) ${uname}\n  checks: example.uname\n`,
    )
    // Linking again replaces the entry; unlinking (@oclif/plugin-plugins) still works on what we wrote.
    expect(xenready(['plugins', 'link', uname, '--no-install'], {dataHome}).status).toBe(0)
    expect(JSON.parse(xenready(['plugins', '--json'], {dataHome}).stdout)).toHaveLength(1)
    expect(xenready(['plugins', 'unlink', 'xenready-plugin-uname'], {dataHome}).status).toBe(0)
    expect(JSON.parse(xenready(['plugins', '--json'], {dataHome}).stdout)).toEqual([])
  })

  it('plugins --core also lists xenready itself with its checks', () => {
    const core = JSON.parse(xenready(['plugins', '--core', '--json']).stdout)
    expect(core.find((p: {name: string}) => p.name === 'xenready')).toMatchObject({
      type: 'core',
      path: ROOT,
      checks: expect.arrayContaining(['cpu.hvm']),
    })
  })

  it('a plugin whose hook throws is linked with a warning naming the error', () => {
    const dataHome = freshDataHome()
    const r = xenready(['plugins', 'link', join(ROOT, 'test/fixtures/plugins/synthetic-throwing-plugin')], {dataHome})
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Linked synthetic-throwing-plugin 1\.0\.0 from .*, no checks\.\n/)
    expect(r.stderr).toMatch(/^xenready: warning: synthetic-throwing-plugin: .*broken on purpose/)
    expect(JSON.parse(xenready(['plugins', '--json'], {dataHome}).stdout)[0]).toMatchObject({
      checks: [],
      errors: [expect.stringContaining('broken on purpose')],
    })
  })

  it.each([
    [
      'a directory that does not exist',
      () => '/nonexistent/xenready-plugin',
      /^xenready: cannot link \/nonexistent\/xenready-plugin: no such directory\n$/,
    ],
    [
      'a directory without package.json',
      () => mkdtempSync(join(tmpdir(), 'xenready-empty-')),
      /is not a plugin: it has no package.json\n$/,
    ],
    [
      'an npm package that registers no checks',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'xenready-notplugin-'))
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({name: 'left-pad', version: '1.3.0', oclif: {hooks: {init: './x.js'}}}),
        )
        return dir
      },
      /\(left-pad\) is not a xenready plugin: its package.json declares no oclif.hooks\["xenready:register"\]/,
    ],
    [
      'a package.json that is not JSON',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'xenready-badjson-'))
        writeFileSync(join(dir, 'package.json'), '{"name": ')
        return dir
      },
      /package.json is not a JSON object\n$/,
    ],
    ['a file', () => join(ROOT, 'package.json'), /package.json is not a directory/],
    ['xenready itself', () => ROOT, /is xenready itself: its checks are built in/],
    ['xenready itself, by a relative path', () => '.', /^xenready: \. is xenready itself/],
    [
      'a copy of xenready',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'xenready-copy-'))
        writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')))
        return dir
      },
      /is a copy of xenready itself/,
    ],
  ])('refuses %s (exit 2, one line) and links nothing', (_what, dir, pattern) => {
    const dataHome = freshDataHome()
    expectUsageError(['plugins', 'link', dir()], pattern, {dataHome})
    expect(JSON.parse(xenready(['plugins', '--json'], {dataHome}).stdout)).toEqual([])
  })

  it('keeps other entries of the user plugin list', () => {
    const dataHome = freshDataHome()
    mkdirSync(join(dataHome, 'xenready'), {recursive: true})
    const file = join(dataHome, 'xenready/package.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'xenready',
        private: true,
        dependencies: {},
        oclif: {schema: 1, plugins: [{name: 'other', type: 'link', root: '/nonexistent/other'}]},
      }),
    )
    expect(xenready(['plugins', 'link', uname], {dataHome}).status).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8')).oclif.plugins).toEqual([
      {name: 'other', type: 'link', root: '/nonexistent/other'},
      {name: 'xenready-plugin-uname', type: 'link', root: uname},
    ])
  })
})
