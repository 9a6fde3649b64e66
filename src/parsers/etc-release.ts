/** `/etc/release` first line: `NetBSD 10.0/amd64` → release `10.0`, machine `amd64`. */
export function parseEtcRelease(
  text: string,
): {release: string; machine?: string; line: number; text: string} | undefined {
  const lines = text.split(/\r?\n/)
  for (const [i, raw] of lines.entries()) {
    const m = /^NetBSD\s+(\d+\.\d+(?:\.\d+)*(?:_[A-Za-z0-9]+)*)(?:\/(\S+))?/.exec(raw.trim())
    if (m) return {release: m[1]!, ...(m[2] ? {machine: m[2]} : {}), line: i + 1, text: raw}
  }

  return undefined
}
