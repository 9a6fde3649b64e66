import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import type {Finding, PluginDefinition} from '../../../src/engine/types.js'
import {runChecks} from '../../../src/engine/run.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {buildReport, type Report} from '../../../src/reports/report.js'
import {collectParts, nextSteps} from '../../../src/reports/next-steps.js'
import {judge, verdictPhrase} from '../../../src/reports/verdict.js'
import {renderText} from '../../../src/reports/text.js'
import {builtinRegistry, fixture, ROOT} from '../../helpers.js'
import {FIXED_NOW, reportOfDump, reportSchemaErrors} from './schemas.js'

const f = (id: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  id,
  plugin: id.split('.')[0]!,
  status,
  title: id,
  message: `${id} is ${status}`,
  evidence: [],
  remedy: status === 'pass' || status === 'n/a' ? '' : `fix ${id}`,
  ...extra,
})

function reportOf(evidence: Record<string, string>, only?: string[]): Report {
  const {findings, pluginErrors} = runChecks(builtinRegistry(), MemoryEvidenceSet.fromTexts(evidence), {
    target: 'dom0',
    only,
  })
  return buildReport({version: 't', source: 'mem', target: 'dom0', findings, pluginErrors, only, now: FIXED_NOW})
}

/** A Linux host before the install, as `xenready collect` gathers it there: its CPU and its uname. */
const LINUX_PREINSTALL = {
  'proc-cpuinfo.txt': readFileSync(fixture('samples/linux-proc-cpuinfo-amd-epyc-vm-nosvm.txt'), 'utf8'),
  'uname.txt': 'Linux builder 6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01) x86_64 GNU/Linux\n',
}

describe('the verdict', () => {
  it('is not-ready on any fail, cannot-tell on an unknown or a crash without a fail, ready otherwise (warnings do not block it)', () => {
    expect(judge([f('a.x', 'pass'), f('a.y', 'warn'), f('b.z', 'n/a')], []).verdict).toBe('ready')
    expect(judge([f('a.x', 'pass'), f('a.y', 'unknown'), f('b.z', 'fail')], []).verdict).toBe('not-ready')
    expect(judge([f('a.x', 'pass'), f('a.y', 'unknown')], []).verdict).toBe('cannot-tell')
    expect(judge([f('a.x', 'pass'), f('a.y', 'error')], []).verdict).toBe('cannot-tell')
    expect(judge([f('a.x', 'pass')], [{package: 'p', message: 'boom'}]).verdict).toBe('cannot-tell')
  })

  it('does not count n/a findings, and reports which areas were judged, pending or not applicable', () => {
    const j = judge(
      [
        f('a.x', 'pass'),
        f('b.y', 'n/a', {pending: 'install NetBSD'}),
        f('b.z', 'n/a'),
        f('c.w', 'n/a'),
        f('d.v', 'n/a'),
        f('d.u', 'warn'),
      ],
      [],
    )
    expect(j).toEqual({
      verdict: 'ready',
      scope: {judged: ['a', 'd'], pending: ['b'], notApplicable: ['c'], until: ['install NetBSD']},
    })
    expect(verdictPhrase(j)).toBe('READY so far: a, d (install NetBSD, then check again)')
    // Nothing judged at all while checks wait for a step: no claim either way.
    expect(judge([f('b.y', 'n/a', {pending: 'install NetBSD'})], []).verdict).toBe('cannot-tell')
    expect(judge([f('c.w', 'n/a')], []).verdict).toBe('ready')
  })

  it('says READY for the example dump, in its JSON too', () => {
    const {findings, pluginErrors} = runChecks(
      builtinRegistry(),
      new DumpEvidenceSet(`${ROOT}/examples/dumps/synthetic-netbsd10-xen420-dom0`),
      {target: 'dom0'},
    )
    const report = buildReport({
      version: 't',
      source: 'example',
      target: 'dom0',
      findings,
      pluginErrors,
      now: FIXED_NOW,
    })
    expect(report.verdict).toBe('ready')
    expect(report.scope).toEqual({
      judged: ['host', 'cpu', 'xen', 'netbsd', 'storage', 'boot', 'kernel', 'hardware'],
      pending: [],
      notApplicable: ['pci', 'domu'],
      until: [],
    })
    expect(reportSchemaErrors(JSON.parse(JSON.stringify(report)))).toBeUndefined()
    expect(renderText(report, {color: false}).trimEnd().split('\n').at(-1)).toBe(
      'READY: 25 pass, 0 warn, 0 fail, 0 unknown, 19 n/a',
    )
  })

  it('on a Linux host before the install judges the CPU, cannot tell the dom0 hardware coverage yet (issue 18), and installing NetBSD is a step', () => {
    const report = reportOf(LINUX_PREINSTALL)
    // hardware.dom0-drivers needs a NetBSD dmesg even before the install (boot the installer once): unknown, not
    // pending.
    expect(report.verdict).toBe('cannot-tell')
    expect(report.scope).toMatchObject({
      judged: ['cpu', 'hardware'],
      pending: ['xen', 'netbsd', 'storage', 'boot', 'kernel'],
      until: ['install NetBSD'],
    })
    expect(reportSchemaErrors(JSON.parse(JSON.stringify(report)))).toBeUndefined()
    const text = renderText(report, {color: false})
    expect(text).toMatch(/^CANNOT TELL YET.*\d+ pass, 1 warn, 0 fail, 2 unknown, \d+ n\/a$/m)
    expect(text).toMatch(
      /Boot the NetBSD installer .* \[hardware\.dom0-drivers, hardware\.unconfigured\]|Boot the NetBSD installer .*\[hardware\.dom0-drivers\]/,
    )
    expect(text.trimEnd().split('\n').at(-1)).toMatch(
      /Install NetBSD, then check again \(for Xen, NetBSD, storage, boot, kernel\)\.$/,
    )
  })

  it('on NetBSD before Xen is installed: not ready (no Xen packages), and the missing evidence comes first', () => {
    const report = reportOfDump('synthetic-netbsd10-generic-preinstall')
    expect(report.verdict).toBe('not-ready')
    expect(report.scope.until).toEqual(['boot the Xen dom0 entry'])
    const steps = nextSteps(report)
    const packages = steps.findIndex((s) => s.ids.includes('xen.packages'))
    expect(packages).toBeGreaterThan(0)
    // boot.xen-cmdline (issue 15) reads the CPU too, for a dom0=pvh line.
    expect(steps[0]!.ids).toEqual(['cpu.hvm', 'boot.xen-cmdline', 'kernel.dom0'])
    expect(
      steps
        .slice(0, packages)
        .every((s) => report.findings.some((x) => x.status === 'unknown' && s.ids.includes(x.id))),
    ).toBe(true)
    expect(steps.at(-1)!.text).toBe('Boot the Xen dom0 entry, then check again (for xen.running, kernel.stale).')
  })

  it('is cannot-tell when every check is unknown', () => {
    const plugin: PluginDefinition = {
      name: 'blind',
      title: 't',
      evidence: [{kind: 'command', name: 'nothing.txt', description: 'd', argv: ['true']}],
      checks: ['one', 'two'].map((id) => ({
        id: `blind.${id}`,
        title: id,
        targets: ['dom0'] as const,
        evidence: ['nothing.txt'],
        description: 'd',
        why: 'w',
        remedy: 'r',
        run: () => ({status: 'unknown' as const, message: 'no evidence'}),
      })),
    }
    const {findings, pluginErrors} = runChecks(builtinRegistry([plugin]), MemoryEvidenceSet.fromTexts({}), {
      target: 'dom0',
      only: ['blind'],
    })
    const report = buildReport({
      version: 't',
      source: 'mem',
      target: 'dom0',
      findings,
      pluginErrors,
      only: ['blind'],
      now: FIXED_NOW,
    })
    expect(report.verdict).toBe('cannot-tell')
    expect(renderText(report, {color: false})).toContain(
      'CANNOT TELL YET for --only blind: 0 pass, 0 warn, 0 fail, 2 unknown\n\nNext steps:\n  1. Collect nothing.txt (not in the evidence): `true > nothing.txt`. [blind.one, blind.two]\n',
    )
  })

  it('with --only says so: READY for --only cpu', () => {
    const report = reportOf(LINUX_PREINSTALL, ['cpu'])
    expect(report.scope).toMatchObject({judged: ['cpu'], only: ['cpu']})
    expect(verdictPhrase(report)).toBe('READY for --only cpu')
  })
})

