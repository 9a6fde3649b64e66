import {describe, expect, it} from 'vitest'
import {Progress} from '../../../src/cli/progress.js'

describe('collect progress lines', () => {
  it('name what runs: a command, a copied file, or a library probe (never "copy undefined")', () => {
    let out = ''
    const stream = {write: (s: string) => (out += s), columns: 200} as unknown as NodeJS.WriteStream
    const p = new Progress(stream)
    const end = (name: string) => p.done({name, exitCode: 0, signal: null, durationMs: 100, timedOut: false})
    p.start({kind: 'library', name: 'linux-virt.txt', description: 'hypervisor', library: 'systeminformation.system'})
    end('linux-virt.txt')
    p.start({kind: 'file', name: 'files/etc/rc.conf', description: 'rc.conf', path: '/etc/rc.conf'})
    end('files/etc/rc.conf')
    p.start({kind: 'command', name: 'uname.txt', description: 'uname', argv: ['uname', '-a']})
    end('uname.txt')
    p.stop()
    expect(out).not.toContain('undefined')
    expect(out).toContain('✓ read systeminformation.system (linux-virt.txt): done (0.1 s)')
    expect(out).toContain('✓ copy /etc/rc.conf: done (0.1 s)')
    expect(out).toContain('✓ uname -a: done (0.1 s)')
  })
})
