import type {CheckDefinition, EvidenceRef, Outcome} from '../../../engine/types.js'
import {refs} from '../../../engine/types.js'
import {dom0Mode, parseXenCmdline, unknownXenOptions, xenBoolean, xenValue} from '../../../parsers/xen-cmdline.js'
import {xenIommu} from '../../../parsers/xen-iommu.js'
import {bootingXenEntry} from '../../boot-entries.js'
import type {XenFacts} from '../../facts.js'

type Level = 'fail' | 'warn' | 'unknown'
interface Problem {
  level: Level
  text: string
  evidence: Array<EvidenceRef | undefined>
  remedy?: string
}

function optional<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/** `4.20` for the Xen this host runs or will run: the running hypervisor, else the tools, else the kernel package. */
function xenBranch(x: XenFacts | undefined): string | undefined {
  const v = x?.runningVersion?.value ?? x?.xenVersion?.value
  const m = v ? /^(\d+\.\d+)/.exec(v) : null
  return m?.[1] ?? x?.toolsRelease ?? x?.kernelRelease
}

const PV_LINEAR_PT =
  'pkgsrc xenkernel420 MESSAGE: "You can disable it using pv-linear-pt=false on the Xen command line, but then you can\'t boot NetBSD in PV mode."'

export const xenCmdline: CheckDefinition = {
  id: 'boot.xen-cmdline',
  title:
    'The Xen command line suits a NetBSD dom0 (pv-linear-pt, dom0=pvh prerequisites, known options, booted as configured)',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [
    'files/boot.cfg',
    'files/grub/menu.lst',
    'files/boot/grub/menu.lst',
    'xl-info.txt',
    'xl-dmesg.txt',
    'cpuctl-identify.txt',
    'dmesg.boot',
  ],
  description:
    'The options after xen.gz on the Xen line of the default boot entry (boot.cfg `multiboot`, grub `kernel`), and on a running dom0 `xen_commandline` of `xl info` (or `Command line:` of `xl dmesg`): `pv-linear-pt` for a PV dom0; for `dom0=pvh` the CPU\'s VMX/SVM and a usable IOMMU (`virt_caps` directio, `xl dmesg` "I/O virtualisation"); options Xen does not document; `dom0_mem` and `dom0=` of the running line against the configured one.',
  why: 'NetBSD as a PV dom0 needs linear page tables: "You can disable it using pv-linear-pt=false on the Xen command line, but then you can\'t boot NetBSD in PV mode" (pkgsrc xenkernel418/420 MESSAGE). A PVH dom0 "Requires hardware virtualisation support (Intel VMX / AMD SVM). Dom0 support requires an IOMMU" (Xen SUPPORT.md). Xen ignores options it does not know, so a misspelt one silently does nothing. A line edited in boot.cfg takes effect only at the next boot.',
  remedy:
    'Keep the Xen line to options Xen documents (docs/misc/xen-command-line.pandoc), e.g. boot.cfg `menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M`; never `pv-linear-pt=false` with a PV NetBSD dom0; reboot after changing it.',
  references: [
    'pkgsrc sysutils/xenkernel420 MESSAGE',
    'Xen SUPPORT.md (x86/PVH)',
    'Xen docs/misc/xen-command-line.pandoc',
    'docs/sources/today-rules.md',
  ],
  run(ctx) {
    const f = ctx.facts('boot')
    const x = optional(() => ctx.facts('xen'))
    const entry = bootingXenEntry(f)
    const xlDmesg = ctx.evidence.get('xl-dmesg.txt')
    // xl info's xen_commandline, else `Command line:` of xl dmesg (the xen plugin reads both).
    const running = x?.commandLine
    if (!entry && !running) {
      if (f.loaders.length === 0)
        return {
          status: 'unknown',
          message:
            'no bootloader configuration in the evidence (files/boot.cfg, files/grub/menu.lst) and no running Xen command line (xl info)',
        }
      return {status: 'n/a', message: 'no Xen boot entry to read the Xen command line from (see boot.xen-entry)'}
    }

    const configured = entry ? parseXenCmdline(entry.xen!.args.join(' ')) : parseXenCmdline(running!.value)
    const lineRef = entry ? entry.xen!.ref : running!
    const where = entry
      ? `the Xen line of ${entry.loader === 'grub' ? 'grub' : 'boot.cfg'} entry "${entry.label}"`
      : `the running Xen command line (${running!.source})`
    const mode = dom0Mode(configured)
    const problems: Problem[] = []
    const notes: string[] = []

    if (mode.mode === 'pv' && xenBoolean(configured, 'pv-linear-pt') === false) {
      problems.push({
        level: 'fail',
        text: 'pv-linear-pt is disabled on a PV dom0: NetBSD uses linear page tables and cannot boot as a PV dom0 without them',
        evidence: [lineRef],
        remedy: `Remove \`pv-linear-pt=false\` (pkgsrc's Xen enables it by default): ${PV_LINEAR_PT}`,
      })
    }

    if (mode.mode === 'pvh') {
      const cpu = optional(() => ctx.facts('cpu'))
      // The hypervisor's word first (xen_caps, then its boot log: `HVM: VMX enabled`, `VMX disabled by BIOS`), as
      // cpu.hvm reads it.
      const log = cpu?.xenBootLog
      const hvmByXen = cpu?.xenCaps
        ? /\bhvm-\d/.test(cpu.xenCaps.value)
        : log?.hvm
          ? true
          : log && log.hvmDisabled.length > 0
            ? false
            : undefined
      if (
        hvmByXen === false ||
        (hvmByXen === undefined && cpu?.identity.featuresSeen && !cpu.caps.hvm && !cpu.xenGuest)
      ) {
        problems.push({
          level: 'fail',
          text: 'dom0=pvh needs VMX (Intel VT-x) or SVM (AMD-V), and this CPU shows neither: Xen cannot build the PVH dom0',
          evidence: [
            lineRef,
            cpu?.xenCaps,
            ...(cpu?.xenCaps ? [] : (log?.hvmDisabled ?? []).slice(0, 1)),
            ...Object.values(cpu?.identity.flags ?? {}).slice(0, 1),
          ],
          remedy:
            'Enable VT-x/AMD-V in the firmware setup, or boot a PV dom0: remove `dom0=pvh` and load the XEN3_DOM0 kernel (`load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M`).',
        })
      } else if (hvmByXen === undefined && !cpu?.caps.hvm) {
        problems.push({
          level: 'unknown',
          text: 'whether the CPU has VMX/SVM, which dom0=pvh needs, is unknown',
          evidence: [lineRef],
          remedy: 'Run `cpuctl identify 0 > cpuctl-identify.txt` (or `xl info > xl-info.txt` on a running dom0).',
        })
      }

      const iommu = xenIommu(x?.info?.virt_caps, xlDmesg.present ? xlDmesg.text : undefined)
      if (iommu.usable === false) {
        problems.push({
          level: 'fail',
          text: `dom0=pvh needs an IOMMU (Intel VT-d / AMD-Vi) and Xen has none in use (${iommu.why})`,
          evidence: [lineRef, ...iommu.evidence],
          remedy:
            'Enable VT-d/AMD-Vi (IOMMU) in the firmware setup and check that `xl dmesg` says "I/O virtualisation enabled", or boot a PV dom0 with the XEN3_DOM0 kernel instead.',
        })
      } else if (iommu.usable === undefined) {
        notes.push(`whether Xen has a usable IOMMU (which dom0=pvh needs) is unknown: ${iommu.why}`)
      }

      const branch = xenBranch(x)
      if (branch && /^4\.(?:[0-9]|1[0-8])$/.test(branch)) {
        problems.push({
          level: 'warn',
          text: `Xen ${branch} declares a PVH dom0 experimental (SUPPORT.md "Status, dom0: Experimental"; supported with caveats from 4.19)`,
          evidence: [lineRef],
          remedy:
            'Use Xen 4.19 or later (`pkgin install xenkernel420 xentools420`) for a PVH dom0, or a PV dom0 with XEN3_DOM0.',
        })
      }
    }

    const unknown = unknownXenOptions(configured)
    if (unknown.length > 0) {
      const list = unknown
        .map((u) => `\`${u.option.raw}\`${u.suggestion ? ` (did you mean \`${u.suggestion}\`?)` : ''}`)
        .join(', ')
      problems.push({
        level: 'warn',
        text: `${list}: not among the options Xen documents; Xen ignores what it does not know, so ${unknown.length === 1 ? 'it does' : 'they do'} nothing`,
        evidence: [lineRef],
        remedy: `Correct or remove ${unknown.map((u) => `\`${u.option.raw}\``).join(', ')}${
          unknown.some((u) => u.suggestion)
            ? ` (${unknown
                .filter((u) => u.suggestion)
                .map((u) => `\`${u.suggestion}\``)
                .join(', ')})`
            : ''
        }; \`xl dmesg\` shows how Xen read its command line.`,
      })
    }

    if (entry && running && x?.running) {
      const booted = parseXenCmdline(running.value)
      const differences: string[] = []
      const mem = xenValue(configured, 'dom0_mem')?.value
      const memNow = xenValue(booted, 'dom0_mem')?.value
      if (mem !== memNow)
        differences.push(
          `dom0_mem ${memNow === undefined ? '(not set)' : memNow} now, ${mem === undefined ? '(not set)' : mem} configured`,
        )
      const modeNow = dom0Mode(booted).mode
      if (modeNow !== mode.mode)
        differences.push(`a ${modeNow.toUpperCase()} dom0 now, ${mode.mode.toUpperCase()} configured`)
      if (differences.length > 0) {
        problems.push({
          level: 'warn',
          text: `the running hypervisor was booted with another command line than ${where} (${differences.join('; ')}): the configuration was changed and not rebooted`,
          evidence: [lineRef, running],
          remedy:
            'Reboot into the configured entry when convenient (`shutdown -r now`), or restore the running options in the boot configuration.',
        })
      }
    }

    const worst: Outcome['status'] = problems.some((p) => p.level === 'fail')
      ? 'fail'
      : problems.some((p) => p.level === 'warn')
        ? 'warn'
        : problems.some((p) => p.level === 'unknown')
          ? 'unknown'
          : 'pass'
    const evidence = refs(...problems.flatMap((p) => p.evidence), lineRef)
    if (worst === 'pass') {
      const what = mode.mode === 'pvh' ? 'a PVH dom0 with VMX/SVM and an IOMMU' : 'a PV dom0 (pv-linear-pt left on)'
      return {
        status: 'pass',
        message: `${where}: ${configured.map((o) => o.raw).join(' ') || '(no options)'}: ${what}, every option documented${running && entry && x?.running ? ', and the running hypervisor was booted with it' : ''}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
        evidence,
      }
    }

    const shown = problems.filter((p) => p.level === worst || worst !== 'unknown')
    return {
      status: worst,
      message: `${where}: ${shown.map((p) => p.text).join('; ')}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
      evidence,
      remedy: shown
        .map((p) => p.remedy)
        .filter(Boolean)
        .join(' '),
    }
  },
}
