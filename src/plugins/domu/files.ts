import {asString, asStringList, parseXenConfig} from '../../parsers/xen-config.js'
import {parseDisk} from './parse-entries.js'

/**
 * The dom0 paths a config refers to (kernel, ramdisk, phy: devices, file: images). The collector
 * cannot know them ahead; a live run on dom0 can append `ls -ld` of these to ls-paths.txt.
 */
export function referencedPaths(configText: string): string[] {
  const {values} = parseXenConfig(configText, 'config')
  const out = new Set<string>()
  for (const k of ['kernel', 'ramdisk']) {
    const v = asString(values[k])
    if (v?.startsWith('/')) out.add(v)
  }

  for (const raw of asStringList(values.disk) ?? []) {
    const d = parseDisk(raw)
    if (d.target?.startsWith('/')) out.add(d.target)
  }

  return [...out]
}
