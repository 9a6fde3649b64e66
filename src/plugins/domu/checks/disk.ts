import type {StorageFacts} from '../../facts.js'
import {type CheckDefinition, TARGETS, refs, type EvidenceRef, type Outcome} from '../../../engine/types.js'
import {DOMU_PATTERN} from '../facts.js'
import {optionalFacts} from '../dom0.js'
import {asStringList} from '../../../parsers/xen-config.js'
import {parseDisk, decodeVdev} from '../parse-entries.js'
import {Status, worst, domu, perConfig, syntaxNote, pathStatus, kindOf} from '../common.js'



/** `/dev/wd0e`, `/dev/rwd0e` → disk `wd0`, letter `e`. */
function partitionOf(dev: string): {disk: string; letter: string; raw: boolean} | undefined {
  const m = /^\/dev\/(r?)([a-z]+\d+)([a-p])$/.exec(dev)
  return m ? {raw: m[1] === 'r', disk: m[2]!, letter: m[3]!} : undefined
}

function overlaps(storage: StorageFacts, disk: string, a: string, b: string): boolean {
  const label = storage.disks[disk]
  const pa = label?.partitions[a]?.value
  const pb = label?.partitions[b]?.value
  if (!pa || !pb || pa.sizeSectors === 0n || pb.sizeSectors === 0n) return false
  return pa.offsetSectors < pb.offsetSectors + pb.sizeSectors && pb.offsetSectors < pa.offsetSectors + pa.sizeSectors
}

/** Whether mounted partition `m` (`wd0a`) shares sectors with `part`: overlap in the disklabel, or `part` is the whole-disk c/d partition. */
function sharesBlocks(storage: StorageFacts, part: {disk: string; letter: string}, m: string): boolean {
  const mm = /^([a-z]+\d+)([a-p])$/.exec(m)
  if (!mm || mm[1] !== part.disk) return false
  if (storage.disks[part.disk]) return overlaps(storage, part.disk, part.letter, mm[2]!)
  return part.letter === 'c' || part.letter === 'd'
}

