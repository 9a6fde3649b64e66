import {type CheckContext, type Fact, type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import {parseKeyValues} from '../../../parsers/key-value.js'
import {DOMU_PATTERN} from '../facts.js'
import {asNumber} from '../../../parsers/xen-config.js'
import {Status, worst, domu, NO_CONFIGS, syntaxNote} from '../common.js'

const MB = 1024 * 1024
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`

function totalFromXenInfo(ctx: CheckContext): Fact<number> | undefined {
  for (const name of ['xl-info.txt', 'xm-info.txt']) {
    const e = ctx.evidence.get(name)
    const total = e.present ? parseKeyValues(e.text, name, ':').total_memory : undefined
    if (total && /^\d+$/.test(total.value)) return {...total, value: Number(total.value) * MB}
  }

  return undefined
}

export const memory: CheckDefinition = {
  id: 'domu.memory',
  title: 'domU memory plus dom0_mem fits physical memory',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [
    DOMU_PATTERN,
    'files/grub/menu.lst',
    'files/boot.cfg',
    'sysctl.txt',
    'dmesg.boot',
    'xl-info.txt',
    'xm-info.txt',
  ],
  description:
    "The `memory =` (MB) of every domU config, summed, plus `dom0_mem=` of the default Xen boot entry, compared with the machine's memory (xl/xm info total_memory, hw.physmem64 or dmesg `total memory`).",
  why: 'Each domain gets its `memory` in megabytes and dom0 keeps `dom0_mem`; when they add up to more than the machine has, the last domains started fail to be created (or dom0 is ballooned down).',
  remedy:
    'Lower `memory =` of some domUs (the Howto gives 128), lower `dom0_mem=` on the Xen line (`kernel (hd0,a)/xen.gz dom0_mem=65536`), or do not run every domain at once.',
  run: (ctx) => {
    const f = domu(ctx)
    if (f.configs.length === 0) return {status: 'n/a', message: NO_CONFIGS}
    // xm's create.py defaults memory to 128 MB; libxl (xl) to 32 MB. Unknown era: count the larger.
    const era = ctx.optionalFacts('xen').value?.era
    const DEFAULT_MB = era === 'xl' ? 32 : 128
    const defaultSays =
      era === 'xl'
        ? 'the xl default (32 MB)'
        : era === 'xm'
          ? 'the xm default (128 MB)'
          : 'the toolstack default (xm: 128 MB, xl: 32 MB; 128 counted)'
    const each = f.configs.map((c) => {
      const m = asNumber(c.values.memory)
      return {c, mem: m, fact: c.values.memory}
    })
    const sum = each.reduce((a, e) => a + (e.mem ?? DEFAULT_MB), 0) * MB
    const list = each
      .map((e) => `${e.c.file} ${e.mem ?? DEFAULT_MB} MB${e.mem === undefined ? ' (default)' : ''}`)
      .join(', ')
    const boot = ctx.optionalFacts('boot')
    const entry = boot.value?.entries.find((e) => e.isDefault && e.xen) ?? boot.value?.entries.find((e) => e.xen)
    const dom0 = entry?.dom0MemBytes
    // Without the boot plugin, the hypervisor's own total (xl/xm info) is still exact; hw.physmem64 under Xen is only
    // dom0's share.
    const physical = boot.value ? boot.value.physicalMemory : totalFromXenInfo(ctx)
    const dom0Ref = entry?.xen?.ref
    const total = sum + (dom0 ?? 0)
    const dom0Says =
      dom0 === undefined
        ? boot.value
          ? 'no dom0_mem= on the Xen line (dom0 starts with all memory and gives it back by ballooning; counted as 0)'
          : (boot.reason ?? 'boot facts unavailable')
        : `dom0_mem ${mb(dom0)}`
    return each.map(({c, mem, fact: m}): Outcome => {
      const own =
        m && mem === undefined
          ? {status: 'fail' as Status, says: `memory = ${JSON.stringify(m.value)} is not a number of megabytes`}
          : mem === undefined
            ? {status: 'warn' as Status, says: `no memory = line${syntaxNote(c)}: ${defaultSays} applies`}
            : mem <= 0
              ? {status: 'fail' as Status, says: `memory = ${mem} MB`}
              : {status: 'pass' as Status, says: `memory = ${mem} MB`}
      const evidence = refs(m, dom0Ref, physical)
      if (!physical) {
        return {
          status: worst(own.status, 'unknown'),
          subject: c.file,
          message: `${own.says}; all domUs: ${list} = ${mb(sum)}; ${dom0Says}; the machine's memory is unknown${boot.reason ? ` (${boot.reason})` : ''}`,
          evidence,
          remedy:
            'Run `sysctl hw.physmem64 > sysctl.txt` (before Xen) or `xl info > xl-info.txt` (`xm info` with Xen 3.x) on dom0 and check again.',
        }
      }

      const fits = total <= physical.value
      return {
        status: worst(own.status, fits ? 'pass' : 'warn'),
        subject: c.file,
        message: `${own.says}; all domUs: ${list} = ${mb(sum)}, plus ${dom0Says}: ${mb(total)} ${fits ? 'fits in' : 'is more than'} the machine's ${mb(physical.value)}${fits ? '' : ': not every domain can run at once'}`,
        evidence,
      }
    })
  },
}
