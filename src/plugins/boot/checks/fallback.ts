import {type CheckDefinition, refOf, refs} from '../../../engine/types.js'
import {BOOT_CONFIGS} from '../facts.js'
import {boot, noConfig, entryName} from '../common.js'

const BACKUP_NAME = /backup|\.old$|\.bak$|^\/?onetbsd/i

export const fallback: CheckDefinition = {
  id: 'boot.fallback',
  title: 'A backup boot entry exists (backup dom0 kernel or native NetBSD kernel)',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: BOOT_CONFIGS,
  description:
    "Entries that boot a native NetBSD kernel (grub `kernel --type=netbsd`, `chainloader`; boot.cfg `boot ...`) or a backup dom0 kernel (`netbsd.backup`), and grub's `fallback`.",
  why: "Keep your native kernel around, as it can be useful for recovery; the Howto's menu.lst has backup dom0 entries (`module (hd0,a)/netbsd.backup ...`) and a native `kernel --type=netbsd /netbsd-GENERIC` entry in case /xen.gz or /netbsd does not work.",
  remedy:
    'boot.cfg (boot.cfg(5)): `menu=NetBSD (no Xen):boot netbsd-GENERIC` for a native kernel kept under its own name, or a backup dom0 item `menu=Xen (backup dom0):load /netbsd-XEN3_DOM0.old.gz console=pc;multiboot /xen.gz dom0_mem=1024M`; grub hosts (Howto): `title NetBSD`, `root (hd0,a)`, `kernel --type=netbsd /netbsd-GENERIC`, or `module (hd0,a)/netbsd.backup bootdev=wd0a ro console=tty0`.',
  references: ['NetBSD/xen Howto: the commented /grub/menu.lst'],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const native = f.entries.filter((e) => e.native)
    const defaultDom0 = (f.entries.find((e) => e.isDefault && e.dom0) ?? f.entries.find((e) => e.dom0))?.dom0?.path
    const backups = f.entries.filter(
      (e) =>
        e.dom0 &&
        (BACKUP_NAME.test(e.dom0.path.replace(/^.*\//, '')) ||
          (defaultDom0 !== undefined && e.dom0.path !== defaultDom0)),
    )
    const found = [...native, ...backups]
    if (found.length === 0) {
      return {
        status: 'warn',
        message: `no backup entry in ${f.configSources.join(' and ')}: neither a native NetBSD kernel nor a backup dom0 kernel can be chosen at boot if the Xen entry fails`,
        evidence: f.entries.slice(0, 5).map((e) => refOf(e.ref)),
      }
    }

    const described = found.map(
      (e) =>
        `${entryName(e)} (${e.native ? (e.native.path.startsWith('+') ? `chainloader ${e.native.path}` : `native ${e.native.path}`) : `backup dom0 ${e.dom0!.path}`})`,
    )
    return {
      status: 'pass',
      message: `recovery entries: ${described.join(', ')}`,
      evidence: refs(...found.flatMap((e) => [e.ref, (e.native ?? e.dom0)!.ref])),
    }
  },
}
