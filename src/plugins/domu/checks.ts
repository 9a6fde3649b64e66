import type {CheckContext, CheckDefinition, EvidenceRef, Fact, Outcome} from '../../engine/types.js'
import {refs, TARGETS} from '../../engine/types.js'
import {parseKeyValues} from '../../parsers/key-value.js'
import type {PathStatus} from '../../parsers/ls.js'
import {asNumber, asString, asStringList} from '../../parsers/xen-config.js'
import type {BootFacts, HostFacts, StorageFacts, XenFacts} from '../facts.js'
import {type BridgeConfig, IFCONFIG_LIST, bridgeFromRcConf, dom0Interfaces, listedInterfaces, optionalFacts, parseIfconfigFile} from './dom0.js'
import {type GuestKind, decodeVdev, guestKind, netbsdKernelConfig, normalizeMac, parseDisk, parseVif} from './entries.js'
import {DOMU_PATTERN, type DomuConfigDetail, type DomuFactsDetail} from './facts.js'

type Status = Outcome['status']
const RANK: Record<Status, number> = {'n/a': 0, pass: 1, unknown: 2, warn: 3, fail: 4}
const worst = (a: Status, b: Status): Status => (RANK[b] > RANK[a] ? b : a)

const domu = (ctx: CheckContext) => ctx.facts<DomuFactsDetail>('domu')
const host = (ctx: CheckContext) => ctx.facts<HostFacts>('host')
const MB = 1024 * 1024
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`

export const NO_CONFIGS = 'no domU configuration under files/usr/pkg/etc/xen/ (copy them into the dump, or check them with --domu FILE)'

/** Runs `one` for every config, or returns the single n/a outcome when there are none. */
function perConfig(ctx: CheckContext, one: (c: DomuConfigDetail, all: DomuConfigDetail[]) => Outcome): Outcome[] {
  const {configs} = domu(ctx)
  if (configs.length === 0) return [{status: 'n/a', message: NO_CONFIGS}]
  return configs.map((c) => ({...one(c, configs), subject: c.file}))
}

/** When a value a check needs is absent because the file does not parse, say so instead of blaming the value. */
function syntaxNote(c: DomuConfigDetail): string {
  const e = c.errors[0]
  return e ? ` (the file has syntax errors, first at line ${e.line}, column ${e.column}: ${e.message})` : ''
}

const firstLine = (c: DomuConfigDetail): EvidenceRef => ({source: c.source, line: 0, text: ''})

/** A path of dom0 as ls-paths.txt shows it; kernel and disk paths come from the configs, so the collector cannot list them ahead. */
function pathStatus(ctx: CheckContext, path: string): {status: Status; says: string; ref?: EvidenceRef; ls?: Fact<PathStatus>} {
  const paths = host(ctx).paths
  if (!paths) return {status: 'unknown', says: `${path}: ls-paths.txt is not in the evidence; run \`ls -ld ${path}\` on dom0`}
  const f = paths.get(path)
  if (!f) return {status: 'unknown', says: `${path} is not in ls-paths.txt (paths a domU config refers to are known only from the configs; run \`ls -ld ${path} >> ls-paths.txt\` on dom0)`}
  if (!f.value.exists) return {status: 'fail', says: `${path} does not exist in dom0 (${f.value.error})`, ref: f, ls: f}
  return {status: 'pass', says: `${path} exists`, ref: f, ls: f}
}

// ---------------------------------------------------------------- domu.syntax

