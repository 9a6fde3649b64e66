/**
 * The hypervisor's own boot log: `xl dmesg` (xl-dmesg.txt) or a serial console capture of it.
 * Pure; never throws. Formats from xen-project/xen (files, commits and versions in docs/sources/readers.md):
 * - xen/arch/x86/hvm/hvm.c hvm_enable(): `HVM: %s enabled` (fns->name: `VMX` or `SVM`), then
 *   `HVM: Hardware Assisted Paging (HAP) not detected` / `... detected but disabled` / `... detected`.
 * - xen/drivers/passthrough/iommu.c iommu_setup(): `I/O virtualisation %sabled` (Xen 3.4 to 4.21), Xen's own verdict.
 * - Per-IOMMU lines printed while the IOMMU is being set up (setup can still fail after them, and then the summary
 *   says `disabled`, which wins): vtd/iommu.c `Intel VT-d supported page sizes: 4kB[, 2MB][, 1GB].` (4.2-era),
 *   `Intel VT-d iommu %"PRIu32" supported page sizes: 4kB[, 2MB][, 1GB].`, since 4.17
 *   `Intel VT-d iommu %u supported page sizes: 4kB%s%s` (no full stop); amd/iommu_init.c `AMD-Vi: IOMMU %d Enabled.`
 * - Lines saying the IOMMU will not be used: amd `AMD-Vi: IOMMU not found!` (3.4 to 4.12; `AMD_IOV: ...` in 3.3;
 *   since 4.13 nothing is printed without an IVRS table), `AMD-Vi: Error initialization` (bare `Error
 *   initialization` in one older tree), `AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU`; vtd/dmar.c
 *   `Failed to parse ACPI DMAR.  Disabling VT-d.`; iommu.c `IOMMU: page size mask %lx unsupported`.
 * - Not statements about the IOMMU being on or off (never counted): `Intel VT-d <feature> [not ]enabled.` /
 *   `[not ]supported.` (Snoop Control, Queued Invalidation, Shared EPT tables, ...), `I/O virtualisation for PV
 *   guests %sabled` (3.4), `Interrupt remapping %sabled`, `AMD-Vi: Disabled HAP memory map sharing with IOMMU`.
 * - xen/arch/x86/spec_ctrl.c: `  Support for HVM VMs: ...` lists speculative-execution mitigations; it says
 *   nothing about whether HVM guests can run (`None` only means no HVM-specific mitigation is in use).
 * - console_timestamps= prefixes every line after `(XEN) ` with `[<16 hex digits>]` (tsc/raw),
 *   `[<seconds>.<micro>]` (boot) or `[YYYY-MM-DD hh:mm:ss(.mmm)]` (date/datems).
 */
import {runMemo} from '../util/run-memo.js'
import {type Fact, fact} from '../engine/types.js'
import {numberedLines} from './lines.js'

export interface XenBootLog {
  /** `Xen version 4.19.1 (...)`: the version alone. */
  version?: Fact<string>
  /** `Command line: ...`: the options the running hypervisor was booted with. */
  commandLine?: Fact<string>
  /** `HVM: VMX enabled` / `HVM: SVM enabled`: `VMX` or `SVM`. */
  hvm?: Fact<string>
  /** Lines saying the CPU's VMX/SVM is there but unusable (`VMX disabled by BIOS`, `SVM is disabled in BIOS`). */
  hvmDisabled: Array<Fact<string>>
  /** `HVM: Hardware Assisted Paging (HAP) ...`: detected, disabled (on the command line) or absent. */
  hap?: Fact<'detected' | 'disabled' | 'not-detected'>
  /** `I/O virtualisation enabled|disabled`: Xen's own summary of its IOMMU. */
  ioVirtualisation?: Fact<'enabled' | 'disabled'>
  /** `Intel VT-d [iommu N ]supported page sizes: ...`, `AMD-Vi: IOMMU N Enabled.`: an IOMMU Xen is setting up. */
  iommuUp: Array<Fact<string>>
  /** `AMD-Vi: IOMMU not found!`, `AMD-Vi: Error initialization`, `... Disabling VT-d.`: an IOMMU Xen will not use. */
  iommuDown: Array<Fact<string>>
  /** How many lines carried the `(XEN)` prefix: zero means this is not a Xen boot log. */
  xenLines: number
}

