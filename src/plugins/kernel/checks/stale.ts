import type {CheckContext, CheckDefinition, Fact, Outcome} from '../../../engine/types.js'
import {fact, refs} from '../../../engine/types.js'
import {type Cksum, parseCksum, sameCksum} from '../../../parsers/cksum.js'
import * as semver from '../../../util/semver.js'
import type {BootFacts, XenFacts} from '../../facts.js'
import {parseEtcRelease} from '../../../parsers/etc-release.js'
import {filePath} from '../common.js'

export const CKSUM = 'cksum-{xenkernel}.txt'
const RELEASE = 'files/etc/release'

function optional<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/** Every `cksum-xenNNN-kernel.txt` of the dump, merged: path → checksum line. */
function checksums(ctx: CheckContext): Map<string, Fact<Cksum>> | undefined {
  const names = ctx.evidence.names(CKSUM)
  if (names.length === 0) return undefined
  const out = new Map<string, Fact<Cksum>>()
  for (const name of names) {
    const e = ctx.evidence.get(name)
    if (e.present) for (const [path, f] of parseCksum(e.text, name)) out.set(path, f)
  }

  return out
}

function hypervisorOutcome(ctx: CheckContext, boot: BootFacts | undefined, x: XenFacts | undefined): Outcome {
  const subject = 'hypervisor'
  const entry = (boot?.entries ?? []).filter((e) => e.xen).sort((a, b) => Number(b.isDefault) - Number(a.isDefault))[0]
  if (!entry)
    return {
      status: 'n/a',
      subject,
      message: 'no Xen boot entry: no xen.gz to compare with the package (see boot.xen-entry)',
    }
  const kernelPkg = x?.packages.kernel
  if (!kernelPkg)
    return {
      status: 'n/a',
      subject,
      message: 'no xenkernel package installed: nothing to compare the booted xen.gz with (see xen.packages)',
    }
  const dir = `/usr/pkg/${kernelPkg.value.name.replace(/^xenkernel/, 'xen')}-kernel`
  const booted = filePath(entry.xen!.path)
  if (booted.startsWith(`${dir}/`))
    return {
      status: 'pass',
      subject,
      message: `${entry.xen!.path} is the package's own file (${kernelPkg.value.name}): always current`,
      evidence: refs(entry.xen!.ref, kernelPkg),
    }
  const sums = checksums(ctx)
  const collect = `Run \`cksum ${booted} ${dir}/xen.gz > cksum-${dir.slice('/usr/pkg/'.length)}.txt 2>&1\`.`
  if (!sums)
    return {
      status: 'unknown',
      subject,
      message: `whether ${booted} is the installed ${kernelPkg.value.name}'s xen.gz is unknown: no cksum output in the evidence`,
      evidence: refs(entry.xen!.ref, kernelPkg),
      remedy: collect,
    }
  const packaged = sums.get(`${dir}/${/debug/.test(booted) ? 'xen-debug.gz' : 'xen.gz'}`)
  const mine = sums.get(booted)
  if (!packaged || !mine)
    return {
      status: 'unknown',
      subject,
      message: `the cksum output has no line for ${!mine ? booted : `${dir}/xen.gz`}`,
      evidence: refs(entry.xen!.ref, kernelPkg, mine, packaged),
      remedy: collect,
    }
  if (!mine.value.exists)
    return {status: 'n/a', subject, message: `${booted} does not exist (see kernel.xen)`, evidence: refs(mine)}
  if (!packaged.value.exists)
    return {
      status: 'warn',
      subject,
      message: `${kernelPkg.value.name} is installed but ${dir}/xen.gz is missing: the package is damaged`,
      evidence: refs(packaged, kernelPkg),
      remedy: `Reinstall it: \`pkgin install ${kernelPkg.value.name}\` (or \`pkg_add -f\`).`,
    }
  const same = sameCksum(mine.value, packaged.value)
  if (same)
    return {
      status: 'pass',
      subject,
      message: `${booted} is the installed ${kernelPkg.value.name}-${kernelPkg.value.version}'s xen.gz (same size and checksum)`,
      evidence: refs(mine, packaged),
    }
  return {
    status: 'warn',
    subject,
    message: `${booted} differs from the installed ${kernelPkg.value.name}-${kernelPkg.value.version}'s ${dir}/xen.gz (${mine.value.exists ? `${mine.value.size}` : '?'} vs ${packaged.value.exists ? packaged.value.size : '?'} bytes, other checksum): the package was updated but the hypervisor that boots is the old one, without its fixes`,
    evidence: refs(mine, packaged, kernelPkg),
    remedy: `Copy the installed hypervisor where the boot entry loads it and reboot: \`cp ${dir}/xen.gz ${booted}\`, or load it directly: \`multiboot ${dir}/xen.gz ...\` in boot.cfg.`,
  }
}

