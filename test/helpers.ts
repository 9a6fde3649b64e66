import {resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {buildRegistry, type Registry} from '../src/engine/registry.js'
import {runChecks} from '../src/engine/run.js'
import type {EvidenceSet, Finding, PluginDefinition, Target} from '../src/engine/types.js'
import {DumpEvidenceSet} from '../src/evidence/dump.js'
import {MemoryEvidenceSet} from '../src/evidence/evidence-set.js'
import {builtinPlugins} from '../src/plugins/index.js'

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
export const FIXTURES = resolve(ROOT, 'test/fixtures')
export const fixture = (...parts: string[]) => resolve(FIXTURES, ...parts)
export const dumpPath = (name: string) => resolve(FIXTURES, 'dumps', name)

export function builtinRegistry(extra: PluginDefinition[] = []): Registry {
  return buildRegistry([{package: 'xenready', result: {apiVersion: 2, plugins: [...builtinPlugins, ...extra]}}], [])
}

export function check(evidence: EvidenceSet, target: Target = 'dom0', only?: string[]): Finding[] {
  return runChecks(builtinRegistry(), evidence, {target, only}).findings
}

/** Runs the checks over in-memory evidence files: `{ 'cpuctl-identify.txt': '...' }`. */
export function checkTexts(texts: Record<string, string>, target: Target = 'dom0', only?: string[]): Finding[] {
  return check(MemoryEvidenceSet.fromTexts(texts), target, only)
}

export function checkDump(name: string, target: Target = 'dom0', only?: string[]): Finding[] {
  return check(new DumpEvidenceSet(dumpPath(name)), target, only)
}

/** The single finding with this id (throws when there are none or several). */
export function finding(findings: Finding[], id: string, subject?: string): Finding {
  const hits = findings.filter((f) => f.id === id && (subject === undefined || f.subject === subject))
  if (hits.length !== 1)
    throw new Error(
      `expected one finding ${id}${subject ? ` [${subject}]` : ''}, got ${hits.length}: ${JSON.stringify(findings.map((f) => [f.id, f.subject, f.status]))}`,
    )
  return hits[0]!
}

export function statusOf(findings: Finding[], id: string, subject?: string): string {
  return finding(findings, id, subject).status
}
