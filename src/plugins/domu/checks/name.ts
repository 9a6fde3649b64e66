import {type CheckDefinition, refs} from '../../../engine/types.js'
import {DOMU_PATTERN} from '../facts.js'
import {asString} from '../../../parsers/xen-config.js'
import {perConfig, syntaxNote, firstLine} from '../common.js'

export const name: CheckDefinition = {
  id: 'domu.name',
  title: 'domU name is set and unique',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [DOMU_PATTERN],
  description: '`name =` of each config, compared across all configs.',
  why: '"All domains must have different names" (Howto); the name is what `xm list`/`xl list` show and what xm/xl commands take.',
  remedy: 'Give each config its own name, e.g. `name = "nbsd"` (Howto).',
  run: (ctx) =>
    perConfig(ctx, (c, all) => {
      const n = c.values.name
      const v = asString(n)
      if (!n)
        return {
          status: c.errors.length ? 'unknown' : 'fail',
          message: `no name = line${syntaxNote(c)}; xm and xl need one`,
          evidence: [firstLine(c)],
        }
      if (!v || !v.trim())
        return {
          status: 'fail',
          message: `name = ${JSON.stringify(n.value)} is not a non-empty string`,
          evidence: refs(n),
        }
      const same = all.filter((o) => o !== c && asString(o.values.name) === v)
      if (same.length)
        return {
          status: 'fail',
          message: `name "${v}" is also used by ${same.map((o) => o.file).join(', ')}: only one of them can run`,
          evidence: refs(n, ...same.map((o) => o.values.name)),
        }
      if (v === 'Domain-0') return {status: 'fail', message: "Domain-0 is dom0's own name", evidence: refs(n)}
      return {status: 'pass', message: `name "${v}" is unique`, evidence: refs(n)}
    }),
}
