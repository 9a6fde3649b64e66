/**
 * Issue 16's fixture dumps and the verdict each case must get (their README.md says why). One row per
 * finding: dump, check id, subject (the config file, when per config), status.
 */
import {describe, expect, it} from 'vitest'
import {checkDump, finding} from '../../helpers.js'

const GPT = 'synthetic-netbsd10-xen420-gpt-wedges-dom0'
const GUESTS = 'synthetic-netbsd10-xen420-gpt-wedges-guests'
const FILES = 'synthetic-netbsd10-xen420-file-images'
const PKG = 'synthetic-netbsd10-xen420-etc-xen-pkg-files'
const TYPES = 'synthetic-netbsd10-xen420-guest-types'
const NOVMX = 'synthetic-netbsd10-xen420-novmx-guests'
const XD = 'synthetic-netbsd10-xen420-xendomains'

const TABLE: Array<[dump: string, id: string, subject: string | undefined, status: string]> = [
  // 1. wedge-aware ownership: dom0's root wedge and the raw whole disk passed before
  [GPT, 'domu.disk', 'rootwedge', 'fail'],
  [GPT, 'domu.disk', 'wholedisk', 'fail'],
  [GPT, 'domu.disk', 'rawroot', 'fail'],
  [GPT, 'domu.disk', 'swapwedge', 'fail'],
  [GPT, 'domu.disk', 'efiwedge', 'fail'],
  [GUESTS, 'domu.disk', 'lvm', 'unknown'],
  [GUESTS, 'domu.disk', 'good', 'pass'],
  [GUESTS, 'domu.disk', 'rawfree', 'warn'],
  [GUESTS, 'domu.disk', 'wd1whole', 'fail'],
  [GUESTS, 'domu.disk', 'wd1half', 'fail'],
  // 2. storage checks understand root on a wedge
  [GPT, 'storage.grub-root', undefined, 'n/a'],
  [GPT, 'storage.guest-space', undefined, 'pass'],
  [GUESTS, 'storage.grub-root', undefined, 'n/a'],
  // 3. file-backed disks and df
  [FILES, 'domu.disk', 'imgfull', 'warn'],
  [FILES, 'domu.disk', 'imgmissing', 'fail'],
  [FILES, 'domu.disk', 'imgok', 'pass'],
  [FILES, 'domu.disk', 'tapimg', 'pass'],
  [FILES, 'domu.disk', 'vndcd', 'unknown'],
  // 4. the files xentools420 installs are not guests
  [PKG, 'domu.syntax', 'nbsd1', 'pass'],
  [PKG, 'domu.memory', 'nbsd1', 'pass'],
  // 5. guest types on today's Xen
  [TYPES, 'domu.type', 'pvhgeneric', 'pass'],
  [TYPES, 'domu.type', 'pvhlegacy', 'warn'],
  [TYPES, 'domu.kernel', 'pvhlegacy', 'pass'],
  [TYPES, 'domu.type', 'pvhnetbsd9', 'fail'],
  [TYPES, 'domu.type', 'pvxen3domu', 'pass'],
  [TYPES, 'domu.type', 'pae32', 'warn'],
  [TYPES, 'domu.type', 'hvmok', 'pass'],
  [TYPES, 'domu.type', 'hvmtrad', 'fail'],
  [TYPES, 'domu.type', 'builderhvm', 'pass'],
  [NOVMX, 'domu.type', 'pvhgeneric', 'fail'],
  [NOVMX, 'domu.type', 'hvmok', 'fail'],
  [NOVMX, 'domu.type', 'pvhlegacy', 'fail'],
  [NOVMX, 'domu.type', 'pvxen3domu', 'pass'],
  // 6. xendomains from the guest side
  [XD, 'domu.syntax', 'listedok', 'pass'],
  [XD, 'domu.syntax', 'byhand', 'pass'],
  [XD, 'domu.syntax', 'listedbroken', 'fail'],
  [XD, 'domu.syntax', 'nofile', 'fail'],
]

describe('issue 16 fixture dumps: every case has its verdict', () => {
  const cache = new Map<string, ReturnType<typeof checkDump>>()
  const findings = (dump: string) => {
    if (!cache.has(dump)) cache.set(dump, checkDump(dump))
    return cache.get(dump)!
  }

  it('the table is not empty', () => {
    expect(TABLE.length).toBeGreaterThan(30)
  })

  it.each(TABLE)('%s %s [%s] is %s', (dump, id, subject, status) => {
    const f = finding(findings(dump), id, subject)
    expect([f.status, f.message]).toEqual([status, f.message])
  })

  it('no file of the configuration directory other than the guest gets a domu finding', () => {
    const subjects = new Set(
      findings(PKG)
        .filter((f) => f.plugin === 'domu' && f.subject)
        .map((f) => f.subject),
    )
    expect([...subjects]).toEqual(['nbsd1'])
    expect(finding(findings(PKG), 'domu.memory', 'nbsd1').message).toMatch(/all domUs: nbsd1 512 MB = 512 MB/)
  })

  it('remedies use today\'s forms on an xl dom0: the xl disk spec, type = "pvh"', () => {
    expect(finding(findings(GPT), 'domu.disk', 'rootwedge').remedy).toMatch(
      /format=raw, vdev=xvda, access=rw, target=\/dev\/dk3/,
    )
    expect(finding(findings(TYPES), 'domu.type', 'pvhlegacy').remedy).toMatch(/type = "pvh"/)
    expect(finding(findings(GPT), 'domu.disk', 'rootwedge').remedy).not.toMatch(/0x1,w/)
  })
})
