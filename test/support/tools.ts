import {spawnSync} from 'node:child_process'
import {test} from 'vitest'

/**
 * The programs outside Node that some tests drive. A fresh machine with only Node has none of them, and
 * `npm install && npm test` must pass there: a test that needs one is skipped, with the reason printed.
 * `.ci/run` installs them all and sets XENREADY_REQUIRE_TOOLS=1, under which a missing one fails the run
 * (a CI machine that lost a package must not go green by skipping).
 */
const TOOLS = {
  // Validates the JUnit output against the committed XSD.
  xmllint: {probe: ['xmllint', '--version'], install: 'libxml2-utils'},
  // Lints the POSIX sh collector.
  shellcheck: {probe: ['shellcheck', '--version'], install: 'shellcheck'},
  // Runs the sh collector as a strict POSIX sh (NetBSD's /bin/sh is an ash, as dash is).
  dash: {probe: ['dash', '-c', 'exit 0'], install: 'dash'},
  // NetBSD's awk is the one true awk: the collector's redaction must give the same bytes under it.
  'original-awk': {probe: ['original-awk', 'BEGIN { exit 0 }'], install: 'original-awk'},
  busybox: {probe: ['busybox', 'awk', 'BEGIN { exit 0 }'], install: 'busybox'},
  // Drives contrib/ansible/collect.yml in the fleet test (test/e2e/ansible/setup.ts finds it).
  'ansible-playbook': {probe: ['ansible-playbook', '--version'], install: 'ansible-core'},
  // Renders the HTML report headless (test/e2e/html.test.ts drives /usr/bin/chromium with playwright-core).
  chromium: {probe: ['/usr/bin/chromium', '--version'], install: 'chromium'},
} as const

export type Tool = keyof typeof TOOLS

export const REQUIRE_TOOLS = process.env.XENREADY_REQUIRE_TOOLS === '1'

const found = new Map<Tool, boolean>()
const noted = new Set<string>()

/** Whether `tool` runs here (probed once per test file). */
export function hasTool(tool: Tool): boolean {
  let ok = found.get(tool)
  if (ok === undefined) {
    const [cmd, ...args] = TOOLS[tool].probe
    const r = spawnSync(cmd, args, {stdio: 'ignore', timeout: 60_000})
    ok = r.error === undefined && r.status === 0
    found.set(tool, ok)
  }

  return ok
}

/** Why tests that need `tool` do not run, or undefined when it is here. */
export function missingTool(tool: Tool): string | undefined {
  return hasTool(tool) ? undefined : `${tool} is not installed (Debian: apt-get install ${TOOLS[tool].install})`
}

/**
 * For `it.skipIf(...)` / `describe.skipIf(...)`: true (skip) when `tool` is missing, after printing why once
 * per test file; under XENREADY_REQUIRE_TOOLS=1 it also adds a test that fails, saying what is missing.
 * `why` says what is skipped, for the note.
 */
export function requireTool(tool: Tool, why = `the tests that need ${tool}`): boolean {
  return skipUnless(missingTool(tool), why)
}

/**
 * The same for a tool found some other way (the fleet test's ansible-playbook): `missing` says why it was
 * not found, or is undefined when it was.
 */
export function skipUnless(missing: string | undefined, why: string): boolean {
  if (!missing) return false
  const note = `skipped: ${why}: ${missing}`
  if (!noted.has(note)) {
    noted.add(note)
    console.warn(note)
    // A failing test of its own, rather than an error while the file is collected: the file's afterAll
    // hooks still run (its temp directories go), and the report names what is missing.
    if (REQUIRE_TOOLS) {
      test(`XENREADY_REQUIRE_TOOLS=1: ${why}`, () => {
        throw new Error(`XENREADY_REQUIRE_TOOLS=1 and ${missing}`)
      })
    }
  }

  return true
}
