import {type CheckDefinition, refs, type EvidenceRef, type Outcome} from '../../../engine/types.js'
import {DOMU_PATTERN} from '../facts.js'
import {asStringList} from '../../../parsers/xen-config.js'
import {decodeVdev} from '../parse-entries.js'
import {parseDiskSpec} from '../disk-spec.js'
import {diskExample, judgeDiskTarget} from '../disk-target.js'
import {rangesOverlap} from '../../../util/disk-range.js'
import {Status, worst, domu, host, perConfig, syntaxNote, kindOf} from '../common.js'

export const disk: CheckDefinition = {
  id: 'domu.disk',
  title: 'domU disks: well-formed, existing, not used by dom0 or another domU',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [
    DOMU_PATTERN,
    'ls-paths.txt',
    'mount.txt',
    'files/etc/fstab',
    'disklabel-{disk}.txt',
    'dkctl-{disk}.txt',
    'df.txt',
  ],
  description:
    "Each `disk` entry as xl reads it (xl-disk-configuration(5): positional and `key=value` forms, `target=` last, the deprecated `phy:DEV,VDEV,MODE` / `file:PATH,VDEV,MODE` of the Howto); MODE r or w; the VDEV decoded. A device must exist (ls-paths.txt, its disklabel or `dkctl listwedges`) and not be dom0's: a wedge or partition that is mounted, in fstab or swap, the EFI system wedge, the whole disk (raw partition `d` on amd64/i386, `c` elsewhere) of a disk that carries one of them, or anything whose sectors overlap one of them; raw names (`/dev/rdk3`) are the same sectors and warn; device-mapper names are unknown. An image file (`file:`, `tap:`, a bare path) must exist, and its file system must not be more than 90 % full (`df`). No two domUs may share sectors when either writes.",
  why: "A domU writing to dom0's root, swap, EFI partition or the whole disk that holds them destroys dom0; two domUs writing one device corrupt it. On today's GPT installs root is a wedge (`/dev/dk1`) and `/dev/wd0d` is the whole disk: giving either to a guest is as fatal as giving `wd0a`. \"VDEV doesn't really matter for a NetBSD guest OS (it's just used as an index), but it does for Linux\" (Howto).",
  remedy:
    "Export a wedge or partition dom0 does not use: `disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/dk3' ]` (xl); on an xm-era dom0 the Howto's `disk = [ 'phy:/dev/wd0e,0x1,w' ]`; or an image file on a file system with room.",
  references: [
    'xl-disk-configuration(5)',
    'dk(4)',
    'dkctl(8)',
    'disklabel(8)',
    'NetBSD/xen Howto',
    'docs/sources/disks-guests.md',
  ],
  run: (ctx) => {
    const st = ctx.optionalFacts('storage')
    const era = ctx.optionalFacts('xen').value?.era
    const world = {
      map: st.value?.diskMap,
      ownership: st.value?.ownership,
      mapError: st.reason,
      paths: host(ctx).paths,
      df: st.value?.df?.entries,
    }
    const all = domu(ctx).configs.flatMap((c) =>
      (asStringList(c.values.disk) ?? []).map((raw) => ({file: c.file, d: parseDiskSpec(raw)})),
    )
    const extents = all.map((x) => ({...x, ext: x.d.target ? world.ownership?.extentOf(x.d.target) : undefined}))
    return perConfig(ctx, (c) => {
      const v = c.values.disk
      const kind = kindOf(c)
      if (!v)
        return {
          status: c.errors.length ? 'unknown' : kind === 'hvm' ? 'warn' : 'n/a',
          message: `no disk = line${syntaxNote(c)}: the domain has no virtual disk`,
        }
      const list = asStringList(v)
      if (!list || (Array.isArray(v.value) && list.length !== v.value.length))
        return {
          status: 'fail',
          message: `disk = ${JSON.stringify(v.value)}: each entry must be a string`,
          evidence: refs(v),
        }
      let status: Status = 'pass'
      const says: string[] = []
      const evidence: Array<EvidenceRef | undefined> = []
      const vdevs = new Set<string>()
      const need = new Set<string>()
      list.forEach((raw, i) => {
        evidence.push(c.items.disk?.[i] ?? v)
        const d = parseDiskSpec(raw)
        const parts: string[] = []
        const flag = (s: Status, text: string) => {
          status = worst(status, s)
          parts.push(text)
        }

        for (const p of d.problems) flag('fail', p)
        if (d.vdev) {
          const x = decodeVdev(d.vdev)
          if (x.problem) flag('fail', x.problem)
          else
            parts.push(
              `seen by the guest as ${x.explain}${kind === 'netbsd' && x.linuxName ? ' (for a NetBSD guest VDEV is only an index)' : ''}`,
            )
          if (kind === 'linux' && x.index !== undefined && !x.linuxName)
            flag(
              'warn',
              `a Linux guest wants a Linux device number or name here (0x300 for hda, 0x301 for hda1, or "hda1"/"xvda"), not index ${x.index}`,
            )
          const key = d.vdev.replace(/:.*$/, '')
          if (vdevs.has(key)) flag('fail', `VDEV ${d.vdev} is given twice in this config`)
          vdevs.add(key)
        }

        if (d.writable !== undefined) parts.push(d.writable ? 'read-write' : 'read-only')
        if (d.target) {
          const t = judgeDiskTarget(d, world)
          for (const p of t.parts) parts.push(p)
          status = worst(status, t.status)
          evidence.push(...t.evidence)
          for (const n of t.need) need.add(n)
          const mine = d.target ? world.ownership?.extentOf(d.target) : undefined
          const others = extents.filter(
            (o) =>
              o.file !== c.file &&
              o.d.target &&
              (d.writable || o.d.writable) &&
              (o.d.target === d.target ||
                (mine && o.ext && o.ext.disk === mine.disk && rangesOverlap(o.ext.range, mine.range))),
          )
          if (others.length)
            flag(
              'fail',
              `${d.target} ${others.some((o) => o.d.target !== d.target) ? 'shares sectors with' : 'is also given to'} ${others.map((o) => `${o.file} (${o.d.target}, ${o.d.writable ? 'w' : 'r'})`).join(', ')}: two domains writing one disk area corrupt it`,
            )
        }

        says.push(`'${raw}': ${parts.join(', ')}`)
      })
      const out: Outcome = {status, message: says.join(' | ') || 'disk = [] (no disks)', evidence: refs(...evidence)}
      if ((status as Status) === 'unknown' && need.size)
        out.remedy = `Run ${[...need].map((n) => `\`${n}\``).join(', ')} on dom0 and check again.`
      else if ((status as Status) === 'fail' || (status as Status) === 'warn')
        out.remedy = `Give the guest a wedge or partition dom0 does not use, by its block device: ${diskExample(era)}${era === 'xm' ? '' : ' (list the wedges with `dkctl wd0 listwedges`; `gpt add` makes one)'}; or an image on a file system with room.`
      return out
    })
  },
}