export const disk: CheckDefinition = {
  id: 'domu.disk',
  title: 'domU disks: well-formed, existing, not used by dom0 or another domU',
  targets: TARGETS,
  evidence: [DOMU_PATTERN, 'ls-paths.txt', 'mount.txt', 'disklabel-{disk}.txt'],
  description: 'Each `disk` entry as `phy:DEV,VDEV,MODE` or `file:PATH,VDEV,MODE` (and xl\'s forms); MODE r or w; a phy: device that exists in dom0 (ls-paths.txt or its disklabel), is not mounted in dom0 nor overlaps a mounted partition, and is not writable by two domUs; the VDEV decoded (a Linux device number is (major << 8) + minor: 0x301 = hda1).',
  why: 'A domU writing to dom0\'s root or to a mounted partition destroys that file system; two domUs writing one device corrupt it. "VDEV doesn\'t really matter for a NetBSD guest OS (it\'s just used as an index), but it does for Linux" (Howto).',
  remedy: 'Export a partition dom0 does not use: `disk = [ \'phy:/dev/wd0e,0x1,w\' ]` for NetBSD, `disk = [ \'phy:/dev/wd0e,0x300,w\' ]` for a Linux guest (hda); or a file: `disk = [ \'file:/var/xen/nbsd-disk,0x01,w\' ]`.',
  run: (ctx) => {
    const st = optionalFacts<StorageFacts & {haveMounts?: boolean}>(ctx, 'storage')
    const writers = new Map<string, Array<{file: string; writable: boolean}>>()
    for (const c of domu(ctx).configs) {
      for (const raw of asStringList(c.values.disk) ?? []) {
        const d = parseDisk(raw)
        if (d.target && d.writable !== undefined) writers.set(d.target, [...(writers.get(d.target) ?? []), {file: c.file, writable: d.writable}])
      }
    }

    return perConfig(ctx, (c) => {
      const v = c.values.disk
      const kind = kindOf(c)
      if (!v) return {status: c.errors.length ? 'unknown' : kind === 'hvm' ? 'warn' : 'n/a', message: `no disk = line${syntaxNote(c)}: the domain has no virtual disk`}
      const list = asStringList(v)
      if (!list || (Array.isArray(v.value) && list.length !== v.value.length)) return {status: 'fail', message: `disk = ${JSON.stringify(v.value)}: each entry must be a string`, evidence: refs(v)}
      let status: Status = 'pass'
      const says: string[] = []
      const evidence: Array<EvidenceRef | undefined> = []
      const vdevs = new Set<string>()
      const unlisted: string[] = []
      list.forEach((raw, i) => {
        evidence.push(c.items.disk?.[i] ?? v)
        const d = parseDisk(raw)
        const parts: string[] = []
        const flag = (s: Status, text: string) => {
          status = worst(status, s)
          parts.push(text)
        }

        for (const p of d.problems) flag('fail', p)
        if (d.vdev) {
          const x = decodeVdev(d.vdev)
          if (x.problem) flag('fail', x.problem)
          else parts.push(`seen by the guest as ${x.explain}${kind === 'netbsd' && x.linuxName ? ' (for a NetBSD guest VDEV is only an index)' : ''}`)
          if (kind === 'linux' && x.index !== undefined && !x.linuxName) flag('warn', `a Linux guest wants a Linux device number or name here (0x300 for hda, 0x301 for hda1, or "hda1"/"xvda"), not index ${x.index}`)
          const key = d.vdev.replace(/:.*$/, '')
          if (vdevs.has(key)) flag('fail', `VDEV ${d.vdev} is given twice in this config`)
          vdevs.add(key)
        }

        if (d.writable !== undefined) parts.push(d.writable ? 'read-write' : 'read-only')
        if (d.target) {
          const others = (writers.get(d.target) ?? []).filter((w) => w.file !== c.file)
          if (others.length && (d.writable || others.some((w) => w.writable))) flag('fail', `${d.target} is also given to ${others.map((w) => `${w.file} (${w.writable ? 'w' : 'r'})`).join(', ')}: two domains writing one device corrupt it`)
          const p = pathStatus(ctx, d.target)
          const part = d.kind === 'phy' ? partitionOf(d.target) : undefined
          if (p.status === 'pass') {
            evidence.push(p.ref)
            const t = p.ls?.value.exists ? p.ls.value.type : undefined
            if (d.kind === 'phy' && t && t !== 'block-device') flag(t === 'char-device' ? 'warn' : 'fail', `${d.target} is a ${t}, not a block device`)
            else parts.push(`${d.target} exists${t === 'block-device' ? ' (block device)' : ''}`)
          } else if (p.status === 'fail') {
            evidence.push(p.ref)
            flag('fail', p.says)
          } else {
            const label = part && st.facts?.disks[part.disk]
            const inLabel = label && part ? label.partitions[part.letter] : undefined
            if (inLabel) {
              evidence.push(inLabel)
              parts.push(`${part!.disk}${part!.letter} is in the disklabel of ${part!.disk}`)
            } else if (label && part) {
              evidence.push({source: label.source, line: 0, text: ''})
              flag('fail', `${part.disk} has no partition ${part.letter} (${label.source})`)
            } else {
              unlisted.push(d.target)
              flag('unknown', p.says)
            }
          }

          if (part?.raw) flag('warn', `${d.target} is the raw (character) device; export the block device /dev/${part.disk}${part.letter}, as the Howto does (phy:/dev/wd0e)`)
          if (part) {
            const name = `${part.disk}${part.letter}`
            if (!st.facts) flag('unknown', `whether ${name} is mounted in dom0 is unknown: ${st.error}`)
            else if (st.facts.haveMounts === false && st.facts.mounted.size === 0) flag('unknown', `whether ${name} is mounted in dom0 is unknown (no mount.txt)`)
            else {
              const root = st.facts.root?.value
              const hits = [...st.facts.mounted].filter((m) => m === name || sharesBlocks(st.facts!, part, m))
              if (hits.length) {
                const isRoot = root !== undefined && hits.includes(root)
                evidence.push(st.facts.root)
                flag('fail', `${name} ${hits.includes(name) ? 'is' : 'overlaps'} ${hits.map((h) => (h === root ? `dom0's root ${h}` : `${h}, mounted in dom0`)).join(', ')}: ${isRoot ? 'the domU would overwrite dom0\'s own root file system' : 'the domU and dom0 would both write it (data loss)'}`)
              } else parts.push(`${name} is not mounted in dom0`)
            }
          }
        }

        says.push(`'${raw}': ${parts.join(', ')}`)
      })
      const out: Outcome = {status, message: says.join(' | ') || 'disk = [] (no disks)', evidence: refs(...evidence)}
      if ((status as Status) === 'unknown' && unlisted.length) out.remedy = `Run \`ls -ld ${unlisted.join(' ')} >> ls-paths.txt\` and \`mount > mount.txt\` on dom0 and check again.`
      return out
    })
  },
}
