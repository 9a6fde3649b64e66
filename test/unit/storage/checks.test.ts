import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {checkDump, checkTexts, dumpPath, finding, fixture, statusOf} from '../../helpers.js'

const STORAGE = ['storage']
const dumpFile = (dump: string, name: string) => readFileSync(`${dumpPath(dump)}/${name}`, 'utf8')
const sample = (name: string) => readFileSync(fixture('samples', name), 'utf8')
const HOWTO_MENU = sample('grub-menu.lst-howto-netbsd-xen.txt')

describe('storage.grub-root', () => {
  it('passes the Howto layout: grub, 384 MB FFSv1 root with 8k/1k', () => {
    const f = finding(checkDump('synthetic-howto-grub-small-ffsv1-root', 'dom0', STORAGE), 'storage.grub-root')
    expect(f.status).toBe('pass')
    expect(f.message).toContain('384 MB')
    expect(f.evidence).toContainEqual(expect.objectContaining({source: 'mount.txt', line: 1}))
    expect(f.evidence).toContainEqual(expect.objectContaining({source: 'disklabel-wd0.txt', line: 22}))
    expect(f.evidence).toContainEqual(expect.objectContaining({source: 'dumpfs-wd0a.txt', line: 1}))
  })

  it('fails a 1.9 GB FFSv2 root with 16k/2k under grub, naming every value', () => {
    const f = finding(checkDump('synthetic-grub-large-ffsv2-root', 'dom0', STORAGE), 'storage.grub-root')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('root wd0a is 1.9 GB')
    expect(f.message).toContain('FFSv2')
    expect(f.message).toContain('bsize 16384')
    expect(f.message).toContain('fsize 2048')
    expect(f.remedy).toContain('newfs -O 1 -b 8192 -f 1024')
    expect(f.evidence.map((e) => e.source)).toEqual(
      expect.arrayContaining(['mount.txt', 'disklabel-wd0.txt', 'dumpfs-wd0a.txt']),
    )
  })

  it("is n/a with the same disk when NetBSD's boot loader (boot.cfg) boots Xen", () => {
    const f = finding(checkDump('synthetic-bootcfg-large-ffsv2-root', 'dom0', STORAGE), 'storage.grub-root')
    expect(f.status).toBe('n/a')
    expect(f.message).toContain('boot.cfg')
  })

  it('is n/a on the modern NetBSD 10 + Xen boot.cfg host', () => {
    expect(statusOf(checkDump('synthetic-netbsd10-xen418-bootcfg-dom0', 'dom0', STORAGE), 'storage.grub-root')).toBe(
      'n/a',
    )
  })

  it('with both grub and boot.cfg it still checks, and says the loader actually used is unknown', () => {
    const d = 'synthetic-grub-large-ffsv2-root'
    const texts = Object.fromEntries(
      ['mount.txt', 'disklabel-wd0.txt', 'dumpfs-wd0a.txt'].map((n) => [n, dumpFile(d, n)]),
    )
    const f = finding(
      checkTexts(
        {...texts, 'files/grub/menu.lst': HOWTO_MENU, 'files/boot.cfg': sample('boot.cfg-man5-netbsd-example.txt')},
        'dom0',
        STORAGE,
      ),
      'storage.grub-root',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('boot.cfg exists too')
  })

  it('is unknown, not pass, without dumpfs (FFS version unknown) even when the size is fine', () => {
    const d = 'synthetic-howto-grub-small-ffsv1-root'
    const f = finding(
      checkTexts(
        {
          'files/grub/menu.lst': HOWTO_MENU,
          'mount.txt': dumpFile(d, 'mount.txt'),
          'disklabel-wd0.txt': dumpFile(d, 'disklabel-wd0.txt'),
        },
        'dom0',
        STORAGE,
      ),
      'storage.grub-root',
    )
    expect(f.status).toBe('unknown')
    expect(f.message).toContain('FFS version')
    expect(f.remedy).toContain('dumpfs -s /dev/rwd0a > dumpfs-wd0a.txt')
  })

  it('fails on the real partial sd3 label alone (1.4 GB, 16k/2k), even before dumpfs', () => {
    const f = finding(
      checkTexts(
        {
          'files/grub/menu.lst': HOWTO_MENU,
          'mount.txt': '/dev/sd3a on / type ffs (local)\n',
          'disklabel-sd3.txt': sample('disklabel-partial-sd3-hpcarm-liveimage-ffs-2048-16384.txt'),
        },
        'dom0',
        STORAGE,
      ),
      'storage.grub-root',
    )
    expect(f.status).toBe('fail')
    expect(f.message).toContain('root sd3a is 1.4 GB (assuming 512-byte sectors)')
    expect(f.message).toContain('bsize 16384')
  })

  it('is unknown when the root is a GPT wedge', () => {
    const f = finding(
      checkTexts(
        {
          'files/grub/menu.lst': HOWTO_MENU,
          'mount.txt': '/dev/dk1 on / type ffs (log, local)\n',
          'disklabel-ld4.txt': sample('disklabel-ld4-gpt-fictitious.txt'),
        },
        'dom0',
        STORAGE,
      ),
      'storage.grub-root',
    )
    expect(f.status).toBe('unknown')
  })

  it('is n/a without any bootloader configuration', () => {
    expect(
      statusOf(checkTexts({'mount.txt': '/dev/wd0a on / type ffs (local)\n'}, 'dom0', STORAGE), 'storage.grub-root'),
    ).toBe('n/a')
  })
})

describe('storage.guest-space', () => {
  it('passes when a partition is neither mounted nor in fstab, naming it and its size', () => {
    const f = finding(checkDump('synthetic-howto-grub-small-ffsv1-root', 'dom0', STORAGE), 'storage.guest-space')
    expect(f.status).toBe('pass')
    expect(f.message).toContain('wd0f (unused, 62.2 GB)')
    expect(f.evidence).toEqual([expect.objectContaining({source: 'disklabel-wd0.txt', line: 27})])
  })

  it('warns when every partition is used, and mentions vnd(4)', () => {
    const f = finding(checkDump('synthetic-grub-no-backup-entry', 'dom0', STORAGE), 'storage.guest-space')
    expect(f.status).toBe('warn')
    expect(f.message).toContain('vnd(4)')
    expect(f.evidence.length).toBeGreaterThan(0)
  })

  it('is unknown on a disk with only a fictitious (GPT) label', () => {
    const f = finding(
      checkTexts(
        {
          'mount.txt': '/dev/dk1 on / type ffs (local)\n',
          'disklabel-ld4.txt': sample('disklabel-ld4-gpt-fictitious.txt'),
        },
        'dom0',
        STORAGE,
      ),
      'storage.guest-space',
    )
    expect(f.status).toBe('unknown')
    expect(f.message).toContain('dkctl ld4 listwedges')
  })

  it('is unknown without disklabels or without mount.txt', () => {
    expect(
      statusOf(checkTexts({'mount.txt': '/dev/wd0a on / type ffs (local)\n'}, 'dom0', STORAGE), 'storage.guest-space'),
    ).toBe('unknown')
    expect(
      statusOf(
        checkTexts(
          {'disklabel-wd0.txt': dumpFile('synthetic-howto-grub-small-ffsv1-root', 'disklabel-wd0.txt')},
          'dom0',
          STORAGE,
        ),
        'storage.guest-space',
      ),
    ).toBe('unknown')
  })

  it('warns with the real mount sample, where wd0a, wd0e, wd0f and wd0g are all mounted', () => {
    const mount = sample('mount-jp-pbulk-wd0-kernfs.txt')
    const label = dumpFile('synthetic-howto-grub-small-ffsv1-root', 'disklabel-wd0.txt')
    expect(
      statusOf(checkTexts({'mount.txt': mount, 'disklabel-wd0.txt': label}, 'dom0', STORAGE), 'storage.guest-space'),
    ).toBe('warn')
  })
})

describe('storage checks on garbage', () => {
  it('never crash and never pass on random evidence', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (label, mount, dumpfs) => {
        const findings = checkTexts(
          {
            'files/grub/menu.lst': HOWTO_MENU,
            'disklabel-wd0.txt': label,
            'mount.txt': mount,
            'dumpfs-wd0a.txt': dumpfs,
          },
          'dom0',
          STORAGE,
        )
        for (const f of findings) {
          expect(f.status).not.toBe('error')
          expect(f.status).not.toBe('pass')
        }
      }),
      {numRuns: 200},
    )
  })
})
