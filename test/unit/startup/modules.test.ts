import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../../helpers.js'
import {tempDir} from '../../support/temp.js'

/**
 * The Node built-in modules a cold `check` of one dump loads, from a new process running the built CLI (bin/run.js,
 * dist/ made by `pretest`). What start-up must not load is what the build's oclif patches and the code cache's
 * identity check took off it (scripts/build.mjs, src/startup/code-cache.cts): a dependency that loads one of them
 * again makes every start slower, so it is named here.
 */
function checkLoading(): {builtins: string[]; stdout: string} {
  const script = [
    'const before = new Set(process.moduleLoadList)',
    "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))) + '\\n'))",
    `process.argv = [process.argv[0], ${JSON.stringify(join(ROOT, 'bin/run.js'))}, 'check', '--from', ${JSON.stringify(join(ROOT, 'test/fixtures/dumps/howto-core2-vmx'))}, '--format', 'json']`,
    `import(${JSON.stringify(join(ROOT, 'bin/run.js'))})`,
  ].join('\n')
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {...process.env, XDG_DATA_HOME: tempDir('xenready-data-'), NO_COLOR: '1'},
  })
  const line = /^LOADED (.*)$/m.exec(r.stderr)?.[1]
  expect(line, r.stderr).toBeDefined()
  const loaded = JSON.parse(line!) as string[]
  return {builtins: loaded.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)), stdout: r.stdout}
}

describe('start-up', () => {
  it('a cold check loads no child_process, zlib or worker_threads, and checks the dump', () => {
    const {builtins, stdout} = checkLoading()
    // The CLI came through its code cache loader (node:vm), and the check ran.
    expect(builtins).toContain('vm')
    expect((JSON.parse(stdout) as {findings: unknown[]}).findings.length).toBeGreaterThan(10)
    for (const unwanted of ['child_process', 'zlib', 'worker_threads']) expect(builtins).not.toContain(unwanted)
  })
})
