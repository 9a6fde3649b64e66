/**
 * Live-only evidence that no portable command prints, gathered through a JavaScript library.
 * Each probe returns the text saved under its evidence name, in `key: value` lines.
 */
export const LIBRARY_PROBES: Record<string, () => Promise<string>> = {
  // Which hypervisor a Linux host runs under: /proc/cpuinfo only says "hypervisor", while
  // systeminformation reads DMI and systemd-detect-virt to name it (KVM, VMware, Xen...).
  async 'systeminformation.system'() {
    const si = await import('systeminformation')
    const s = await si.system()
    return (
      [
        `virtual: ${s.virtual}`,
        `virtualHost: ${s.virtualHost ?? ''}`,
        `manufacturer: ${s.manufacturer}`,
        `model: ${s.model}`,
      ].join('\n') + '\n'
    )
  },
}
