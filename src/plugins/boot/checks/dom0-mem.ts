import {MiB, formatBytes} from '../../../util/bytes.js'
import {type BootFactsFull, BOOT_CONFIGS, dom0MemArg} from '../facts.js'
import {type CheckDefinition, type Outcome, refOf} from '../../../engine/types.js'
import {dom0Bytes} from '../parse-memory.js'
import {boot, HOWTO_GRUB_XEN, noConfig, entryName, xenEntries} from '../common.js'

const MEMORY_EVIDENCE = ['sysctl.txt', 'dmesg.boot', 'xl-info.txt', 'xm-info.txt'] as const
const MIN_DOM0 = 64 * MiB
const MIN_GUESTS = 128 * MiB

function memoryRemedy(f: BootFactsFull): string {
  return f.underXen
    ? "This host already runs Xen, so its sysctl and dmesg show only dom0's share: run `xl info > xl-info.txt` (or `xm info > xm-info.txt` with Xen 3.x/4.1) to get `total_memory`."
    : 'Run `sysctl hw.physmem64 > sysctl.txt` (or copy /var/run/dmesg.boot, which has `total memory =`).'
}

export const dom0Mem: CheckDefinition = {
  id: 'boot.dom0-mem',
  title: 'dom0_mem= fits the physical memory and leaves room for guests',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [...BOOT_CONFIGS, ...MEMORY_EVIDENCE],
  description:
    'The `dom0_mem=` argument of each Xen line (a number is KB; K/M/G suffixes; `min:`/`max:` and `%` forms) against the physical memory (`hw.physmem64`, dmesg `total memory =`, or `total_memory` of `xl info` on a running dom0).',
  why: 'The bootloader line is where you specify the memory allocated to domain0 (Howto: `dom0_mem=65536` gives domain0 64MB). More than the machine has cannot boot; what dom0 does not take is what the guests get.',
  remedy: `Set dom0_mem on the Xen line, below the physical memory and leaving at least 128 MB for guests: boot.cfg \`menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M\`; grub hosts: ${HOWTO_GRUB_XEN}.`,
  references: ['NetBSD/xen Howto: Installing NetBSD as privileged domain (Dom0)', 'Xen command line: dom0_mem'],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const xen = xenEntries(f)
    if (xen.length === 0)
      return {status: 'n/a', message: 'no Xen boot entry to read dom0_mem from (see boot.xen-entry)'}
    const host = f.physicalMemory
    return xen.map((entry): Outcome => {
      const subject = entryName(entry)
      const raw = dom0MemArg(entry)
      const line = refOf(entry.xen!.ref)
      if (raw === undefined) {
        return {
          status: 'warn',
          subject,
          message: `the Xen line has no dom0_mem=: dom0 starts owning all the memory and guests only get what it gives back${host ? ` (this machine has ${formatBytes(host.value)})` : ''}`,
          evidence: host ? [line, refOf(host)] : [line],
        }
      }

      const parsed = f.dom0Mem.get(entry)?.value
      if (!parsed)
        return {
          status: 'warn',
          subject,
          message: `dom0_mem=${raw} is not a size Xen understands (a number in KB, or with a K/M/G suffix, or min:/max: forms)`,
          evidence: [line],
        }
      if (!host) {
        const abs = entry.dom0MemBytes
        if (abs !== undefined && abs < MIN_DOM0)
          return {
            status: 'warn',
            subject,
            message: `dom0_mem=${raw} gives dom0 only ${formatBytes(abs)} (less than 64 MB)`,
            evidence: [line],
          }
        const share =
          f.underXen && f.kernelMemory
            ? `; ${f.kernelMemory.source} shows ${formatBytes(f.kernelMemory.value)}, but under Xen that is dom0's own share, not the machine's memory`
            : ''
        return {
          status: 'unknown',
          subject,
          message: `dom0_mem=${raw}${abs === undefined ? '' : ` (${formatBytes(abs)})`}: the physical memory is not in the evidence${share}`,
          evidence: f.kernelMemory ? [line, refOf(f.kernelMemory)] : [line],
          remedy: memoryRemedy(f),
        }
      }

      const dom0 = dom0Bytes(parsed, host.value)
      const left = host.value - dom0
      const evidence = [line, refOf(host)]
      const what = `dom0_mem=${raw} gives dom0 ${formatBytes(dom0)} of ${formatBytes(host.value)}`
      if (dom0 > host.value) {
        return {
          status: 'fail',
          subject,
          message: `${what}: more than the machine has`,
          evidence,
          remedy: `Lower dom0_mem below ${formatBytes(host.value)}, leaving room for guests, e.g. \`dom0_mem=${Math.max(64, Math.floor(host.value / MiB / 4))}M\`.`,
        }
      }

      if (dom0 < MIN_DOM0)
        return {
          status: 'warn',
          subject,
          message: `${what}: less than 64 MB for dom0`,
          evidence,
          remedy:
            'Give dom0 at least 64 MB (the Howto uses `dom0_mem=65536`, 64 MB; current NetBSD dom0s want 512 MB or more).',
        }
      if (left < MIN_GUESTS)
        return {
          status: 'warn',
          subject,
          message: `${what}: only ${formatBytes(Math.max(0, left))} left for guests (less than 128 MB)`,
          evidence,
          remedy: `Lower dom0_mem so that guests get at least 128 MB, e.g. \`dom0_mem=${Math.max(64, Math.floor((host.value - MIN_GUESTS) / MiB / 2))}M\`.`,
        }
      return {
        status: 'pass',
        subject,
        message: `${what}, leaving ${formatBytes(left)} for Xen and the guests`,
        evidence,
      }
    })
  },
}
