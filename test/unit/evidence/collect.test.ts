import {chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import type {EvidenceSpec} from '../../../src/engine/types.js'
import {collect} from '../../../src/evidence/collect.js'
import {missingReason} from '../../../src/evidence/manifest.js'

const scratch = mkdtempSync(join(tmpdir(), 'xenready-collect-test-'))
const bin = join(scratch, 'bin')
const root = join(scratch, 'root')
mkdirSync(bin)
mkdirSync(join(root, 'etc'), {recursive: true})
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

function fake(name: string, body: string, mode = 0o755): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`)
  chmodSync(join(bin, name), mode)
}

const env = {PATH: `${bin}:/usr/bin:/bin`}
const base = {os: 'netbsd' as const, timeoutMs: 5000, concurrency: 4, env, root}

describe('collect', () => {
  test('saves outputs and files, records failures, goes on', async () => {
    fake('uname', 'echo "NetBSD xen0 10.0 NetBSD 10.0 (XEN3_DOM0) #0 amd64"')
    fake('cpuctl', 'echo "cpuctl: permission denied" >&2; exit 1')
    fake('sysctl', 'echo "hw.machine = amd64"; echo "sysctl: third-party.key: no such key" >&2; exit 1')
    fake('noexec', 'echo never', 0o644)
    fake('false1', 'exit 3')
    writeFileSync(join(root, 'etc', 'fstab'), '/dev/wd0a / ffs rw 1 1\n')
    const specs: EvidenceSpec[] = [
      {name: 'uname.txt', description: 'u', argv: ['uname', '-a']},
      {name: 'cpuctl-identify.txt', description: 'c', argv: ['cpuctl', 'identify', '0'], os: ['netbsd']},
      {name: 'sysctl.txt', description: 's', argv: ['sysctl', 'hw.machine', 'third-party.key']},
      {name: 'missing.txt', description: 'm', argv: ['xenready-no-such-command']},
      {name: 'noexec.txt', description: 'n', argv: ['noexec']},
      {name: 'false.txt', description: 'f', argv: ['false1']},
      {name: 'files/etc/fstab', description: 'f', path: '/etc/fstab'},
      {name: 'files/etc/rc.conf', description: 'r', path: '/etc/rc.conf'},
      {name: 'proc-cpuinfo.txt', description: 'p', path: '/proc/cpuinfo', os: ['linux']},
    ]
    const {evidence, entries} = await collect(specs, base)
    const text = (n: string) => {
      const e = evidence.get(n)
      return e?.present ? e.text : undefined
    }

    expect(text('uname.txt')).toBe('NetBSD xen0 10.0 NetBSD 10.0 (XEN3_DOM0) #0 amd64\n')
    expect(text('files/etc/fstab')).toBe('/dev/wd0a / ffs rw 1 1\n')
    // A failing command that printed something keeps its output; the manifest says it failed.
    expect(text('sysctl.txt')).toBe('hw.machine = amd64\n')
    expect(entries.find((e) => e.name === 'sysctl.txt')).toMatchObject({
      exitCode: 1,
      stderrHead: 'sysctl: third-party.key: no such key\n',
    })
    const reason = (n: string) => {
      const e = evidence.get(n)
      return e && !e.present ? e.reason : undefined
    }

    expect(reason('cpuctl-identify.txt')).toBe('`cpuctl identify 0`: permission denied (run as root)')
    expect(reason('missing.txt')).toBe('`xenready-no-such-command`: not found: xenready-no-such-command')
    expect(reason('noexec.txt')).toMatch(/permission denied \(run as root\)|EACCES/)
    expect(reason('false.txt')).toBe('`false1` exited with status 3')
    expect(reason('files/etc/rc.conf')).toBe('/etc/rc.conf: no such file /etc/rc.conf')
    expect(evidence.has('proc-cpuinfo.txt')).toBe(false)
    // The manifest names the real path, not the fake root.
    expect(entries.find((e) => e.name === 'files/etc/fstab')).toMatchObject({path: '/etc/fstab', bytes: 23})
    expect(entries.map((e) => e.name)).toEqual([...entries.map((e) => e.name)].sort())
  })

  test('a hung command is killed with its whole process group at the timeout', async () => {
    const marker = join(scratch, 'grandchild-alive')
    // The grandchild would touch the marker after 3 s if it survived its parent's timeout.
    fake('hang', `(sleep 3; touch ${marker}) & sleep 30`)
    const started = performance.now()
    const {evidence, entries} = await collect([{name: 'hang.txt', description: 'h', argv: ['hang']}], {
      ...base,
      timeoutMs: 300,
    })
    expect(performance.now() - started).toBeLessThan(2500)
    expect(entries[0]).toMatchObject({timedOut: true, error: 'timed out after 300 ms'})
    expect(missingReason(entries[0]!)).toMatch(/^`hang` timed out/)
    expect(evidence.get('hang.txt')?.present).toBe(false)
    await new Promise((r) => setTimeout(r, 3500))
    expect(existsSync(marker)).toBe(false)
  }, 10_000)

  test('aborting kills the running commands and starts no more', async () => {
    fake('slow', 'sleep 30')
    const controller = new AbortController()
    const specs = Array.from({length: 6}, (_, i) => ({name: `slow${i}.txt`, description: 's', argv: ['slow']}))
    const started = performance.now()
    setTimeout(() => controller.abort(), 200)
    const {entries} = await collect(specs, {...base, concurrency: 2, signal: controller.signal})
    expect(performance.now() - started).toBeLessThan(3000)
    expect(entries.length).toBe(2)
  }, 10_000)

  test('templated specs expand from evidence collected first', async () => {
    fake('sysctl', 'echo "hw.disknames = wd0 cd0 sd1 ../x"')
    fake('disklabel', 'echo "# /dev/r$1d:"')
    const {evidence} = await collect(
      [
        {name: 'sysctl.txt', description: 's', argv: ['sysctl', 'hw.disknames']},
        {
          name: 'disklabel-{disk}.txt',
          description: 'd',
          argv: ['disklabel', '{disk}'],
          expand: {from: 'sysctl.txt', match: '(?<=^hw\\.disknames\\s*[=:][^\\n]*)\\b((?:wd|sd)\\d+)\\b'},
        },
      ],
      base,
    )
    expect([...evidence.keys()].sort()).toEqual(['disklabel-sd1.txt', 'disklabel-wd0.txt', 'sysctl.txt'])
    const e = evidence.get('disklabel-wd0.txt')
    expect(e?.present && e.text).toBe('# /dev/rwd0d:\n')
  })

  test('merged stderr: stdout first, then the error lines', async () => {
    fake(
      'ls',
      'echo "-r-xr-xr-x  1 root  wheel  1 Mar 28  2024 /netbsd"; echo "ls: /xen.gz: No such file or directory" >&2; exit 1',
    )
    const {evidence} = await collect(
      [{name: 'ls-paths.txt', description: 'l', argv: ['ls', '-ld', '/netbsd', '/xen.gz'], stderr: 'merge'}],
      base,
    )
    const e = evidence.get('ls-paths.txt')
    expect(e?.present && e.text).toBe(
      '-r-xr-xr-x  1 root  wheel  1 Mar 28  2024 /netbsd\nls: /xen.gz: No such file or directory\n',
    )
  })
})
