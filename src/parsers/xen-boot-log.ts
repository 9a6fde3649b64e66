/**
 * The hypervisor's own boot log: `xl dmesg` (xl-dmesg.txt) or a serial console capture of it.
 * Pure; never throws. Formats from xen-project/xen (see docs/sources/readers.md):
 * - xen/arch/x86/hvm/hvm.c hvm_enable(): `HVM: %s enabled` (fns->name: `VMX` or `SVM`), then
 *   `HVM: Hardware Assisted Paging (HAP) not detected` / `... detected but disabled` / `... detected`.
 * - xen/drivers/passthrough/iommu.c: `I/O virtualisation enabled` / `I/O virtualisation disabled`.
 * - VT-d: `Intel VT-d iommu N supported page sizes: ...`; AMD: `AMD-Vi: IOMMU N Enabled.`,
 *   `AMD-Vi: IOMMU not found!`.
 * - xen/arch/x86/spec_ctrl.c: `  Support for HVM VMs: ...` lists speculative-execution mitigations; it says
 *   nothing about whether HVM guests can run (`None` only means no HVM-specific mitigation is in use).
 * - console_timestamps= prefixes every line after `(XEN) ` with `[<16 hex digits>]` (tsc/raw),
 *   `[<seconds>.<micro>]` (boot) or `[YYYY-MM-DD hh:mm:ss(.mmm)]` (date/datems).
 */
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
  /** `Intel VT-d iommu N supported ...`, `AMD-Vi: IOMMU N Enabled.`: an IOMMU Xen set up. */
  iommuUp: Array<Fact<string>>
  /** `AMD-Vi: IOMMU not found!`, `No DMAR/IVRS ...`, `... IOMMU ... disabled ...`: an IOMMU Xen did not set up. */
  iommuDown: Array<Fact<string>>
  /** How many lines carried the `(XEN)` prefix: zero means this is not a Xen boot log. */
  xenLines: number
}

const TIMESTAMP = String.raw`\[(?:[0-9a-fA-F]{16}|\s*\d+\.\d+|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\]`
const PREFIX = new RegExp(`^\\s*\\(XEN\\)\\s?(?:${TIMESTAMP}\\s?)?`)

/** The message of one line without `(XEN) ` and its console timestamp; undefined for a line that is not Xen's. */
export function xenMessage(raw: string): string | undefined {
  const m = PREFIX.exec(raw)
  return m ? raw.slice(m[0].length) : undefined
}

export function parseXenBootLog(text: string, source = 'xl-dmesg.txt'): XenBootLog {
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
    } else if ((m = /^I\/O virtuali[sz]ation (enabled|disabled)\b/.exec(t)))
      out.ioVirtualisation ??= f(m[1] as 'enabled' | 'disabled')
    else if (
      /^(?:CPU\d+: )?VMX disabled by (?:BIOS|firmware|Feature Control MSR)|^(?:CPU\d+: )?AMD SVM Extension is disabled in BIOS|^SVM: .*disabled (?:by|in) BIOS/i.test(
        t,
      )
    ) {
      out.hvmDisabled.push(f(t))
    } else if (/^Intel VT-d iommu \d+ supported\b|^AMD-Vi: IOMMU \d+ Enabled\b/i.test(t)) out.iommuUp.push(f(t))
    else if (
      /^AMD-Vi: IOMMU not found|^AMD-Vi: Error initialization|^Intel VT-d: .*(?:disabled|not (?:supported|found))|^(?:No )?(?:DMAR|IVRS) .*(?:not found|no )|^(?:Intel VT-d|AMD-Vi|IOMMU).*\bnot (?:enabled|found)\b/i.test(
        t,
      )
    ) {
      out.iommuDown.push(f(t))
    }
  }

  return out
}

/**
 * Xen's own boot messages (`xl dmesg`) about the IOMMU, read by the shared boot-log parser: "I/O virtualisation
 * enabled/disabled", `Intel VT-d iommu N supported ...`, `AMD-Vi: IOMMU N Enabled.` / `AMD-Vi: IOMMU not found!`.
 * Lines that merely mention the IOMMU (`AMD-Vi: Disabled HAP memory map sharing with IOMMU`) are neither.
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
