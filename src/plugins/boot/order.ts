import type {EvidenceRef} from '../../engine/types.js'
import type {BootLine} from '../facts.js'
import type {BootCfg, BootCfgEntry} from './parse-bootcfg.js'

/**
 * What NetBSD's boot loader really does with a boot.cfg Xen item. Read in NetBSD/src (revisions in
 * docs/sources/today-rules.md):
 *
 * - boot.cfg(5): "Each command is executed just as though the user had typed it in"; bootmenu.c
 *   `docommandchoice()` runs the `;`-separated commands one by one, in order.
 * - boot2.c / efiboot boot.c `command_multiboot()` calls `exec_multiboot()` at once: Xen starts with the
 *   modules loaded so far, and a `load` written after `multiboot` never runs. `boot` likewise never returns.
 * - libsa bootcfg.c `perform_bootcfg()` runs a global `load=` line (`command(BOOTCFG_CMD_LOAD, value)` →
 *   `module_add`) while the file is parsed, before any menu item: global modules come first.
 * - Xen builds dom0 from the first multiboot module, so the first module must be the dom0 kernel.
 */
export interface XenBootPlan {
  /** Modules Xen receives, in order: global `load=` lines, then the item's `load` commands before `multiboot`. */
  modules: Array<BootLine & {global: boolean}>
  /** The item's `load` commands written after `multiboot`: never run. */
  lateLoads: BootLine[]
  /** Another command that boots (`boot ...`) before `multiboot`: Xen is never reached. */
  bootsFirst?: string
  /** The `multiboot` command (Xen and its command line). */
  xen: BootLine
}

function line(words: string[], ref: EvidenceRef): BootLine {
  return {path: words[0] ?? '', args: words.slice(1), ref}
}

/** The plan of a boot.cfg item that has a `multiboot` command; undefined for any other item. */
export function xenBootPlan(
  cfg: Pick<BootCfg, 'load'>,
  entry: Pick<BootCfgEntry, 'commands' | 'ref'>,
): XenBootPlan | undefined {
  const modules: XenBootPlan['modules'] = cfg.load.map((l) => ({...l, global: true}))
  const lateLoads: BootLine[] = []
  let xen: BootLine | undefined
  let bootsFirst: string | undefined
  for (const command of entry.commands) {
    if (command.name === 'multiboot') {
      if (!xen) xen = line(command.args, entry.ref)
      continue
    }

    if (command.name === 'load') {
      if (xen) lateLoads.push(line(command.args, entry.ref))
      else if (!bootsFirst) modules.push({...line(command.args, entry.ref), global: false})
      continue
    }

    if (command.name === 'boot' && !xen && !bootsFirst) bootsFirst = ['boot', ...command.args].join(' ')
  }

  if (!xen) return undefined
  return {modules, lateLoads, xen, ...(bootsFirst ? {bootsFirst} : {})}
}

/**
 * A module name that boot.cfg(5) resolves as a kernel module, not a kernel file: "When the argument is not
 * an absolute path, the boot loader will first attempt to load /stand/<machine>/<kernel_version>/modules/
 * <name>/<name>.kmod"; and any `.kmod` file.
 */
export function isKernelModuleName(path: string): boolean {
  const file = path.replace(/^[a-z]+\d*[a-p]?:/i, '')
  return /\.kmod$/i.test(file) || (!file.startsWith('/') && !file.includes('/') && !/netbsd|xen/i.test(file))
}
