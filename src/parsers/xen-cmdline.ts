/**
 * The Xen hypervisor command line: the arguments after `xen.gz` on a boot.cfg `multiboot` command or a
 * grub `kernel` line, and `xen_commandline` of `xl info`. Pure; never throws.
 *
 * Grammar (Xen docs/misc/xen-command-line.pandoc, "Types of parameter"): options are space delimited,
 * `option=value`; a boolean is enabled by its bare name and disabled by a `no-` prefix, or by
 * `yes|on|true|enable|1` / `no|off|false|disable|0`. Read at xen-project/xen commit
 * 8f7824289910db2fc3260c2c02f3dda27ae11ec9 (docs/sources/today-rules.md).
 */
import {editDistance} from '../util/nearest.js'
import {runMemo} from '../util/run-memo.js'

export interface XenOption {
  /** The option name as Xen looks it up, without a `no-` prefix: `pv-linear-pt`, `dom0_mem`. */
  name: string
  /** Everything after the first `=`, or undefined for a bare word. */
  value?: string
  /** Written `no-name` (a disabled boolean). */
  negated: boolean
  /** The word as written. */
  raw: string
}

/**
 * Splits a Xen command line into options. Empty words are dropped; nothing is rejected here. Shared within a run
 * (util/run-memo.ts): five checks read the same entry's line.
 */
export const parseXenCmdline = runMemo(function parseXenCmdline(text: string): readonly XenOption[] {
  const out: XenOption[] = []
  for (const raw of text.split(/\s+/)) {
    if (!raw) continue
    const eq = raw.indexOf('=')
    const word = eq < 0 ? raw : raw.slice(0, eq)
    const value = eq < 0 ? undefined : raw.slice(eq + 1)
    // `no-foo` disables the boolean `foo`; but `no-real-mode` and `noreboot`, `noapic` are options of their own.
    const negated = value === undefined && word.startsWith('no-') && !XEN_OPTIONS.has(word)
    out.push({name: negated ? word.slice(3) : word, value, negated, raw})
  }

  return out
})

const TRUE = /^(?:yes|on|true|enable|1)$/i
const FALSE = /^(?:no|off|false|disable|0)$/i

/**
 * The value of a boolean option as Xen reads it; the last occurrence wins (Xen parses left to right and
 * each occurrence overwrites). Undefined when absent or when the value is not a boolean.
 */
export function xenBoolean(options: readonly XenOption[], name: string): boolean | undefined {
  let result: boolean | undefined
  for (const o of options) {
    if (o.name !== name) continue
    if (o.negated) result = false
    else if (o.value === undefined) result = true
    else if (TRUE.test(o.value)) result = true
    else if (FALSE.test(o.value)) result = false
  }

  return result
}

/** The last value given to an option (`dom0_mem=512M` → `512M`). */
export function xenValue(options: readonly XenOption[], name: string): XenOption | undefined {
  let found: XenOption | undefined
  for (const o of options) if (o.name === name && o.value !== undefined) found = o
  return found
}

/**
 * How dom0 is built: `dom0=` is a list of `pv | pvh, shadow=<bool>, ...` (x86); without it, or without a
 * mode in it, Xen builds a PV dom0 ("When both options are compiled in, the default is PV").
 */
export function dom0Mode(options: readonly XenOption[]): {mode: 'pv' | 'pvh'; option?: XenOption} {
  let result: {mode: 'pv' | 'pvh'; option?: XenOption} = {mode: 'pv'}
  for (const o of options) {
    if (o.name !== 'dom0' || o.value === undefined) continue
    for (const item of o.value.split(',')) {
      const word = item.trim().toLowerCase()
      if (word === 'pvh' || word === 'pv') result = {mode: word, option: o}
    }
  }

  return result
}

/**
 * Option names documented in docs/misc/xen-command-line.pandoc (xen-project/xen commit 8f782428..., the
 * revision read for this list), plus undocumented ones the hypervisor still parses (`gnttab_max_nr_frames`:
 * `integer_param("gnttab_max_nr_frames", ...)` in xen/common/grant_table.c, deprecated for
 * `gnttab_max_frames`). Options Xen added later than that revision are not listed: an option missing here
 * is reported as "not in the documented list" (a warning), never as an error.
 */
