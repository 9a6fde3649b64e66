import type {EvidenceSpec} from './types.js'

const regexCache = new Map<string, RegExp>()

/**
 * Evidence name patterns: `{disk}` and `*` each match one path segment part (no `/`),
 * so `disklabel-{disk}.txt` matches `disklabel-wd0.txt` and `files/usr/pkg/etc/xen/*` matches the configs.
 */
export function patternRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern)
  if (!re) {
    const source = pattern
      .split(/(\{[a-z]+\}|\*)/)
      .map((part, i) => (i % 2 === 1 ? '([^/]+)' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('')
    re = new RegExp(`^${source}$`)
    regexCache.set(pattern, re)
  }

  return re
}

export function isPattern(name: string): boolean {
  return name.includes('{') || name.includes('*')
}

export function matchesPattern(pattern: string, name: string): boolean {
  return patternRegex(pattern).test(name)
}

/**
 * The part of `name` that the pattern's placeholder stands for: `wd0` for `disklabel-{disk}.txt` and
 * `disklabel-wd0.txt`.
 */
export function instanceOf(pattern: string, name: string): string | undefined {
  return patternRegex(pattern).exec(name)?.[1]
}

// Specs are the plugins' own constant objects; a fleet's unknown findings ask for the same lines again and again.
const collectLines = new WeakMap<EvidenceSpec, string>()

/** A shell-ready line a person can run to produce this evidence file by hand. */
export function howToCollect(spec: EvidenceSpec): string {
  let line = collectLines.get(spec)
  if (line === undefined) {
    line = collectLine(spec)
    collectLines.set(spec, line)
  }

  return line
}

function collectLine(spec: EvidenceSpec): string {
  const file = spec.name.replace(/\{([a-z]+)\}/g, '<$1>')
  if (spec.argv) {
    const argv = spec.argv.map((a) => a.replace(/\{([a-z]+)\}/g, '<$1>')).join(' ')
    const redirect = spec.stderr === 'merge' ? `> ${file} 2>&1` : `> ${file}`
    return `\`${argv} ${redirect}\`${spec.root ? ' (as root)' : ''}`
  }

  if (spec.path) return `\`cp ${spec.path.replace(/\{([a-z]+)\}/g, '<$1>')} ${file}\`${spec.root ? ' (as root)' : ''}`
  if (spec.library) return `\`xenready collect\` on the host (it writes ${file}; no shell command prints it portably)`
  return `a file named ${file} in the dump`
}