const syntax: CheckDefinition = {
  id: 'domu.syntax',
  title: 'domU configuration parses',
  targets: TARGETS,
  evidence: [DOMU_PATTERN],
  description: 'Each domain configuration is tokenized and parsed as the Python (xm) / xl subset: assignments of strings, numbers, booleans and lists, `+=`, comments, line continuations. Other Python (expressions, imports, if) is reported with line and column.',
  why: '`xm create` executes the file as Python and `xl create` parses it; a syntax error stops the domain from being created at all.',
  remedy: 'Fix the line named, following the Howto\'s example, e.g. `vif = [ \'mac=aa:00:00:50:02:f0, bridge=bridge0\' ]` and `disk = [ \'phy:/dev/wd0e,0x1,w\' ]`.',
  run: (ctx) => {
    const f = domu(ctx)
    if (f.configs.length === 0) return {status: 'n/a', message: NO_CONFIGS + (f.skipped.length ? `; skipped: ${f.skipped.map((s) => `${s.source} (${s.reason})`).join(', ')}` : '')}
    return f.configs.map((c) => {
      if (c.errors.length === 0) return {status: 'pass', subject: c.file, message: `${Object.keys(c.values).length} settings parsed (${Object.keys(c.values).join(', ') || 'none'})`}
      const lines = c.source ? c.errors.map((e) => ({source: c.source, line: e.line, text: lineOf(ctx, c.source, e.line)})) : []
      return {
        status: 'fail',
        subject: c.file,
        message: `${c.errors.length} syntax error${c.errors.length > 1 ? 's' : ''}: ${c.errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`).join('; ')}`,
        evidence: refs(...lines),
      }
    })
  },
}

function lineOf(ctx: CheckContext, source: string, line: number): string {
  const e = ctx.evidence.get(source)
  return e.present ? (e.text.split(/\r\n|\r|\n/)[line - 1] ?? '') : ''
}

// ---------------------------------------------------------------- domu.kernel

function kindOf(c: DomuConfigDetail): GuestKind {
  const s = (k: string) => asString(c.values[k])
  return guestKind({kernel: s('kernel'), builder: s('builder'), type: s('type'), extra: s('extra'), bootloader: s('bootloader'), root: s('root')})
}

const kernel: CheckDefinition = {
  id: 'domu.kernel',
  title: 'domU kernel (and ramdisk) exist in dom0 and fit the guest',
  targets: TARGETS,
  evidence: [DOMU_PATTERN, 'ls-paths.txt'],
  description: '`kernel =` and `ramdisk =` of each config, looked up in dom0\'s `ls -ld` listing (ls-paths.txt); for a NetBSD guest, the kernel configuration in the file name (XEN3_DOMU, INSTALL_XEN3_DOMU, not a DOM0 kernel).',
  why: 'The domU kernel "is in the domain0 file system, not on the new domain virtual disk" (Howto). A suitable kernel is XEN3_DOMU; INSTALL_XEN3_DOMU is for sysinst and must be switched back after installing.',
  remedy: 'Copy the kernel from the binary sets into dom0 and point the config at it: `kernel = "/home/bouyer/netbsd-XEN3_DOMU"` (Howto); after installing, `halt -p` the domain and switch from netbsd-INSTALL_XEN3_DOMU back to XEN3_DOMU.',
  run: (ctx) =>
    perConfig(ctx, (c) => {
      const k = c.values.kernel
      const kind = kindOf(c)
      const boot = asString(c.values.bootloader)
      if (!k) {
        if (kind === 'hvm') return {status: 'pass', message: 'an HVM guest: it boots from its own disk (no kernel = needed)'}
        if (boot) return {status: 'pass', message: `no kernel =: the bootloader ${boot} loads the kernel from the guest's disk`, evidence: refs(c.values.bootloader)}
        return {status: c.errors.length ? 'unknown' : 'fail', message: `no kernel = line${syntaxNote(c)}: the domain has nothing to boot`, evidence: [firstLine(c)]}
      }

      const path = asString(k)
      if (!path) return {status: 'fail', message: `kernel = ${JSON.stringify(k.value)} is not a path string`, evidence: refs(k)}
      let status: Status = 'pass'
      const says: string[] = []
      const evidence: Array<EvidenceRef | undefined> = [k]
      const p = pathStatus(ctx, path)
      status = worst(status, p.status)
      says.push(p.status === 'pass' && p.ls?.value.exists && p.ls.value.type !== 'file' && p.ls.value.type !== 'symlink' ? `${path} is a ${p.ls.value.type}, not a kernel file` : p.says)
      if (p.ls?.value.exists && p.ls.value.type === 'directory') status = 'fail'
      evidence.push(p.ref)
      if (kind === 'netbsd') {
        const config = netbsdKernelConfig(path)
        if (!config) says.push('the kernel configuration is not in its file name (expected XEN3_DOMU or XEN3PAE_DOMU)')
        else if (/DOM0/.test(config)) {
          status = 'fail'
          says.push(`${config} is a dom0 kernel; a domU needs XEN3_DOMU (or XEN3PAE_DOMU)`)
        } else if (/^INSTALL/.test(config)) {
          status = worst(status, 'warn')
          says.push(`${config} is the install kernel (sysinst): once installed, halt -p the domain and switch to XEN3_DOMU`)
        } else if (/DOMU/.test(config)) says.push(`a NetBSD ${config} kernel`)
        else if (/^GENERIC/.test(config) && asString(c.values.type) === 'pvh') says.push(`${config} boots as a PVH guest (type = "pvh", NetBSD 10 and later)`)
        else {
          status = worst(status, 'warn')
          says.push(`${config} is not a Xen PV domU kernel; the Howto uses XEN3_DOMU${/^GENERIC/.test(config) ? ' (GENERIC runs under Xen only as a PVH guest: type = "pvh", NetBSD 10 and later)' : ''}`)
        }
      }

      const rd = c.values.ramdisk
      if (rd) {
        const rdPath = asString(rd)
        if (!rdPath) {
          status = 'fail'
          says.push(`ramdisk = ${JSON.stringify(rd.value)} is not a path`)
        } else {
          const r = pathStatus(ctx, rdPath)
          status = worst(status, r.status)
          says.push(`ramdisk ${r.says}`)
          evidence.push(rd, r.ref)
        }
      }

      const missing = [path, asString(rd)].filter((x): x is string => !!x && !host(ctx).paths?.has(x))
      const out: Outcome = {status, message: `${kind === 'unknown' ? '' : `${kind} guest: `}${says.join('; ')}`, evidence: refs(...evidence)}
      if (status === 'unknown' && missing.length) out.remedy = `Run \`ls -ld ${missing.join(' ')} >> ls-paths.txt\` on dom0 and check again.`
      const config = kind === 'netbsd' ? netbsdKernelConfig(path) : undefined
      if (status === 'fail' && config && /DOM0/.test(config)) out.remedy = 'Boot the domU with the XEN3_DOMU kernel of the binary sets (XEN3PAE_DOMU on i386 PAE), e.g. `kernel = "/home/bouyer/netbsd-XEN3_DOMU"` (Howto).'
      else if (status === 'fail') out.remedy = `Put the kernel${rd ? ' and ramdisk' : ''} in dom0's file system at the path${rd ? 's' : ''} named (the domU kernel "is in the domain0 file system, not on the new domain virtual disk"), or point \`kernel =\` at it, e.g. \`kernel = "/home/bouyer/netbsd-XEN3_DOMU"\` (Howto).`
      else if (status === 'warn' && config && /^INSTALL/.test(config)) out.remedy = 'Once NetBSD is installed, `halt -p` the domain (not reboot: it would reload the install kernel), switch the config to the XEN3_DOMU kernel, e.g. `kernel = "/home/bouyer/netbsd-XEN3_DOMU"`, and start it again (Howto).'
      return out
    }),
}

