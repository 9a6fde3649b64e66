import {type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import {hardware, INSTALLER_DMESG, SAVE_DMESG} from '../common.js'
import {chainText, Coverage, describeLoss, EXPECTED_UNDER_XEN, GRAPHICS_DRIVERS, rootDisks} from '../coverage.js'
import {CPUINFO, DMESG, type HardwareFacts, LSPCI, NATIVE_DMESG} from '../facts.js'
import {customKernel, examples, type LossGroup, losses, lossText} from '../losses.js'
import {againstNative} from '../native-findings.js'
import {branchForRelease, dom0Config, loadBranchTable, pvhConfig} from '../tables.js'

const PVH_LINE = 'multiboot /xen.gz dom0_mem=1024M dom0=pvh'

function linuxHost(f: HardwareFacts): Outcome {
  const storage = f.linuxControllers.filter((c) => c.kind === 'storage')
  const network = f.linuxControllers.filter((c) => c.kind === 'network')
  const names = (list: typeof storage) =>
    list.length
      ? list.map((c) => c.name).join('; ')
      : f.lspci
        ? 'none listed'
        : 'unknown (no lspci.txt: `lspci -nn > lspci.txt` names them)'
  return {
    status: 'unknown',
    message: `no NetBSD boot messages yet (a host before NetBSD is installed). Storage controllers: ${names(storage)}. Network controllers: ${names(network)}. Whether the dom0 kernel drives them can only be read from a NetBSD dmesg`,
    evidence: refs(...f.linuxControllers.map((c) => c.ref), f.otherOs),
    remedy: `${INSTALLER_DMESG}, then check again.`,
  }
}

export const dom0Drivers: CheckDefinition = {
  id: 'hardware.dom0-drivers',
  title: 'The dom0 kernel has drivers for the root disk and the network interfaces',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [DMESG, LSPCI, CPUINFO, 'uname.txt', 'files/boot.cfg', NATIVE_DMESG],
  description:
    "The attachment tree of dmesg.boot (`ld0 at virtio1`, `virtio1 at pci0 dev 3 function 0`, `root on dk1`, `dk1 at wd0`) of a native boot, compared with the device list of the PV dom0 kernel configuration of that release (amd64 `XEN3_DOM0`, i386 `XEN3PAE_DOM0`) in the tables made by scripts/gen-driver-tables.mjs from NetBSD's sources: every driver from the PCI bus to the root disk and to each network interface must be there. With `dom0=pvh` on the Xen line the dom0 kernel is GENERIC: a GENERIC dmesg answers for itself, another kernel's is compared with the GENERIC table. Tables: netbsd-10 (NetBSD 10.x), HEAD as of 2025-08-04 (10.99.x and 11.x; later releases as an approximation, missing drivers then warn); none for netbsd-9 and older (unknown). A dmesg of a boot under Xen is the dom0 kernel's own; with a `dmesg-native.boot` of a native boot of the same machine beside it, every PCI function the native kernel attached must be attached under Xen at the same bus/device/function.",
  why: 'The PV dom0 kernel is not GENERIC: sys/arch/amd64/conf/XEN3_DOM0 carries its own device list and leaves out drivers GENERIC has (netbsd-10: no virtio, no DRM/KMS graphics, no agp, no acpicpu). A dom0 that cannot attach its root disk stops at "root device:"; one without its network card is unreachable.',
  remedy: `Use hardware the dom0 kernel drives (an AHCI/NVMe disk, an Intel \`wm\`/\`ixg\` or Broadcom \`bge\` network card), build a dom0 kernel from a copy of XEN3_DOM0 with the missing \`<driver>* at <parent>?\` lines added (\`config\`, \`make depend && make\`), or boot a PVH dom0 (the GENERIC kernel) with \`dom0=pvh\` on the Xen line of boot.cfg: \`${PVH_LINE}\` (Xen 4.19 or later, NetBSD 10 or later).`,
  references: [
    'sys/arch/amd64/conf/XEN3_DOM0 (netbsd-10 rev 1.197.4.3, HEAD rev 1.205)',
    'sys/arch/amd64/conf/GENERIC (netbsd-10 rev 1.599.4.8, HEAD rev 1.617)',
    'sys/arch/i386/conf/XEN3PAE_DOM0 (netbsd-10 rev 1.36.4.2)',
    'src/plugins/hardware/tables/',
  ],
  run(ctx): Outcome | Outcome[] {
    const f = hardware(ctx)
    if (!f.tree) {
      if (f.linuxHost) return linuxHost(f)
      return {
        status: 'unknown',
        message: `no NetBSD boot messages (${DMESG}: ${f.dmesgReason ?? 'missing'})`,
        remedy: `${SAVE_DMESG}.`,
      }
    }

    const tree = f.tree
    if (tree.devices.size === 0) {
      return {
        status: 'unknown',
        message: `${DMESG} has no device attach lines (truncated, or not a NetBSD dmesg)`,
        remedy: `${SAVE_DMESG}.`,
      }
    }

    const kernel = tree.kernel
    // --release: the release being planned. A dmesg of a boot under Xen is still the dom0 kernel's own word
    // only for its own branch; for another planned branch it is compared with that branch's table.
    const planned = ctx.release
    const otherBranch =
      planned !== undefined && branchForRelease(planned).wanted !== branchForRelease(kernel?.value.release ?? '').wanted
    if (tree.xen && !otherBranch) {
      if (kernel && /DOMU/i.test(kernel.value.config)) {
        return {
          status: 'unknown',
          message: `${DMESG} is a Xen domU's (${kernel.value.config}): its disks and network are virtual, not this machine's`,
          evidence: refs(kernel, tree.xen),
          remedy: `${SAVE_DMESG} on the machine that is to become the dom0.`,
        }
      }

      const chain = chainText(tree, rootDisks(tree)?.[0] ?? tree.root?.value ?? '')
      const root = tree.root ? ` It found root on ${tree.root.value}${chain.includes('←') ? ` (${chain})` : ''}` : ''
      const nics = tree.nics.size ? ` and the network interfaces ${[...tree.nics.keys()].join(', ')}` : ''
      const own = `${DMESG} is the boot of a kernel under Xen${kernel ? ` (${kernel.value.config}, NetBSD ${kernel.value.release})` : ''}: what it attached is what the dom0 kernel drives.${root}${nics}`
      const native = f.native ? againstNative(f.native, tree, own) : undefined
      if (native) return native
      return {
        status: 'pass',
        message: `${own}. Devices it left without a driver are under hardware.unconfigured`,
        evidence: refs(kernel, tree.xen, tree.root),
      }
    }

    if (!kernel && planned === undefined) {
      return {
        status: 'unknown',
        message: `${DMESG} has no \`NetBSD x.y (CONFIG)\` banner line, so the release is unknown`,
        remedy: `${SAVE_DMESG} (the whole file, from its first line).`,
      }
    }

    // A PVH dom0 (`dom0=pvh`) runs the native GENERIC kernel: a dmesg of GENERIC of the same branch is its own word;
    // any other kernel's (a custom one, or another branch planned) is compared with the GENERIC table (item 3).
    const pvh = f.pvh
    if (pvh && kernel && kernel.value.config === 'GENERIC' && !otherBranch) {
      return {
        status: 'pass',
        message: `the Xen line boots a PVH dom0 (\`${pvh.value}\`), whose kernel is GENERIC: the kernel of this dmesg (NetBSD ${kernel.value.release} GENERIC), with the same drivers`,
        evidence: refs(pvh, kernel),
      }
    }

    const release = planned ?? kernel!.value.release
    const choice = branchForRelease(release)
    const table = choice.branch ? loadBranchTable(choice.branch) : undefined
    const config = pvh ? pvhConfig(f.arch) : dom0Config(f.arch)
    const kt = table?.kernels[config]
    const configName = config.split('/')[1]!
    const pvhText = pvh ? `the Xen line boots a PVH dom0 (\`${pvh.value}\`), whose kernel is GENERIC; ` : ''
    if (!table || !kt) {
      return {
        status: 'unknown',
        message: `${pvhText}no ${configName} driver table for NetBSD ${release}${planned ? ' (--release)' : ''} (${choice.wanted}) in this xenready${table && !kt ? ` (${choice.branch} has ${Object.keys(table.kernels).join(', ') || 'none'})` : ''}`,
        evidence: refs(pvh, kernel),
        remedy: `${pvh && kernel && kernel.value.config !== 'GENERIC' ? `Boot the native GENERIC kernel once and save its dmesg (${SAVE_DMESG}), or make` : 'Make'} a table from the release's sources: \`node scripts/gen-driver-tables.mjs /usr/src --branch ${choice.wanted}\` (a NetBSD source tree of that branch), then check again; or compare \`config -x /netbsd\` of the dom0 kernel with this dmesg by hand.`,
      }
    }

    const label = `${configName} (${choice.branch}, ${kt.files[0]?.revision ? `rev ${kt.files[0].revision}` : 'revision unknown'}${planned ? `; planned NetBSD ${planned}, --release` : ''})`
    const note = choice.note ? ` Note: ${choice.note}.` : ''
    // PV: the dom0 kernel is XEN3_DOM0 and GENERIC under PVH is the way out; PVH: GENERIC is the dom0 kernel.
    // PVH is not offered for i386: a PVH dom0 was not verified there.
    const dom0Kernel = pvh ? 'the PVH dom0 kernel' : 'the dom0 kernel'
    const orPvh = (line: string) =>
      pvh || f.arch === 'i386'
        ? ''
        : `, or boot a PVH dom0 (the GENERIC kernel) with \`dom0=pvh\` on the Xen line${line}`
    const custom = (items: LossGroup[]) => customKernel(tree, items, configName, Boolean(pvh))
    const severity = choice.approximate ? 'warn' : 'fail'
    const diskExamples = examples(kt, [
      ['AHCI/SATA', ['ahcisata']],
      ['NVMe', ['nvme']],
      ['SAS', ['mpii', 'mfii']],
    ])
    const cardExamples = examples(kt, [
      ['Intel', ['wm', 'ixg', 'ixl']],
      ['Broadcom', ['bge']],
      ['Realtek', ['re']],
    ])
    const cov = new Coverage(tree, kt)
    const all = losses(cov, tree)
    const lostNames = new Map<string, LossGroup>()
    for (const l of all) for (const n of [l.loss.node.name, ...l.below]) lostNames.set(n, l)
    const out: Outcome[] = []
    const onChains = new Set<string>()

    // Root disk.
    const disks = rootDisks(tree)
    let rootUnverifiable: string | undefined
    if (!tree.root) rootUnverifiable = `${DMESG} has no \`root on\` line`
    else if (!disks)
      rootUnverifiable = `root on ${tree.root.value}, a device without an attach line (network or memory disk root?)`
    else {
      const lost = disks.map((d) => lostNames.get(d)).filter((l): l is LossGroup => Boolean(l))
      for (const l of lost) onChains.add(l.loss.node.name)
      if (lost.length) {
        out.push({
          status: severity,
          subject: 'root disk',
          message: `${pvhText}${dom0Kernel} ${label} would not find the root file system: root on ${tree.root.value} (${chainText(tree, disks[0]!)}); ${lost.map((l) => describeLoss(l.loss, configName)).join('; ')}.${note}`,
          evidence: refs(tree.root, ...lost.map((l) => l.loss.node.ref)),
          remedy: `Put the root file system on a disk ${dom0Kernel} drives (${diskExamples}), ${custom(lost)}${orPvh(` of boot.cfg: \`${PVH_LINE}\` (Xen 4.19 or later)`)}.`,
        })
      } else {
        const unverifiable = disks.map((d) => cov.verdict(d)).find((v) => v.kind === 'unverifiable')
        if (unverifiable && unverifiable.kind === 'unverifiable') rootUnverifiable = unverifiable.why
      }
    }

    // Network interfaces.
    const nics = [...tree.nics.keys()].filter((n) => tree.devices.has(n))
    const lostNics = nics.filter((n) => lostNames.has(n))
    for (const n of lostNics) onChains.add(lostNames.get(n)!.loss.node.name)
    if (lostNics.length && lostNics.length === nics.length) {
      out.push({
        status: severity,
        subject: 'network',
        message: `${pvhText}${dom0Kernel} ${label} has no driver for any network interface: ${lostNics.map((n) => `${n} (${describeLoss(lostNames.get(n)!.loss, configName)})`).join('; ')}; the dom0 would be unreachable and domUs without a bridge to the outside.${note}`,
        evidence: refs(
          ...lostNics.map((n) => tree.nics.get(n)),
          ...lostNics.map((n) => lostNames.get(n)!.loss.node.ref),
        ),
        remedy: `Add a network card ${dom0Kernel} drives (${cardExamples}), ${custom(lostNics.map((n) => lostNames.get(n)!))}${orPvh(`: \`${PVH_LINE}\``)}.`,
      })
    } else if (lostNics.length) {
      out.push({
        status: 'warn',
        subject: 'network',
        message: `${pvhText}${dom0Kernel} ${label} drives ${nics.filter((n) => !lostNames.has(n)).join(', ')} but not ${lostNics.map((n) => `${n} (${describeLoss(lostNames.get(n)!.loss, configName)})`).join('; ')}: that link is lost under Xen.${note}`,
        evidence: refs(...lostNics.map((n) => lostNames.get(n)!.loss.node.ref)),
        remedy: `Use the interfaces that attach for the dom0 and the bridges, or ${custom(lostNics.map((n) => lostNames.get(n)!))}.`,
      })
    }

    // Everything else: graphics, devices the hypervisor owns anyway, the rest.
    const rest = all.filter((l) => !onChains.has(l.loss.node.name))
    const graphics = rest.filter((l) => GRAPHICS_DRIVERS.has(l.loss.node.driver))
    const expected = rest.filter((l) => EXPECTED_UNDER_XEN.has(l.loss.node.driver))
    const others = rest.filter(
      (l) => !GRAPHICS_DRIVERS.has(l.loss.node.driver) && !EXPECTED_UNDER_XEN.has(l.loss.node.driver),
    )
    if (graphics.length) {
      out.push({
        status: 'warn',
        subject: 'graphics',
        message: `no DRM/KMS graphics in ${label}: ${graphics.map((l) => lossText(l, configName)).join('; ')}; the dom0 console is text through vga/genfb only (no X acceleration, no native resolution)`,
        evidence: graphics.map((l) => l.loss.node.ref).slice(0, 6),
        remedy: pvh
          ? `Nothing to do for a server run over the network or a serial console: the console stays text (\`vga\`/\`genfb\`). For accelerated graphics on the dom0, ${custom(graphics)}.`
          : 'Nothing to do for a server run over the network or a serial console: the dom0 console stays text (`vga`/`genfb`). XEN3_DOM0 leaves DRM/KMS out on purpose ("drm uses acpi_md_vesa_modenum in acpi_wakeup.c (!xenpv)"), so a desktop that needs accelerated graphics on the dom0 is not served by this kernel.',
      })
    }

    if (others.length) {
      out.push({
        status: 'warn',
        subject: 'other devices',
        message: `lost under ${label}: ${others.map((l) => lossText(l, configName)).join('; ')}`,
        evidence: others.map((l) => l.loss.node.ref).slice(0, 8),
        remedy: `If the dom0 needs them, ${custom(others)}.`,
      })
    }

    if (out.some((o) => o.subject === 'root disk')) return out
    const rootText = rootUnverifiable
      ? `the root disk could not be checked (${rootUnverifiable})`
      : `root on ${tree.root!.value} (${chainText(tree, disks![0]!)}) attaches`
    const attached = nics.filter((n) => !lostNames.has(n))
    const nicText = attached.length
      ? `the network interface(s) ${attached.join(', ')} attach`
      : nics.length
        ? 'no network interface attaches (see [network])'
        : 'no network interface printed a MAC address in this dmesg'
    const expectedText = expected.length
      ? ` Not attached under Xen, as intended: ${expected.map((l) => l.loss.node.name).join(', ')} (the hypervisor does CPU power management).`
      : ''
    out.unshift({
      status: rootUnverifiable || !nics.length ? 'unknown' : 'pass',
      subject: out.length ? 'root disk' : undefined,
      message: `${pvhText}under ${dom0Kernel} ${label} ${rootText}; ${nicText}.${expectedText}${note}`,
      evidence: refs(pvh, kernel, tree.root, ...attached.map((n) => tree.nics.get(n))),
      ...(rootUnverifiable
        ? {remedy: `${SAVE_DMESG} (the whole file: the \`root on\` line comes late in the boot).`}
        : !nics.length
          ? {remedy: `${SAVE_DMESG}; a network interface prints \`<ifname>: Ethernet address\` when it attaches.`}
          : {}),
    })
    return out
  },
}
