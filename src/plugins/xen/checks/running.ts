import {type CheckDefinition, refs} from '../../../engine/types.js'
import {coerceXenVersion} from '../parse.js'
import {xen} from '../common.js'

export const running: CheckDefinition = {
  id: 'xen.running',
  title: 'The host runs as Xen domain0 (information before the install)',
  since: '0.1.0',
  actor: 'os-config',
  evidence: ['dmesg.boot', 'uname.txt', 'xl-info.txt', 'xm-info.txt', 'xl-dmesg.txt', 'pkg_info.txt'],
  description:
    'The `hypervisor0 at mainbus0: Xen version …` line and `pci0 at hypervisor0` (dom0 only) in dmesg, the kernel configuration in uname (`XEN3_DOM0`), and `xen_version`/`xen_caps` of `xl info`/`xm info`; the running Xen branch against the installed xentools (another branch: every `xl` call fails) and xenkernel packages. Before the install this is information: the status is n/a, not a failure.',
  why: "Several checks only make sense on a running dom0 (/kern/xen/privcmd, the hypervisor's own view of HVM support); knowing whether Xen runs, and which version, tells which of them apply.",
  remedy:
    'Boot the Xen entry of the bootloader: in /boot.cfg `menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=1024M` (the dom0 kernel is loaded before `multiboot`, which boots at once), or the grub `kernel (hd0,a)/xen.gz dom0_mem=65536` / `module (hd0,a)/netbsd bootdev=wd0a ro console=tty0` stanza of the Howto.',
  run(ctx) {
    const f = xen(ctx)
    if (f.otherOs && !f.netbsdRelease) {
      return {
        status: 'n/a',
        message: `this host runs ${f.otherOs.value}, not NetBSD yet: this applies once NetBSD is installed as the dom0; not running Xen yet (pre-install)`,
        evidence: refs(f.otherOs),
        pending: 'install NetBSD',
      }
    }

    if (!f.running) {
      const hasEvidence = f.netbsdRelease || f.kernelConfig || ctx.evidence.get('dmesg.boot').present
      if (!hasEvidence)
        return {
          status: 'unknown',
          message: 'neither dmesg.boot nor uname.txt is in the evidence, so whether Xen runs is unknown',
        }
      // Not running Xen is not a failure before the install: n/a, and the checks that need a running dom0 say so.
      return {
        status: 'n/a',
        message: `not running under Xen yet (pre-install): no \`hypervisor0 at mainbus0: Xen version\` line in dmesg.boot${f.kernelConfig ? ` and the running kernel is ${f.kernelConfig.value}` : ''}; checks that need a running dom0 are n/a or relaxed`,
        evidence: refs(f.kernelConfig),
        pending: 'boot the Xen dom0 entry',
      }
    }

    const info = f.info
    const infoRefs = info ? [info.xen_caps, info.virt_caps, info.total_memory, info.xen_commandline] : []
    const version = f.runningVersion?.value ?? 'unknown version'
    if (f.runningDom0 === undefined) {
      return {
        status: 'unknown',
        message: `this host runs under Xen ${version}, but nothing in the evidence says whether as dom0 or as a domU (no \`pci0 at hypervisor0\`, no DOM0/DOMU kernel name, no \`xl info\`)`,
        evidence: refs(f.running, f.kernelConfig),
        remedy:
          'Run `xl info > xl-info.txt` (`xm info > xm-info.txt` with Xen 3.x/4.1) as root: only dom0 can query the hypervisor.',
      }
    }

    if (!f.runningDom0) {
      return {
        status: 'fail',
        message: `this host runs under Xen ${version} as an unprivileged domain (domU), not as domain0: it cannot host other domains`,
        evidence: refs(f.running, f.kernelConfig),
        remedy: 'Run xenready on the physical machine, booted with the Xen hypervisor and a XEN3_DOM0 kernel.',
      }
    }

    const kernelRelease = f.kernelRelease
    const runningSemver = f.runningVersion ? coerceXenVersion(f.runningVersion.value) : undefined
    const toolsRelease = f.toolsRelease
    if (toolsRelease && runningSemver && !runningSemver.startsWith(`${toolsRelease}.`)) {
      const dir = `/usr/pkg/xen${f.packages.tools!.value.name.replace(/^xentools/, '')}-kernel`
      return {
        status: 'fail',
        message: `runs as Xen dom0 with Xen ${version}, but the installed toolstack is ${f.packages.tools!.value.name} (Xen ${toolsRelease}): the hypervisor refuses every domain control call of tools of another branch (the XEN_DOMCTL_INTERFACE_VERSION check of xen/common/domctl.c), so \`xl\` cannot list, create or destroy domains`,
        evidence: refs(f.running, f.runningVersion, f.packages.tools, f.packages.kernel),
        remedy: `Boot the hypervisor of the installed branch: \`pkgin install xenkernel${f.packages.tools!.value.name.replace(/^xentools/, '')}\` if needed, \`cp ${dir}/xen.gz /\` (or \`multiboot ${dir}/xen.gz\` in boot.cfg), and reboot; or install the tools of the running branch (xentools${runningSemver.split('.').slice(0, 2).join('')}).`,
      }
    }

    const infoText = info
      ? `; xen_caps: ${info.xen_caps?.value ?? '?'}${info.total_memory ? `, total_memory: ${info.total_memory.value} MB` : ''}`
      : ''
    if (kernelRelease && runningSemver && !runningSemver.startsWith(`${kernelRelease}.`)) {
      return {
        status: 'warn',
        message: `runs as Xen dom0 with Xen ${version}, but the installed kernel package is ${f.packages.kernel!.value.name} (Xen ${kernelRelease}): the hypervisor booted is not the installed one`,
        evidence: refs(f.running, f.runningVersion, f.packages.kernel),
        remedy: `Copy the installed hypervisor to the root file system (\`cp /usr/pkg/xen${f.packages.kernel!.value.name.replace(/^xenkernel/, '')}-kernel/xen.gz /\`) and reboot.`,
      }
    }

    return {
      status: 'pass',
      message: `runs as Xen domain0 with Xen ${version}${f.kernelConfig ? ` (kernel ${f.kernelConfig.value})` : ''}${infoText}`,
      evidence: refs(f.running, f.runningVersion, f.kernelConfig, ...infoRefs),
    }
  },
}