// ---------------------------------------------------------------- domu.memory

function totalFromXenInfo(ctx: CheckContext): Fact<number> | undefined {
  for (const name of ['xl-info.txt', 'xm-info.txt']) {
    const e = ctx.evidence.get(name)
    const total = e.present ? parseKeyValues(e.text, name, ':').total_memory : undefined
    if (total && /^\d+$/.test(total.value)) return {...total, value: Number(total.value) * MB}
  }

  return undefined
}

const memory: CheckDefinition = {
  id: 'domu.memory',
  title: 'domU memory plus dom0_mem fits physical memory',
  targets: TARGETS,
  evidence: [DOMU_PATTERN, 'files/grub/menu.lst', 'files/boot.cfg', 'sysctl.txt', 'dmesg.boot', 'xl-info.txt', 'xm-info.txt'],
  description: 'The `memory =` (MB) of every domU config, summed, plus `dom0_mem=` of the default Xen boot entry, compared with the machine\'s memory (xl/xm info total_memory, hw.physmem64 or dmesg `total memory`).',
  why: 'Each domain gets its `memory` in megabytes and dom0 keeps `dom0_mem`; when they add up to more than the machine has, the last domains started fail to be created (or dom0 is ballooned down).',
  remedy: 'Lower `memory =` of some domUs (the Howto gives 128), lower `dom0_mem=` on the Xen line (`kernel (hd0,a)/xen.gz dom0_mem=65536`), or do not run every domain at once.',
  run: (ctx) => {
    const f = domu(ctx)
    if (f.configs.length === 0) return {status: 'n/a', message: NO_CONFIGS}
    // xm's create.py defaults memory to 128 MB; libxl (xl) to 32 MB. Unknown era: count the larger.
    const era = optionalFacts<XenFacts>(ctx, 'xen').facts?.era
    const DEFAULT_MB = era === 'xl' ? 32 : 128
    const defaultSays = era === 'xl' ? 'the xl default (32 MB)' : era === 'xm' ? 'the xm default (128 MB)' : 'the toolstack default (xm: 128 MB, xl: 32 MB; 128 counted)'
    const each = f.configs.map((c) => {
      const m = asNumber(c.values.memory)
      return {c, mem: m, fact: c.values.memory}
    })
    const sum = each.reduce((a, e) => a + (e.mem ?? DEFAULT_MB), 0) * MB
    const list = each.map((e) => `${e.c.file} ${e.mem ?? DEFAULT_MB} MB${e.mem === undefined ? ' (default)' : ''}`).join(', ')
    const boot = optionalFacts<BootFacts>(ctx, 'boot')
    const entry = boot.facts?.entries.find((e) => e.isDefault && e.xen) ?? boot.facts?.entries.find((e) => e.xen)
    const dom0 = entry?.dom0MemBytes
    // Without the boot plugin, the hypervisor's own total (xl/xm info) is still exact; hw.physmem64 under Xen is only dom0's share.
    const physical = boot.facts ? boot.facts.physicalMemory : totalFromXenInfo(ctx)
    const dom0Ref = entry?.xen?.ref
    const total = sum + (dom0 ?? 0)
    const dom0Says = dom0 === undefined ? (boot.facts ? 'no dom0_mem= on the Xen line (dom0 starts with all memory and gives it back by ballooning; counted as 0)' : boot.error ?? 'boot facts unavailable') : `dom0_mem ${mb(dom0)}`
    return each.map(({c, mem, fact: m}): Outcome => {
      const own = m && mem === undefined
        ? {status: 'fail' as Status, says: `memory = ${JSON.stringify(m.value)} is not a number of megabytes`}
        : mem === undefined ? {status: 'warn' as Status, says: `no memory = line${syntaxNote(c)}: ${defaultSays} applies`} : mem <= 0 ? {status: 'fail' as Status, says: `memory = ${mem} MB`} : {status: 'pass' as Status, says: `memory = ${mem} MB`}
      const evidence = refs(m, dom0Ref, physical)
      if (!physical) {
        return {status: worst(own.status, 'unknown'), subject: c.file, message: `${own.says}; all domUs: ${list} = ${mb(sum)}; ${dom0Says}; the machine's memory is unknown${boot.error ? ` (${boot.error})` : ''}`, evidence, remedy: 'Run `sysctl hw.physmem64 > sysctl.txt` (before Xen) or `xl info > xl-info.txt` (`xm info` with Xen 3.x) on dom0 and check again.'}
      }

      const fits = total <= physical.value
      return {
        status: worst(own.status, fits ? 'pass' : 'warn'),
        subject: c.file,
        message: `${own.says}; all domUs: ${list} = ${mb(sum)}, plus ${dom0Says}: ${mb(total)} ${fits ? 'fits in' : 'is more than'} the machine's ${mb(physical.value)}${fits ? '' : ': not every domain can run at once'}`,
        evidence,
      }
    })
  },
}