export const XEN_OPTIONS: ReadonlySet<string> = new Set([
  'acpi',
  'acpi_apic_instance',
  'acpi_pstate_strict',
  'acpi_skip_timer_override',
  'acpi_sleep',
  'allow_unsafe',
  'altp2m',
  'apic',
  'apicv',
  'apic_verbosity',
  'arat',
  'argo',
  'asid',
  'async-show-all',
  'ats',
  'availmem',
  'badpage',
  'bootscrub',
  'bootscrub_chunk',
  'clocksource',
  'cmci-threshold',
  'cmos-rtc-probe',
  'com1',
  'com2',
  'conring_size',
  'console',
  'console_timestamps',
  'console_to_ring',
  'conswitch',
  'core_parking',
  'cpu_type',
  'cpufreq',
  'cpuid',
  'cpuid_mask_cpu',
  'cpuid_mask_ecx',
  'cpuid_mask_edx',
  'cpuid_mask_ext_ecx',
  'cpuid_mask_ext_edx',
  'cpuid_mask_l7s0_eax',
  'cpuid_mask_l7s0_ebx',
  'cpuid_mask_thermal_ecx',
  'cpuid_mask_xsave_eax',
  'cpuidle',
  'cpuinfo',
  'crashinfo_maxaddr',
  'crashkernel',
  'credit2_balance_over',
  'credit2_balance_under',
  'credit2_cap_period_ms',
  'credit2_load_precision_shift',
  'credit2_load_window_shift',
  'credit2_runqueue',
  'dbgp',
  'debug_stack_lines',
  'debugtrace',
  'dma_bits',
  'dom0',
  'dom0-iommu',
  'dom0_ioports_disable',
  'dom0_max_vcpus',
  'dom0_mem',
  'dom0_nodes',
  'dom0_vcpus_pin',
  'dtuart',
  'e820-mtrr-clip',
  'e820-verbose',
  'edd',
  'edid',
  'efi',
  'ept',
  'extra_guest_irqs',
  'flask',
  'font',
  'force-ept',
  'gdb',
  'gnttab',
  'gnttab_max_frames',
  'gnttab_max_maptrack_frames',
  'guest_loglvl',
  'hap',
  'hap_1gb',
  'hap_2mb',
  'hardware_dom',
  'hest_disable',
  'highmem-start',
  'hmp-unsafe',
  'hpetbroadcast',
  'hvm_debug',
  'hvm_fep',
  'hvm_port80',
  'idle_latency_factor',
  'ioapic_ack',
  'iommu',
  'iommu_dev_iotlb_timeout',
  'iommu_inclusive_mapping',
  'irq_ratelimit',
  'irq_vector_map',
  'ivrs_hpet',
  'ivrs_ioapic',
  'lapic',
  'lapic_timer_c2_ok',
  'ler',
  'loglvl',
  'low_crashinfo',
  'low_mem_virq_limit',
  'maxcpus',
  'max_cstate',
  'max_gsi_irqs',
  'max_lpi_bits',
  'mce',
  'mce_fb',
  'mce_verbosity',
  'mem',
  'memop-max-order',
  'mmcfg',
  'mmio-relax',
  'msi',
  'mtrr.show',
  'mwait-idle',
  'nmi',
  'noapic',
  'invpcid',
  'noirqbalance',
  'nolapic',
  'no-real-mode',
  'noreboot',
  'nosmp',
  'nr_irqs',
  'numa',
  'pci',
  'pci-phantom',
  'pcid',
  'pku',
  'ple_gap',
  'ple_window',
  'psr',
  'pv-linear-pt',
  'pv-l1tf',
  'pv-shim',
  'rcu-idle-timer-period-ms',
  'reboot',
  'rmrr',
  'ro-hpet',
  'sched',
  'sched_credit2_migrate_resist',
  'sched_credit_tslice_ms',
  'sched_ratelimit_us',
  'sched_smt_power_savings',
  'scrub-domheap',
  'serial_tx_buffer',
  'serrors',
  'shim_mem',
  'smap',
  'smep',
  'smt',
  'snb_igd_quirk',
  'spec-ctrl',
  'sync_console',
  'tboot',
  'tbuf_size',
  'tdt',
  'tevt_mask',
  'tickle_one_idle_cpu',
  'timer_slop',
  'tsc',
  'ucode',
  'unrestricted_guest',
  'vcpu_migration_delay',
  'vesa-map',
  'vesa-mtrr',
  'vesa-ram',
  'vga',
  'viridian-spinlock-retry-count',
  'viridian-version',
  'vpid',
  'vpmu',
  'vwfi',
  'watchdog',
  'watchdog_timeout',
  'x2apic',
  'x2apic_phys',
  'xenheap_megabytes',
  'xpti',
  'xsave',
  'xsm',
  // Parsed by the hypervisor although no longer documented (xen/common/grant_table.c).
  'gnttab_max_nr_frames',
])

/** `ivrs_hpet[0]=...` is written with an index; the documented name has none. */
function bareName(name: string): string {
  return name.replace(/\[[^\]]*\]$/, '')
}

export function isKnownXenOption(name: string): boolean {
  return XEN_OPTIONS.has(bareName(name))
}

/** XEN_OPTIONS without `-` and `_`, computed once: suggestXenOption compares against it for every unknown option. */
let squashedOptions: Array<[known: string, squashed: string]> | undefined
const squash = (s: string) => s.replace(/[-_]/g, '')

/** The documented option closest to a misspelt one (`consle` → `console`, `loglevel` → `loglvl`), if close enough. */
export function suggestXenOption(name: string): string | undefined {
  const bare = bareName(name).toLowerCase()
  if (XEN_OPTIONS.has(bare)) return bare
  const squashed = squash(bare)
  const limit = bare.length <= 4 ? 1 : 2
  let best: {name: string; d: number} | undefined
  for (const [known, knownSquashed] of (squashedOptions ??= [...XEN_OPTIONS].map((k) => [k, squash(k)]))) {
    // `-` and `_` are not interchangeable in Xen's parser, but people mix them: compare without them first.
    if (knownSquashed === squashed) return known
    // The edit distance is at least the difference in length: skip the names that cannot be close enough.
    if (Math.abs(known.length - bare.length) > limit) continue
    const d = editDistance(bare, known)
    if (!best || d < best.d) best = {name: known, d}
  }

  return best && best.d <= limit ? best.name : undefined
}

/** Options a dump's Xen line has that Xen does not document, each with a suggestion when one is close. */
export function unknownXenOptions(options: readonly XenOption[]): Array<{option: XenOption; suggestion?: string}> {
  const out: Array<{option: XenOption; suggestion?: string}> = []
  for (const option of options) {
    if (isKnownXenOption(option.name)) continue
    // GRUB 2's Xen menu scripts write a `placeholder` word first on the Xen line (it stands for the image name).
    if (option.raw === 'placeholder') continue
    out.push({option, suggestion: suggestXenOption(option.name)})
  }

  return out
}
