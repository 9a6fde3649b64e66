/** Byte counts as people read them: `1.9 GB`, `384 MB`, `64 MB` (binary units, as NetBSD and Xen print them). */
export function formatBytes(bytes: number | bigint): string {
  const n = typeof bytes === 'bigint' ? Number(bytes) : bytes
  if (!Number.isFinite(n) || n < 0) return `${String(bytes)} bytes`
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }

  if (unit === 0) return `${n} bytes`
  const rounded =
    value >= 100 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '')
  return `${rounded} ${units[unit]}`
}

export const KiB = 1024
export const MiB = 1024 * 1024
export const GiB = 1024 * 1024 * 1024