function userlandOutcome(ctx: CheckContext, x: XenFacts | undefined): Outcome {
  const subject = 'dom0 kernel and userland'
  if (!x?.running || x.runningDom0 === false)
    return {
      status: 'n/a',
      subject,
      message: 'not running as a Xen dom0 now: the running kernel is not the dom0 kernel',
      ...(x?.running ? {} : {pending: 'boot the Xen dom0 entry'}),
    }
  const kernel = x.netbsdRelease
  const e = ctx.evidence.get(RELEASE)
  const userland = e.present ? parseEtcRelease(e.text) : undefined
  if (!kernel || !userland) {
    return {
      status: 'unknown',
      subject,
      message: !kernel
        ? "the running kernel's release is unknown (uname.txt)"
        : `the userland release is unknown (${RELEASE} ${e.present ? 'has no `NetBSD x.y/arch` line' : 'is missing'})`,
      remedy: 'Copy /etc/release into the dump as files/etc/release and save `uname -a > uname.txt`.',
    }
  }

  const u = fact(userland.release, RELEASE, userland.line, userland.text)
  const kv = semver.coerce(kernel.value)
  const uv = semver.coerce(userland.release)
  if (!kv || !uv)
    return {
      status: 'unknown',
      subject,
      message: `cannot compare kernel ${kernel.value} with userland ${userland.release}`,
      evidence: refs(kernel, u),
    }
  if (kv.major === uv.major && kv.minor === uv.minor)
    return {
      status: 'pass',
      subject,
      message: `the dom0 kernel (${kernel.value}) and the userland (${userland.release}) are the same release`,
      evidence: refs(kernel, u),
    }
  const config = x.kernelConfig?.value ?? 'XEN3_DOM0'
  const remedy = `Install the ${userland.release} dom0 kernel from the ${userland.release} sets (\`netbsd-${config}.gz\` of the amd64 binary/kernel directory) as the module the boot entry loads, e.g. \`cp netbsd-${config}.gz /netbsd-${config}.gz\`, and reboot. sysupgrade installs GENERIC as /netbsd, not the dom0 kernel.`
  if (kv.major !== uv.major) {
    return {
      status: 'fail',
      subject,
      message: `the dom0 runs the NetBSD ${kernel.value} kernel under a NetBSD ${userland.release} userland: the dom0 kernel was not upgraded with the system, and a userland of another major release than its kernel is not supported`,
      evidence: refs(kernel, u),
      remedy,
    }
  }

  return {
    status: 'warn',
    subject,
    message: `the dom0 runs the NetBSD ${kernel.value} kernel under a NetBSD ${userland.release} userland: the dom0 kernel was not updated with the system`,
    evidence: refs(kernel, u),
    remedy,
  }
}

export const stale: CheckDefinition = {
  id: 'kernel.stale',
  title: 'The booted hypervisor and dom0 kernel are the installed ones (nothing stale after an upgrade)',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: [
    CKSUM,
    'ls-usr-pkg.txt',
    RELEASE,
    'uname.txt',
    'pkg_info.txt',
    'files/boot.cfg',
    'files/grub/menu.lst',
    'files/boot/grub/menu.lst',
  ],
  description:
    "The size and POSIX checksum (`cksum`) of the xen.gz the default Xen entry loads against the installed xenkernel package's `/usr/pkg/xenNNN-kernel/xen.gz`; on a running dom0, the release of the running kernel (`uname -a`) against the userland's (`/etc/release`).",
  why: 'Updating xenkernel420 replaces /usr/pkg/xen420-kernel/xen.gz, not the copy on the root file system the boot entry loads; upgrading NetBSD (sysupgrade) installs GENERIC as /netbsd, not the dom0 kernel: in both cases the machine keeps booting the old one.',
  remedy:
    "After `pkgin upgrade`, copy the hypervisor again (`cp /usr/pkg/xen420-kernel/xen.gz /`); after a NetBSD upgrade, install the new release's netbsd-XEN3_DOM0.gz as the dom0 module; then reboot.",
  references: [
    'pkgsrc sysutils/xenkernel420 (Makefile INSTALLATION_DIRS=xen420-kernel, MESSAGE)',
    'docs/sources/today-rules.md',
  ],
  run(ctx) {
    const boot = optional(() => ctx.facts('boot'))
    const x = optional(() => ctx.facts('xen'))
    return [hypervisorOutcome(ctx, boot, x), userlandOutcome(ctx, x)]
  },
}
