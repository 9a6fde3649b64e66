import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Ajv, {type ValidateFunction} from 'ajv'
import {buildReport, type Report} from '../../../src/reports/report.js'
import {runChecks} from '../../../src/engine/run.js'
import type {PluginDefinition, Target} from '../../../src/engine/types.js'
import {DumpEvidenceSet} from '../../../src/evidence/dump.js'
import {MemoryEvidenceSet} from '../../../src/evidence/evidence-set.js'
import {builtinRegistry, dumpPath, fixture, ROOT} from '../../helpers.js'
import {requireTool} from '../../support/tools.js'

/** ajv without ajv-formats: the formats the two schemas use, checked for real rather than ignored. */
function ajv(): Ajv {
  const a = new Ajv({strict: false, allErrors: true})
  a.addFormat(
    'date-time',
    (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
  )
  a.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s))
  a.addFormat('uri-reference', (s: string) => !/\s/.test(s))
  return a
}

let reportValidator: ValidateFunction | undefined
/** docs/report-schema.json: every JSON report the tests produce goes through this. */
export function reportSchemaErrors(data: unknown): string | undefined {
  reportValidator ??= ajv().compile(JSON.parse(readFileSync(join(ROOT, 'docs/report-schema.json'), 'utf8')))
  return reportValidator(data) ? undefined : JSON.stringify(reportValidator.errors?.slice(0, 5), null, 1)
}

let sarifValidator: ValidateFunction | undefined
/**
 * The official SARIF 2.1.0 schema (committed copy) is draft-04, which ajv 8 no longer reads: its `id`
 * becomes `$id` and the `$schema` line goes, in memory only. Nothing else in it differs between the drafts.
 */
export function sarifSchemaErrors(data: unknown): string | undefined {
  if (!sarifValidator) {
    const schema = JSON.parse(readFileSync(fixture('schemas/sarif-schema-2.1.0.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const {$schema: _draft, id, ...rest} = schema
    sarifValidator = ajv().compile({...rest, $id: id})
  }

  return sarifValidator(data) ? undefined : JSON.stringify(sarifValidator.errors?.slice(0, 5), null, 1)
}

export const hasXmllint = !requireTool('xmllint', 'JUnit schema validation')

/** Validates JUnit XML against the committed Ant/Jenkins XSD with `xmllint --schema`; returns its complaints. */
export function junitSchemaErrors(xml: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'xenready-junit-'))
  try {
    const file = join(dir, 'report.xml')
    writeFileSync(file, xml)
    const r = spawnSync('xmllint', ['--noout', '--schema', fixture('schemas/JUnit.xsd'), file], {encoding: 'utf8'})
    return r.status === 0 ? undefined : r.stderr
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

export const FIXED_NOW = new Date('2026-01-02T03:04:05.000Z')

export function reportOfDump(name: string, target: Target = 'dom0'): Report {
  const {findings, pluginErrors} = runChecks(builtinRegistry(), new DumpEvidenceSet(dumpPath(name)), {target})
  return buildReport({
    version: '0.0.0-test',
    source: `test/fixtures/dumps/${name}`,
    target,
    findings,
    pluginErrors,
    now: FIXED_NOW,
  })
}

/** A synthetic plugin whose findings carry every character that output formats must escape. */
export const NASTY = 'a <b> & "c" \'d\' | e \\ `f` \u0001\u001B[31m ]]> \uD800 end'
export const nastyPlugin: PluginDefinition = {
  name: 'synthetic',
  title: 'Synthetic findings for escaping tests',
  evidence: [{kind: 'file', name: 'odd file.txt', description: 'a file name with a space', path: '/odd file.txt'}],
  checks: (['pass', 'warn', 'fail', 'unknown', 'n/a'] as const).map((status) => ({
    id: `synthetic.${status === 'n/a' ? 'na' : status}`,
    title: `Synthetic ${status} | <title>`,
    targets: ['dom0', 'hvm', 'pci-passthrough'] as const,
    evidence: ['odd file.txt'],
    description: `Looks at ${NASTY}`,
    why: 'Because <tests> & "escaping"',
    remedy: 'Run `echo "a|b" > /dev/null`',
    run: () => ({
      status,
      message: `${status}: ${NASTY}`,
      subject: 'dom<U>|1',
      evidence: [
        {source: 'odd file.txt', line: 3, text: NASTY},
        {source: 'files/etc/xen/x.cfg', line: 0, text: ''},
      ],
    }),
  })),
}

export function nastyReport(): Report {
  const registry = builtinRegistry([nastyPlugin, crashingPlugin])
  const {findings, pluginErrors} = runChecks(registry, MemoryEvidenceSet.fromTexts({'odd file.txt': 'x'}), {
    target: 'dom0',
    only: ['synthetic', 'crashing'],
  })
  return buildReport({
    version: '0.0.0-test',
    source: 'test/fixtures/dumps/synthetic <dump>',
    target: 'dom0',
    findings,
    pluginErrors: [...pluginErrors, {package: 'bad-plugin', plugin: 'bad', message: 'its hook <failed> & "died"'}],
    now: FIXED_NOW,
  })
}

export const crashingPlugin: PluginDefinition = {
  name: 'crashing',
  title: 'A check that throws',
  evidence: [],
  checks: [
    {
      id: 'crashing.throws',
      title: 'Throws',
      targets: ['dom0'],
      evidence: [],
      description: 'd',
      why: 'w',
      remedy: 'r',
      run: () => {
        throw new Error('boom <&>')
      },
    },
  ],
}

export {existsSync}