describe('next steps', () => {
  it("splits the engine's collect remedy into one step per file, as run.ts writes it", () => {
    const report = reportOfDump('synthetic-netbsd10-generic-preinstall')
    const remedy = report.findings.find((x) => x.id === 'boot.dom0-mem')!.remedy
    expect(collectParts(remedy)?.map((p) => p.name)).toEqual([
      'files/grub/menu.lst',
      'files/boot/grub/menu.lst',
      'files/boot.cfg',
      'sysctl.txt',
      'xl-info.txt',
      'xm-info.txt',
    ])
    expect(collectParts(remedy)?.[4]).toEqual({
      name: 'xl-info.txt',
      reason: 'not in the dump',
      how: '`xl info > xl-info.txt` (as root)',
    })
    expect(collectParts('Run `x`.')).toBeUndefined()
  })

  it('orders evidence, crashes, fails, warns, then pending steps, each fix once with every id it addresses', () => {
    const steps = nextSteps({
      findings: [
        f('a.warn', 'warn', {remedy: 'tune it'}),
        f('a.fail', 'fail', {remedy: 'fix it'}),
        f('b.fail', 'fail', {remedy: 'fix it'}),
        f('a.crash', 'error', {remedy: 'report it'}),
        f('c.unknown', 'unknown', {
          remedy:
            'Collect the missing evidence: x.txt: not in the dump; get it with `x > x.txt`. y.txt: permission denied.',
        }),
        f('d.unknown', 'unknown', {
          remedy: 'Collect the missing evidence: x.txt: not in the dump; get it with `x > x.txt`.',
        }),
        f('e.unknown', 'unknown', {remedy: 'Run `x > x.txt` first.'}),
        f('f.wait', 'n/a', {pending: 'install NetBSD'}),
      ],
      pluginErrors: [{package: 'third', plugin: 't', message: 'died'}],
      scope: {judged: ['a', 'b', 'c', 'd', 'e'], pending: ['f'], notApplicable: [], until: ['install NetBSD']},
    })
    expect(steps).toEqual([
      {text: 'Collect x.txt (not in the dump): `x > x.txt`.', ids: ['c.unknown', 'd.unknown', 'e.unknown']},
      {text: 'Collect y.txt (permission denied).', ids: ['c.unknown']},
      {text: 'report it', ids: ['a.crash']},
      {text: 'Report the plugin error to the maintainers of third: died', ids: ['t']},
      {text: 'fix it', ids: ['a.fail', 'b.fail']},
      {text: 'tune it', ids: ['a.warn']},
      {text: 'Install NetBSD, then check again (for f).', ids: []},
    ])
  })
})
