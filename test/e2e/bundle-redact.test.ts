import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers.js'
import {xenready} from './run.js'
import {tempDir} from '../support/temp.js'

const EXAMPLE = join(ROOT, 'examples/dumps/synthetic-netbsd10-xen420-dom0')
const statuses = (stdout: string) =>
  (JSON.parse(stdout).findings as Array<{id: string; status: string; subject?: string}>).map(
    (f) => `${f.id} ${f.subject ?? ''} ${f.status}`,
  )

describe('xenready bundle redact', () => {
  it('writes a redacted bundle whose findings are those of the original', () => {
    const out = join(tempDir('xenready-redact-'), 'copy.tar.gz')
    const r = xenready(['bundle', 'redact', EXAMPLE, '--output', out])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/copy\.tar\.gz \(.*\): 23 files, redacted: 1 hostname/)
    const original = xenready(['check', '--from', EXAMPLE, '--json'])
    const copy = xenready(['check', '--from', out, '--json'])
    expect(statuses(copy.stdout)).toEqual(statuses(original.stdout))
    const inspect = JSON.parse(xenready(['bundle', 'inspect', out, '--json']).stdout)
    expect(inspect.redaction).toMatchObject({enabled: true, counts: {hostname: 1}})
  })

  it('replaces the host name everywhere in a dump directory copy', () => {
    const dir = join(tempDir('xenready-redact-'), 'dump')
    expect(xenready(['bundle', 'redact', EXAMPLE, '--dir', dir]).status).toBe(0)
    const host = readFileSync(join(EXAMPLE, 'uname.txt'), 'utf8').split(' ')[1]!
    for (const name of ['uname.txt', 'xl-info.txt']) expect(readFileSync(join(dir, name), 'utf8')).not.toContain(host)
  })

  it('refuses a missing input with one line and exit 2', () => {
    const r = xenready(['bundle', 'redact', '/nonexistent.tar.gz'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('xenready: cannot read /nonexistent.tar.gz: no such file or directory\n')
  })
})