// ---------------------------------------------------------------- domu.name

const name: CheckDefinition = {
  id: 'domu.name',
  title: 'domU name is set and unique',
  targets: TARGETS,
  evidence: [DOMU_PATTERN],
  description: '`name =` of each config, compared across all configs.',
  why: '"All domains must have different names" (Howto); the name is what `xm list`/`xl list` show and what xm/xl commands take.',
  remedy: 'Give each config its own name, e.g. `name = "nbsd"` (Howto).',
  run: (ctx) =>
    perConfig(ctx, (c, all) => {
      const n = c.values.name
      const v = asString(n)
      if (!n) return {status: c.errors.length ? 'unknown' : 'fail', message: `no name = line${syntaxNote(c)}; xm and xl need one`, evidence: [firstLine(c)]}
      if (!v || !v.trim()) return {status: 'fail', message: `name = ${JSON.stringify(n.value)} is not a non-empty string`, evidence: refs(n)}
      const same = all.filter((o) => o !== c && asString(o.values.name) === v)
      if (same.length) return {status: 'fail', message: `name "${v}" is also used by ${same.map((o) => o.file).join(', ')}: only one of them can run`, evidence: refs(n, ...same.map((o) => o.values.name))}
      if (v === 'Domain-0') return {status: 'fail', message: 'Domain-0 is dom0\'s own name', evidence: refs(n)}
      return {status: 'pass', message: `name "${v}" is unique`, evidence: refs(n)}
    }),
}

