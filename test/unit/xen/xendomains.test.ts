import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseRcConf} from '../../../src/plugins/xen/parse.js'
import {planXendomains} from '../../../src/plugins/xen/xendomains.js'

const rc = (text: string) => parseRcConf(text)

describe('planXendomains', () => {
  it('lists the domains and whether each has a config in /usr/pkg/etc/xen', () => {
    const p = planXendomains(rc('xencommons=YES\nxendomains="web db"\n'), ['xl.conf', 'scripts', 'web'])!
    expect(p.domains).toEqual([
      {name: 'web', config: '/usr/pkg/etc/xen/web', exists: true},
      {name: 'db', config: '/usr/pkg/etc/xen/db', exists: false},
    ])
    expect(p.switchWord).toBeUndefined()
    expect(p.setting.line).toBe(2)
  })

  it('takes xendomains=YES as a domain named YES', () => {
    const p = planXendomains(rc('xendomains=YES\n'), ['xl.conf'])!
    expect(p.switchWord).toBe('YES')
    expect(p.domains).toEqual([{name: 'YES', config: '/usr/pkg/etc/xen/YES', exists: false}])
  })

  it('follows xendomains_config, and says unknown outside the listed directory', () => {
    const p = planXendomains(rc('xendomains="web"\nxendomains_config="/etc/xen/%s.cfg"\n'), ['web'])!
    expect(p.domains).toEqual([{name: 'web', config: '/etc/xen/web.cfg'}])
    expect(p.configSetting?.value).toBe('/etc/xen/%s.cfg')
    expect(planXendomains(rc('xendomains="web"\n'), undefined)!.domains).toEqual([
      {name: 'web', config: '/usr/pkg/etc/xen/web'},
    ])
  })

  it('is undefined without xendomains, an empty plan for xendomains=""', () => {
    expect(planXendomains(rc('xencommons=YES\n'), [])).toBeUndefined()
    expect(planXendomains(rc('xendomains=""\n'), [])!.domains).toEqual([])
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (text, listing) => {
        planXendomains(rc(text), listing)
      }),
    )
  })
})
