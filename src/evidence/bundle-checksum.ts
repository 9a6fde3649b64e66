import {createHash} from 'node:crypto'
import {createReadStream, readFileSync, statSync} from 'node:fs'
import {basename} from 'node:path'
import {UsageError} from '../engine/registry.js'

/**
 * The `.sha256` file both collectors write beside a bundle (`<hex>  <name>`, sha256sum's format), and
 * its verification by `bundle inspect`. Also read: `<hex> *<name>` (sha256sum -b) and NetBSD's own
 * `SHA256 (<name>) = <hex>` (what `sha256 FILE` or `cksum -a sha256 FILE` prints; NetBSD/src
 * usr.bin/cksum/cksum.c at 03351c0dc38c9d5b23f812d54c3f94539493adf3, hash_digest_file), so a sum made
 * by hand on the customer's host is checked too.
 */

export interface ChecksumResult {
  /** The `.sha256` file read. */
  file: string
  sha256: string
  ok: true
}

/** The digest a `.sha256` file gives, or undefined when no line of it is one of the formats above. */
export function parseSha256File(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m =
      /^([0-9a-fA-F]{64}) [ *]\S/.exec(line) ??
      /^SHA256 \(.*\) = ([0-9a-fA-F]{64})\s*$/.exec(line) ??
      /^([0-9a-fA-F]{64})\s*$/.exec(line)
    if (m) return m[1]!.toLowerCase()
  }

  return undefined
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Checks `<bundle>.sha256` when there is one: undefined when there is none (or the bundle is a
 * directory or stdin); a mismatch or an unreadable sum is an input error (exit 2, one line).
 */
export async function verifyBundleChecksum(bundle: string): Promise<ChecksumResult | undefined> {
  if (bundle === '-') return undefined
  try {
    if (!statSync(bundle).isFile()) return undefined
  } catch {
    return undefined
  }

  const file = `${bundle}.sha256`
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw new UsageError(`cannot read ${file}: ${code ?? String(error)}`)
  }

  const expected = parseSha256File(text)
  if (!expected) throw new UsageError(`${file}: not a sha256 sum (expected \`<64 hex digits>  ${basename(bundle)}\`)`)
  const actual = await sha256OfFile(bundle)
  if (actual !== expected)
    throw new UsageError(
      `${bundle}: checksum mismatch: the bundle is damaged or incomplete (sha256 ${actual}, ${basename(file)} says ${expected}); ask for it again`,
    )
  return {file, sha256: actual, ok: true}
}