// ---------------------------------------------------------------- domu.vif

interface BridgeState {
  status: Status
  says: string
  evidence: EvidenceRef[]
}

function bridgeState(ctx: CheckContext, bridge: string, cache: Map<string, BridgeState>): BridgeState {
  const known = cache.get(bridge)
  if (known) return known
  const file = `files/etc/ifconfig.${bridge}`
  const e = ctx.evidence.get(file)
  const rc = ctx.evidence.get('files/etc/rc.conf')
  let cfg: BridgeConfig | undefined
  if (e.present) cfg = parseIfconfigFile(e.text, bridge, file)
  else if (rc.present) cfg = bridgeFromRcConf(rc.text, bridge, 'files/etc/rc.conf')
  const ifc = ctx.evidence.get(IFCONFIG_LIST)
  const liveRef = ifc.present ? listedInterfaces(ifc.text).get(bridge) : undefined
  let state: BridgeState
  if (!cfg) {
    const etcSeen = rc.present || ctx.evidence.names('files/etc/ifconfig.*').length > 0 || ctx.evidence.get('ls-etc.txt').present
    state = liveRef
      ? {status: 'warn', says: `${bridge} exists now (ifconfig -l) but neither /etc/ifconfig.${bridge} nor ifconfig_${bridge} in rc.conf creates it at boot`, evidence: [liveRef]}
      : etcSeen
        ? {status: 'fail', says: `${bridge} is never created: no /etc/ifconfig.${bridge} (and no ifconfig_${bridge} in rc.conf)`, evidence: refs(rc.present ? {source: 'files/etc/rc.conf', line: 0, text: ''} : undefined)}
        : {status: 'unknown', says: `/etc/ifconfig.${bridge} is not in the evidence`, evidence: []}
  } else if (!cfg.create) {
    state = {status: liveRef ? 'warn' : 'fail', says: `${cfg.source} has no \`create\` line, so ${bridge} is not created at boot`, evidence: refs(...cfg.members, liveRef)}
  } else if (cfg.members.length === 0) {
    state = {status: 'warn', says: `${bridge} is created (${cfg.source}) but no interface is added to it: the domUs reach only dom0`, evidence: [cfg.create]}
  } else {
    const ifs = dom0Interfaces(ctx)
    let status: Status = 'pass'
    const says: string[] = []
    const evidence: EvidenceRef[] = [cfg.create]
    for (const m of cfg.members) {
      evidence.push(m)
      const seen = ifs.found.get(m.value)
      if (seen) {
        evidence.push(seen)
        says.push(`${m.value} exists (${seen.source} line ${seen.line})`)
      } else if (ifs.sources.length === 0) {
        status = worst(status, 'unknown')
        says.push(`whether ${m.value} exists is unknown (no dmesg.boot or ifconfig-l.txt)`)
      } else {
        status = 'fail'
        says.push(`${m.value} is not an interface of dom0 (not in ${ifs.sources.join(' or ')})`)
      }
    }

    state = {status, says: `${bridge} is created by ${cfg.source} with ${cfg.members.map((m) => m.value).join(', ')}: ${says.join('; ')}`, evidence}
  }

  cache.set(bridge, state)
  return state
}

