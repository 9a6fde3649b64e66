import {gzipSync} from 'node:zlib'

/** Hand-made tar entries for malicious-bundle tests: any name, type, size or link, no checks at all. */
export interface RawEntry {
  name: string
  /**
   * Tar type flag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' FIFO.
   */
  type?: string
  body?: Buffer | string
  /** Size written in the header (defaults to the body's length); a lie makes a truncated archive. */
  size?: number
  linkname?: string
}

function field(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value.slice(0, length), offset, length, 'latin1')
}

function octal(n: number, length: number): string {
  return n.toString(8).padStart(length - 1, '0') + '\0'
}

export function header(e: RawEntry): Buffer {
  const h = Buffer.alloc(512)
  const body = typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0))
  field(h, 0, 100, e.name)
  field(h, 100, 8, octal(0o644, 8))
  field(h, 108, 8, octal(0, 8))
  field(h, 116, 8, octal(0, 8))
  field(h, 124, 12, octal(e.size ?? body.length, 12))
  field(h, 136, 12, octal(1_700_000_000, 12))
  field(h, 148, 8, '        ')
  field(h, 156, 1, e.type ?? '0')
  field(h, 157, 100, e.linkname ?? '')
  field(h, 257, 6, 'ustar\0')
  field(h, 263, 2, '00')
  let sum = 0
  for (const b of h) sum += b
  field(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ')
  return h
}

export function tarOf(entries: RawEntry[], end = true): Buffer {
  const parts: Buffer[] = []
  for (const e of entries) {
    const body = typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0))
    parts.push(header(e), body)
    const pad = (512 - (body.length % 512)) % 512
    if (pad) parts.push(Buffer.alloc(pad))
  }

  if (end) parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

export function tgzOf(entries: RawEntry[]): Buffer {
  return gzipSync(tarOf(entries))
}
