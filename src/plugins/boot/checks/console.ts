import {type CheckDefinition, type Outcome, refOf, refs} from '../../../engine/types.js'
import {BOOT_CONFIGS} from '../facts.js'
import {boot, noConfig, entryName, xenEntries} from '../common.js'

function args(line: {args: string[]} | undefined, key: string): string | undefined {
  let value: string | undefined
  for (const a of line?.args ?? []) if (a.startsWith(`${key}=`)) value = a.slice(key.length + 1)
  return value
}

type ConsoleKind = 'serial' | 'vga' | 'xencons'

function dom0Console(value: string | undefined): ConsoleKind | undefined {
  if (value === undefined) return 'xencons'
  if (/^(?:ttyS\d*|com\d*|serial)$/i.test(value)) return 'serial'
  if (/^(?:tty\d*|pc|vga)$/i.test(value)) return 'vga'
  return undefined
}

export const consoleCheck: CheckDefinition = {
  id: 'boot.console',
  title: 'The Xen console and the dom0 console agree',
  since: '0.1.0',
  actor: 'os-config',
  hostOs: ['NetBSD'],
  evidence: BOOT_CONFIGS,
  description:
    "Xen's `console=`/`com1=` and the dom0 `console=` (ttyS0, com0 / tty0, pc) of each Xen entry; for grub, the `serial` and `terminal` lines a serial console needs.",
  why: 'domain0 owns the physical console (VGA or serial); the Howto configures the serial port for Xen (`com1=115200,8n1`) with `console=ttyS0` for dom0, or `console=tty0`/`console=pc` for VGA, and grub needs `serial` and `terminal` lines to use the serial port.',
  remedy:
    "Serial, NetBSD boot loader: `menu=Xen (serial):load /netbsd-XEN3_DOM0.gz console=com0;multiboot /xen.gz dom0_mem=1024M console=com1 com1=115200,8n1` (boot.cfg(5); Xen counts serial ports from com1, NetBSD from com0). `console=com0` works for dom0 because dom0 prints through Xen's console, not the UART: XEN3_DOM0 leaves com0 out (\"If a com port is used as Xen console it can't be used by the domain0 kernel\"), and Xen's `console=com1 com1=...` puts that console on the first serial port. VGA: dom0 `console=pc`. grub hosts only: `serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1`, `terminal --timeout=10 serial console`, Xen `com1=115200,8n1`, dom0 `console=ttyS0`.",
  references: [
    'boot.cfg(5)',
    'sys/arch/amd64/conf/XEN3_DOM0 (com0 left out)',
    'NetBSD/xen Howto: the commented /grub/menu.lst',
  ],
  run(ctx) {
    const f = boot(ctx)
    if (f.loaders.length === 0) return noConfig()
    const xen = xenEntries(f)
    if (xen.length === 0)
      return {status: 'n/a', message: 'no Xen boot entry to read the consoles from (see boot.xen-entry)'}
    return xen.map((entry): Outcome => {
      const subject = entryName(entry)
      const xenConsole = args(entry.xen, 'console')
      const list = xenConsole?.split(',').map((c) => c.trim().toLowerCase()) ?? []
      const ports = (entry.xen?.args ?? []).filter((a) => /^com\d=/i.test(a))
      const xenSerial = list.some((c) => /^com\d/.test(c)) || (xenConsole === undefined && ports.length > 0)
      const xenVga = xenConsole === undefined || list.includes('vga')
      const dom0Value = args(entry.dom0, 'console')
      const dom0 = dom0Console(dom0Value)
      const evidence = refs(...[entry.xen!.ref, ...(entry.dom0 ? [entry.dom0.ref] : [])])
      const xenSays =
        xenConsole === undefined
          ? ports.length > 0
            ? `Xen has ${ports.join(' ')} and the default console`
            : 'Xen uses its default (VGA) console'
          : `Xen console=${xenConsole}`
      const dom0Says =
        dom0Value === undefined ? 'dom0 has no console= (it uses the Xen console)' : `dom0 console=${dom0Value}`
      if (dom0 === undefined)
        return {
          status: 'warn',
          subject,
          message: `${dom0Says} is not a console NetBSD/Xen knows (ttyS0, com0, tty0, pc)`,
          evidence,
        }
      if (dom0 === 'serial' && !xenSerial) {
        return {
          status: 'warn',
          subject,
          message: `${dom0Says} (serial) but ${xenSays}: the serial port is not set up for Xen, and dom0 prints through Xen's console (XEN3_DOM0 has no com0 of its own)`,
          evidence,
          remedy:
            entry.loader === 'grub'
              ? 'Add `com1=115200,8n1` to the Xen `kernel` line, as in the Howto.'
              : 'Add `console=com1 com1=115200,8n1` to the `multiboot` command, as in boot.cfg(5): `multiboot /xen.gz dom0_mem=1024M console=com1 com1=115200,8n1`.',
        }
      }

      if (dom0 === 'vga' && !xenVga) {
        return {
          status: 'warn',
          subject,
          message: `${dom0Says} (VGA) but ${xenSays} (serial only): Xen's messages and dom0's go to different consoles`,
          evidence,
          remedy:
            'Use `console=ttyS0` (grub) or `console=com0` (boot.cfg) for dom0 with a serial Xen console, or `console=vga` for Xen with a VGA dom0.',
        }
      }

      const serialUsed = dom0 === 'serial' || xenSerial
      if (entry.loader === 'grub' && serialUsed && (!f.grub?.serial || !f.grub.terminal)) {
        const missing = [f.grub?.serial ? '' : '`serial`', f.grub?.terminal ? '' : '`terminal`']
          .filter(Boolean)
          .join(' and ')
        return {
          status: 'warn',
          subject,
          message: `${dom0Says}, ${xenSays}: a serial console, but menu.lst has no ${missing} line, so grub's menu stays on the VGA screen`,
          evidence,
          remedy:
            'Add to menu.lst, as in the Howto: `serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1` and `terminal --timeout=10 serial console`.',
        }
      }

      const grubLines =
        entry.loader === 'grub' && serialUsed
          ? [f.grub?.serial, f.grub?.terminal].filter((x) => x !== undefined).map(refOf)
          : []
      return {
        status: 'pass',
        subject,
        message: `${dom0Says}, ${xenSays}: they agree (${dom0 === 'xencons' ? 'dom0 follows Xen' : dom0})`,
        evidence: refs(...[...evidence, ...grubLines]),
      }
    })
  },
}