const vif: CheckDefinition = {
  id: 'domu.vif',
  title: 'domU network interfaces: valid unique MACs, bridges that exist',
  targets: TARGETS,
  evidence: [DOMU_PATTERN, 'files/etc/ifconfig.{if}', 'files/etc/rc.conf', 'dmesg.boot', 'ifconfig-l.txt'],
  description: 'Each `vif` entry parsed as `key=value` pairs (mac, bridge, ip, script...); MACs valid, unicast and not used twice across configs; the bridge created by /etc/ifconfig.<bridge> (`create`, `!brconfig $int add ex0 up`) with a member interface that dom0 has (dmesg, `ifconfig -l`).',
  why: 'The vif script adds each xvif to the bridge, "but the bridge has to exist first" (Howto); two domains with one MAC break each other\'s networking; a multicast MAC is not accepted on an interface.',
  remedy: 'Create /etc/ifconfig.bridge0 with the two lines `create` and `!brconfig $int add ex0 up` (replace ex0 with your physical interface), and give each domU its own unicast MAC: `vif = [ \'mac=aa:00:00:50:02:f0, bridge=bridge0\' ]`.',
  run: (ctx) => {
    const cache = new Map<string, BridgeState>()
    const macs = new Map<string, string[]>()
    for (const c of domu(ctx).configs) {
      for (const raw of asStringList(c.values.vif) ?? []) {
        const mac = parseVif(raw).keys.mac
        if (mac) macs.set(normalizeMac(mac), [...(macs.get(normalizeMac(mac)) ?? []), c.file])
      }
    }

    return perConfig(ctx, (c) => {
      const v = c.values.vif
      if (!v) return {status: c.errors.length ? 'unknown' : 'n/a', message: `no vif = line${syntaxNote(c)}: no network interface is configured`}
      const list = asStringList(v)
      if (!list || (Array.isArray(v.value) && list.length !== v.value.length)) return {status: 'fail', message: `vif = ${JSON.stringify(v.value)}: each entry must be a string`, evidence: refs(v)}
      let status: Status = 'pass'
      const says: string[] = []
      const evidence: Array<EvidenceRef | undefined> = []
      list.forEach((raw, i) => {
        const ref = c.items.vif?.[i] ?? v
        evidence.push(ref)
        const e = parseVif(raw)
        const parts: string[] = []
        if (e.problems.length) {
          status = 'fail'
          parts.push(...e.problems)
        }

        if (e.notes.length) parts.push(...e.notes)
        const mac = e.keys.mac
        if (mac) {
          const users = macs.get(normalizeMac(mac)) ?? []
          if (users.length > 1) {
            status = 'fail'
            parts.push(`mac=${mac} is used ${users.length} times (${users.join(', ')})`)
          } else if (!e.problems.length) parts.push(`mac=${mac} is unique`)
        } else parts.push('no mac= (a random MAC is assigned at each start)')
        const bridge = e.keys.bridge
        if (!bridge) {
          status = worst(status, 'warn')
          parts.push('no bridge=: the vif script falls back to its default bridge ("bridge is a required parameter", Howto)')
        } else {
          const b = bridgeState(ctx, bridge, cache)
          status = worst(status, b.status)
          parts.push(b.says)
          evidence.push(...b.evidence)
        }

        says.push(`vif ${i} '${raw}': ${parts.join('; ')}`)
      })
      return {status, message: says.join(' | ') || 'vif = [] (no interfaces)', evidence: refs(...evidence)}
    })
  },
}

// ---------------------------------------------------------------- domu.disk

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

