import type {CheckContext, CheckDefinition, Fact} from '../../../engine/types.js'
import {fact, refs} from '../../../engine/types.js'
import {findXenHypervisorLine} from '../../../parsers/dmesg.js'
import {parseKeyValues} from '../../../parsers/key-value.js'
import {numberedLines, stripKernelTimestamp} from '../../../parsers/lines.js'
import {parseXenBootLog} from '../../../parsers/xen-boot-log.js'
import type {HostFacts} from '../facts.js'

/** CPU names compare without the padding NetBSD and vendors put in them. */
const squash = (s: string) =>
  s
    .replace(/\(R\)|\(TM\)|\bCPU\b|@.*$|,.*$/gi, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()

function cpuNames(ctx: CheckContext, host: HostFacts): Array<Fact<string>> {
  const out: Array<Fact<string>> = []
  const cpuctl = ctx.evidence.get('cpuctl-identify.txt')
  if (cpuctl.present) {
    for (const {line, text} of numberedLines(cpuctl.text)) {
      const m = /^cpu0: "(.+)"\s*$/.exec(text.trim())
      if (m) {
        out.push(fact(m[1]!, 'cpuctl-identify.txt', line, text))
        break
      }
    }
  }

  const dmesg = ctx.evidence.get('dmesg.boot')
  if (dmesg.present) {
    for (const {line, text} of numberedLines(dmesg.text)) {
      const m = /^v?cpu0: ((?:Intel|AMD|Genuine|Authentic)\S*.*?)(?:, id 0x[0-9a-f]+)?$/i.exec(
        stripKernelTimestamp(text).trim(),
      )
      if (m) {
        out.push(fact(m[1]!, 'dmesg.boot', line, text))
        break
      }
    }
  }

  const model = host.sysctl['hw.model']
  if (model) out.push(model)
  return out
}

function xenInfo(ctx: CheckContext): Record<string, Fact<string>> | undefined {
  const e = ctx.evidence.get('xl-info.txt')
  return e.present ? parseKeyValues(e.text, 'xl-info.txt', ':') : undefined
}

export const consistency: CheckDefinition = {
  id: 'host.consistency',
  title: 'The evidence files agree with each other (CPU, memory, release, Xen version and command line)',
  since: '0.1.0',
  evidence: ['cpuctl-identify.txt', 'dmesg.boot', 'sysctl.txt', 'uname.txt', 'xl-info.txt', 'xl-dmesg.txt'],
  description:
    'The CPU named by `cpuctl identify 0`, dmesg (`cpu0:`/`vcpu0:`) and sysctl `hw.model`; dmesg `total memory =` and sysctl `hw.physmem64`; the NetBSD release of uname, sysctl `kern.osrelease` and the dmesg banner; the Xen version of dmesg and `xl info`; the command line of `xl info` and `xl dmesg`.',
  why: 'Each check reads the source it trusts most; when two sources disagree (a dump assembled from two machines or two boots, a file edited by hand), a pass resting on one of them means nothing, so the disagreement is reported.',
  remedy:
    'Collect all the evidence again on the same machine in one run: `xenready collect` or `sh xenready-collect.sh`.',
  references: ['docs/dump-format.md'],
  run(ctx) {
    const host = ctx.facts('host')
    const disagreements: string[] = []
    const evidence: Array<Fact<string> | undefined> = []
    let compared = 0

    const cpus = cpuNames(ctx, host)
    if (cpus.length > 1) {
      compared++
      const distinct = [...new Set(cpus.map((c) => squash(c.value)))]
      if (distinct.length > 1) {
        disagreements.push(
          `the CPU differs: ${cpus.map((c) => `"${c.value.replace(/\s+/g, ' ').trim()}" (${c.source})`).join(' vs ')}`,
        )
        evidence.push(...cpus)
      }
    }

    const dmesg = ctx.evidence.get('dmesg.boot')
    const physmem = host.sysctl['hw.physmem64']
    if (dmesg.present && physmem && /^\d+$/.test(physmem.value)) {
      for (const {line, text} of numberedLines(dmesg.text)) {
        const m = /^total memory = (\d+) ([KMG])B/.exec(stripKernelTimestamp(text).trim())
        if (!m) continue
        compared++
        const mb = Number(m[1]) * ({K: 1 / 1024, M: 1, G: 1024} as Record<string, number>)[m[2]!]!
        const sys = Number(physmem.value) / 1024 / 1024
        // The kernel rounds; a few percent apart is the same memory.
        if (Math.abs(mb - sys) > Math.max(mb, sys) * 0.05) {
          disagreements.push(`the memory differs: dmesg ${m[1]} ${m[2]}B vs hw.physmem64 ${Math.round(sys)} MB`)
          evidence.push(fact(text, 'dmesg.boot', line, text), physmem)
        }

        break
      }
    }

    const info = xenInfo(ctx)
    const hv = dmesg.present ? findXenHypervisorLine(dmesg.text, 'dmesg.boot') : undefined
    if (hv && info?.xen_version) {
      compared++
      if (hv.value !== info.xen_version.value) {
        disagreements.push(
          `the Xen version differs: ${hv.value} (dmesg.boot) vs ${info.xen_version.value} (xl-info.txt)`,
        )
        evidence.push(hv, info.xen_version)
      }
    }

    const xlDmesg = ctx.evidence.get('xl-dmesg.txt')
    const cmdDmesg = xlDmesg.present ? parseXenBootLog(xlDmesg.text, 'xl-dmesg.txt').commandLine : undefined
    if (cmdDmesg && info?.xen_commandline) {
      compared++
      if (
        cmdDmesg.value.split(/\s+/).filter(Boolean).join(' ') !==
        info.xen_commandline.value.split(/\s+/).filter(Boolean).join(' ')
      ) {
        disagreements.push(
          `the Xen command line differs: "${info.xen_commandline.value}" (xl-info.txt) vs "${cmdDmesg.value}" (xl-dmesg.txt)`,
        )
        evidence.push(info.xen_commandline, cmdDmesg)
      }
    }

    const releases: Array<Fact<string>> = []
    const unameRelease = host.uname ? /^NetBSD\s+\S+\s+(\S+)/.exec(host.uname.value)?.[1] : undefined
    if (unameRelease && host.uname) releases.push({...host.uname, value: unameRelease})
    if (host.sysctl['kern.osrelease']) releases.push(host.sysctl['kern.osrelease'])
    if (releases.length > 1) {
      compared++
      if (new Set(releases.map((r) => r.value)).size > 1) {
        disagreements.push(
          `the NetBSD release differs: ${releases.map((r) => `${r.value} (${r.source})`).join(' vs ')}`,
        )
        evidence.push(...releases)
      }
    }

    if (disagreements.length > 0)
      return {
        status: 'warn',
        message: `the evidence disagrees with itself: ${disagreements.join('; ')}; checks that read one of these sources may rest on the wrong one`,
        evidence: refs(...evidence),
      }
    if (compared === 0)
      return {status: 'n/a', message: 'nothing is given by two sources in this evidence, so nothing could be compared'}
    return {
      status: 'pass',
      message: `${compared} value${compared === 1 ? '' : 's'} given by more than one source agree${compared === 1 ? 's' : ''} (CPU, memory, release, Xen version, command line, where present)`,
    }
  },
}