// Exactly the printk formats of the sources (header comment); a line that merely mentions the IOMMU matches neither.
const IOMMU_UP = [
  /^Intel VT-d supported page sizes: 4kB(?:, 2MB)?(?:, 1GB)?\.$/,
  /^Intel VT-d iommu \d+ supported page sizes: 4kB(?:, 2MB)?(?:, 1GB)?\.?$/,
  /^AMD-Vi: IOMMU \d+ Enabled\.$/,
]
const IOMMU_DOWN = [
  /^AMD(?:-Vi|_IOV): IOMMU not found!$/,
  /^(?:AMD-Vi: )?Error initialization$/,
  /^AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU$/,
  /^Failed to parse ACPI DMAR\.\s+Disabling VT-d\.$/,
  /^IOMMU: page size mask [0-9a-f]+ unsupported$/,
]

const TIMESTAMP = String.raw`\[(?:[0-9a-fA-F]{16}|\s*\d+\.\d+|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\]`
const PREFIX = new RegExp(`^\\s*\\(XEN\\)\\s?(?:${TIMESTAMP}\\s?)?`)

/** The message of one line without `(XEN) ` and its console timestamp; undefined for a line that is not Xen's. */
export function xenMessage(raw: string): string | undefined {
  const m = PREFIX.exec(raw)
  return m ? raw.slice(m[0].length) : undefined
}

/** Every line of the log read once. Shared within a run (util/run-memo.ts): five readers ask for the same log. */
export const parseXenBootLog = runMemo(function parseXenBootLog(text: string, source = 'xl-dmesg.txt'): XenBootLog {
  const out: XenBootLog = {hvmDisabled: [], iommuUp: [], iommuDown: [], xenLines: 0}
  for (const {line, text: raw} of numberedLines(text)) {
    const msg = xenMessage(raw)
    if (msg === undefined) continue
    out.xenLines++
    const t = msg.trim()
    const f = <T>(value: T) => fact(value, source, line, raw)
    let m: RegExpExecArray | null
    if ((m = /^Xen version (\d+\.\d+\S*)/.exec(t))) out.version ??= f(m[1]!)
    else if ((m = /^Command line:\s?(.*)$/.exec(t))) out.commandLine ??= f(m[1]!.trim())
    else if ((m = /^HVM: (VMX|SVM) enabled\b/.exec(t))) out.hvm ??= f(m[1]!)
    else if ((m = /^HVM: Hardware Assisted Paging \(HAP\) (not detected|detected but disabled|detected)\b/.exec(t))) {
      out.hap ??= f(m[1] === 'not detected' ? 'not-detected' : m[1] === 'detected' ? 'detected' : 'disabled')
    } else if ((m = /^I\/O virtualisation (enabled|disabled)$/.exec(t)))
      out.ioVirtualisation ??= f(m[1] as 'enabled' | 'disabled')
    else if (
      /^(?:CPU\d+: )?VMX disabled by (?:BIOS|firmware|Feature Control MSR)|^(?:CPU\d+: )?AMD SVM Extension is disabled in BIOS|^SVM: .*disabled (?:by|in) BIOS/i.test(
        t,
      )
    ) {
      out.hvmDisabled.push(f(t))
    } else if (IOMMU_UP.some((r) => r.test(t))) out.iommuUp.push(f(t))
    else if (IOMMU_DOWN.some((r) => r.test(t))) out.iommuDown.push(f(t))
  }

  return out
})

/**
 * Xen's own boot messages (`xl dmesg`) about the IOMMU, read by the shared boot-log parser: "I/O virtualisation
 * enabled/disabled", the per-IOMMU set-up lines (`Intel VT-d iommu N supported page sizes: ...`, `AMD-Vi: IOMMU N
 * Enabled.`) and the lines saying it will not be used (`AMD-Vi: IOMMU not found!`, `AMD-Vi: Error initialization`,
 * ...). Lines that merely mention the IOMMU (`Intel VT-d Shared EPT tables not enabled.`, `AMD-Vi: Disabled HAP
 * memory map sharing with IOMMU`) are neither.
 */
export function parseXenIommuLines(
  text: string,
  source: string,
): {enabled: Array<Fact<string>>; disabled: Array<Fact<string>>} {
  const log = parseXenBootLog(text, source)
  const io = log.ioVirtualisation
  const summary = io ? [fact(io.text, io.source, io.line, io.text)] : []
  const enabled = [...(io?.value === 'enabled' ? summary : []), ...log.iommuUp]
  const disabled = [...(io?.value === 'disabled' ? summary : []), ...log.iommuDown]
  return {enabled, disabled}
}
