import {type EvidenceRef, type CheckContext, absentFrom, refs, type CheckDefinition} from '../../../engine/types.js'
import {
  type BridgeConfig,
  parseIfconfigFile,
  bridgeFromRcConf,
  IFCONFIG_LIST,
  listedInterfaces,
  dom0Interfaces,
} from '../dom0.js'
import {DOMU_PATTERN} from '../facts.js'
import {asStringList} from '../../../parsers/xen-config.js'
import {parseVif, normalizeMac} from '../parse-entries.js'
import {Status, worst, domu, perConfig, syntaxNote} from '../common.js'

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
    const etcSeen =
      rc.present || ctx.evidence.names('files/etc/ifconfig.*').length > 0 || ctx.evidence.get('ls-etc.txt').present
    state = liveRef
      ? {
          status: 'warn',
          says: `${bridge} exists now (ifconfig -l) but neither /etc/ifconfig.${bridge} nor ifconfig_${bridge} in rc.conf creates it at boot`,
          evidence: [liveRef],
        }
      : etcSeen
        ? {
            status: 'fail',
            says: `${bridge} is never created: no /etc/ifconfig.${bridge} (and no ifconfig_${bridge} in rc.conf)`,
            evidence: refs(rc.present ? absentFrom('files/etc/rc.conf') : undefined),
          }
        : {status: 'unknown', says: `/etc/ifconfig.${bridge} is not in the evidence`, evidence: []}
  } else if (!cfg.create) {
    state = {
      status: liveRef ? 'warn' : 'fail',
      says: `${cfg.source} has no \`create\` line, so ${bridge} is not created at boot`,
      evidence: refs(...cfg.members, liveRef),
    }
  } else if (cfg.members.length === 0) {
    state = {
      status: 'warn',
      says: `${bridge} is created (${cfg.source}) but no interface is added to it: the domUs reach only dom0`,
      evidence: [cfg.create],
    }
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

    state = {
      status,
      says: `${bridge} is created by ${cfg.source} with ${cfg.members.map((m) => m.value).join(', ')}: ${says.join('; ')}`,
      evidence,
    }
  }

  cache.set(bridge, state)
  return state
}

export const vif: CheckDefinition = {
  id: 'domu.vif',
  title: 'domU network interfaces: valid unique MACs, bridges that exist',
  since: '0.1.0',
  actor: 'os-config',
  evidence: [DOMU_PATTERN, 'files/etc/ifconfig.{if}', 'files/etc/rc.conf', 'dmesg.boot', 'ifconfig-l.txt'],
  description:
    'Each `vif` entry parsed as `key=value` pairs (mac, bridge, ip, script...); MACs valid, unicast and not used twice across configs; the bridge created by /etc/ifconfig.<bridge> (`create`, `!brconfig $int add ex0 up`) with a member interface that dom0 has (dmesg, `ifconfig -l`).',
  why: 'The vif script adds each xvif to the bridge, "but the bridge has to exist first" (Howto); two domains with one MAC break each other\'s networking; a multicast MAC is not accepted on an interface.',
  remedy:
    "Create /etc/ifconfig.bridge0 with the two lines `create` and `!brconfig $int add ex0 up` (replace ex0 with your physical interface), and give each domU its own unicast MAC: `vif = [ 'mac=aa:00:00:50:02:f0, bridge=bridge0' ]`.",
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
      if (!v)
        return {
          status: c.errors.length ? 'unknown' : 'n/a',
          message: `no vif = line${syntaxNote(c)}: no network interface is configured`,
        }
      const list = asStringList(v)
      if (!list || (Array.isArray(v.value) && list.length !== v.value.length))
        return {
          status: 'fail',
          message: `vif = ${JSON.stringify(v.value)}: each entry must be a string`,
          evidence: refs(v),
        }
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
          parts.push(
            'no bridge=: the vif script falls back to its default bridge ("bridge is a required parameter", Howto)',
          )
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
