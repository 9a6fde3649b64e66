/**
 * XML 1.0 escaping. Evidence is untrusted text from dumps: besides `& < > " '`, characters XML 1.0
 * cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become `\uXXXX` text so the
 * document stays well-formed and the reader still sees what was there.
 */

const INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function visible(text: string): string {
  return text.replace(INVALID, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function escapeText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Attribute values: also quotes, and line breaks and tabs as character references so they survive attribute
 * normalisation.
 */
export function escapeAttr(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}
