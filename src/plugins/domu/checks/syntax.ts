import {type CheckContext, type CheckDefinition, type Outcome, refs} from '../../../engine/types.js'
import {DOMU_PATTERN} from '../facts.js'
import {domu, NO_CONFIGS} from '../common.js'

function lineOf(ctx: CheckContext, source: string, line: number): string {
  const e = ctx.evidence.get(source)
  return e.present ? (e.text.split(/\r\n|\r|\n/)[line - 1] ?? '') : ''
}

export const syntax: CheckDefinition = {
  id: 'domu.syntax',
  title: 'domU configuration parses',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [DOMU_PATTERN],
  description:
    'Each domain configuration is tokenized and parsed as the Python (xm) / xl subset: assignments of strings, numbers, booleans and lists, `+=`, comments, line continuations. Other Python (expressions, imports, if) is reported with line and column.',
  why: '`xm create` executes the file as Python and `xl create` parses it; a syntax error stops the domain from being created at all.',
  remedy:
    "Fix the line named, following the Howto's example, e.g. `vif = [ 'mac=aa:00:00:50:02:f0, bridge=bridge0' ]` and `disk = [ 'phy:/dev/wd0e,0x1,w' ]`.",
  run: (ctx) => {
    const f = domu(ctx)
    const missing: Outcome[] = f.missingListed.map((n) => ({
      status: 'fail',
      subject: n,
      message: `xendomains="${f.xendomains!.line.value}" starts ${n} at boot, but /usr/pkg/etc/xen/${n} does not exist (ls-usr-pkg-etc-xen.txt): \`xl create\` of it fails at every boot`,
      evidence: refs(f.xendomains!.line),
      remedy: `Create /usr/pkg/etc/xen/${n}, or remove ${n} from xendomains in /etc/rc.conf.`,
    }))
    if (f.configs.length === 0)
      return missing.length
        ? missing
        : {
            status: 'n/a',
            message:
              NO_CONFIGS +
              (f.skipped.length ? `; skipped: ${f.skipped.map((s) => `${s.source} (${s.reason})`).join(', ')}` : ''),
          }
    const listed = new Set(f.xendomains?.names ?? [])
    return [
      ...missing,
      ...f.configs.map((c): Outcome => {
        const boot = listed.has(c.file) ? ' (xendomains starts it at boot: it would fail to start)' : ''
        if (c.errors.length === 0)
          return {
            status: 'pass',
            subject: c.file,
            message: `${Object.keys(c.values).length} settings parsed (${Object.keys(c.values).join(', ') || 'none'})`,
          }
        const lines = c.source
          ? c.errors.map((e) => ({source: c.source, line: e.line, text: lineOf(ctx, c.source, e.line)}))
          : []
        return {
          status: 'fail',
          subject: c.file,
          message: `${c.errors.length} syntax error${c.errors.length > 1 ? 's' : ''}: ${c.errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`).join('; ')}${boot}`,
          evidence: refs(...lines, listed.has(c.file) ? f.xendomains!.line : undefined),
        }
      }),
    ]
  },
}