const disk: CheckDefinition = {
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

// ---------------------------------------------------------------- domu.root

const root: CheckDefinition = {
  id: 'domu.root',
  title: 'domU root device fits the guest type',
  targets: TARGETS,
  evidence: [DOMU_PATTERN],
  description: '`root =` (and `root=` inside `extra`) against the guest OS guessed from the kernel path: `xbd0` (or `xbd0a`) for NetBSD, a Linux device on an exported disk (`/dev/hda1 ro`) for Linux; Solaris takes its root from `extra` (bootpath, zfs-bootfs).',
  why: '"Set root device. This one does matter for NetBSD" (`root = "xbd0"`); a Linux guest needs the Linux device its disk is exported as (`disk = [ \'phy:/dev/wd0e,0x300,w\' ]` with `root = "/dev/hda1 ro"`) (Howto).',
  remedy: 'NetBSD guest: `root = "xbd0"`; Linux guest: `root = "/dev/hda1 ro"` with the disk exported as 0x300 (hda) or 0x301 (hda1).',
  run: (ctx) =>
    perConfig(ctx, (c) => {
      const kind = kindOf(c)
      const r = c.values.root
      const rv = asString(r)?.trim()
      const extraRoot = /(?:^|\s)root=(\S+)/.exec(asString(c.values.extra) ?? '')?.[1]
      const disks = (asStringList(c.values.disk) ?? []).map(parseDisk)
      if (r && rv === undefined) return {status: 'fail', message: `root = ${JSON.stringify(r.value)} is not a string`, evidence: refs(r)}
      if (kind === 'hvm') return {status: 'n/a', message: 'an HVM guest finds its root on its own disk'}
      if (kind === 'netbsd') {
        const config = netbsdKernelConfig(asString(c.values.kernel) ?? '') ?? ''
        if (!rv) {
          if (/^INSTALL/.test(config)) return {status: 'pass', message: `no root =: ${config} boots sysinst from its ramdisk`}
          return {status: c.errors.length ? 'unknown' : 'warn', message: `no root = line for a NetBSD guest${syntaxNote(c)}; the Howto sets root = "xbd0" ("This one does matter for NetBSD")`, evidence: [firstLine(c)]}
        }

        const m = /^(?:\/dev\/)?xbd(\d+)([a-p]?)$/.exec(rv)
        if (!m) return {status: 'fail', message: `root = "${rv}" for a NetBSD guest: NetBSD sees its disks as xbd0, xbd1...`, evidence: refs(r)}
        const n = Number(m[1])
        if (disks.length && n >= disks.length) return {status: 'fail', message: `root = "${rv}" but the config exports only ${disks.length} disk${disks.length > 1 ? 's' : ''} (xbd0${disks.length > 1 ? `..xbd${disks.length - 1}` : ''})`, evidence: refs(r, c.values.disk)}
        return {status: 'pass', message: `root = "${rv}": the NetBSD guest's disk ${n}${disks[n] ? ` (${disks[n]!.raw})` : ''}`, evidence: refs(r)}
      }

      if (kind === 'linux') {
        const dev = rv ?? extraRoot
        if (!dev) return {status: c.errors.length ? 'unknown' : 'warn', message: `no root = (nor root= in extra) for a Linux guest${syntaxNote(c)}; e.g. root = "/dev/hda1 ro"`, evidence: [firstLine(c)]}
        const m = /^\/dev\/((hd|sd|xvd)([a-z]{1,2})(\d*))(\s+(ro|rw))*\s*$/.exec(dev)
        if (!m) return {status: 'fail', message: `root = "${dev}" is not a Linux disk device (/dev/hda1 ro, /dev/xvda1 ro)`, evidence: refs(r ?? c.values.extra)}
        const devName = m[1]!
        const devDisk = `${m[2]}${m[3]}`
        const exported = disks.map((d) => (d.vdev ? decodeVdev(d.vdev) : undefined)).filter((x) => x?.linuxName)
        const on = exported.find((x) => x!.linuxName === devName || x!.linuxName === devDisk)
        if (!disks.length) return {status: 'fail', message: `root = "${dev}" but no disk is exported`, evidence: refs(r ?? c.values.extra)}
        if (!on) return {status: 'fail', message: `root = "${dev}" is on ${devDisk}, but the disks are exported as ${exported.map((x) => x!.linuxName).join(', ') || 'no Linux device'} (${disks.map((d) => d.vdev).join(', ')})`, evidence: refs(r ?? c.values.extra, c.values.disk)}
        return {status: 'pass', message: `root = "${dev}" is on the exported ${on.explain}`, evidence: refs(r ?? c.values.extra)}
      }

      if (kind === 'solaris') {
        const extra = asString(c.values.extra) ?? ''
        if (rv) return {status: 'warn', message: `root = "${rv}" for a Solaris guest: Solaris ignores it and takes its root from extra (-B zfs-bootfs=..., bootpath=...)`, evidence: refs(r)}
        return {status: 'pass', message: /zfs-bootfs|bootpath|install_media/.test(extra) ? `Solaris guest: the root comes from extra ("${extra}")` : 'Solaris guest: no root = (the install media or zfs-bootfs in extra decides)', evidence: refs(c.values.extra)}
      }

      if (!rv) return {status: 'unknown', message: 'no root = and the guest OS is not recognizable from the kernel path'}
      return {status: 'unknown', message: `root = "${rv}": the guest OS is not recognizable from the kernel path (${asString(c.values.kernel) ?? 'no kernel'}), so whether it fits is unknown`, evidence: refs(r)}
    }),
}

export const configChecks = [syntax, kernel, memory, name, vif, disk, root]
