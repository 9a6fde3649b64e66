// The HTML report (--format html, --html FILE) in a real browser: Debian's chromium driven headless by
// playwright-core (no browser download), axe-core injected from node_modules. Skipped, with the reason,
// where chromium is missing; under XENREADY_REQUIRE_TOOLS=1 (.ci/run) that fails instead.
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers.js'
import {tempDir} from '../support/temp.js'
import {requireTool} from '../support/tools.js'
import {xenready} from './run.js'

const tmp = tempDir('xenready-e2e-html-')
/** Screenshots and pages to look at after a run (gitignored). */
const OUTPUT = join(ROOT, 'test/output/html')
const EXAMPLE = 'examples/dumps/synthetic-netbsd10-xen420-dom0'
const WEB = 'test/fixtures/dumps/synthetic-policy-web-01'
const DB = 'test/fixtures/dumps/synthetic-policy-db-01'

/** No resource the page would fetch: no http(s) src/href, no CSS url() or @import, no font. */
function assertSelfContained(html: string): void {
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i)
  expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i)
  expect(html).not.toMatch(/@import|@font-face|<link\b|<iframe\b|<img\b/i)
  expect(html).not.toMatch(/\bfetch\(|XMLHttpRequest|new WebSocket/)
}

describe('the HTML report as a file', () => {
  it('one host: --format html on stdout and --html FILE beside text, the same page; self-contained', () => {
    const file = join(tmp, 'one.html')
    const r = xenready(['check', EXAMPLE, '--html', file])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^xenready /)
    const page = readFileSync(file, 'utf8')
    expect(page).toMatch(
      /^<!DOCTYPE html>\n<!-- xenready \S+ report: xenready: examples\/dumps\/synthetic-netbsd10-xen420-dom0 -->\n<html lang="en">/,
    )
    assertSelfContained(page)
    const stdout = xenready(['check', EXAMPLE, '--format', 'html'])
    const undated = (html: string) => html.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'DATE')
    expect(undated(stdout.stdout)).toBe(undated(page))
    // An earlier HTML report is replaced; anything else is refused.
    expect(xenready(['check', EXAMPLE, '--html', file]).status).toBe(0)
    const other = join(tmp, 'other.html')
    writeFileSync(other, '<!DOCTYPE html>\n<html><body>my page</body></html>\n')
    const refused = xenready(['check', EXAMPLE, '--html', other])
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(
      /--html .*other\.html: exists and is not a file xenready wrote, not a HTML report; refusing/,
    )
  })
})

const noBrowser = requireTool('chromium', 'the HTML report in a real browser')

describe.skipIf(noBrowser)('the HTML report in headless Chromium', () => {
  let browser: any
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

  beforeAll(async () => {
    mkdirSync(OUTPUT, {recursive: true})
    const {chromium} = await import('playwright-core')
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  }, 60_000)
  afterAll(async () => browser?.close())

  async function open(file: string) {
    const page = await browser.newPage({viewport: {width: 1400, height: 900}})
    const requests: string[] = []
    page.on('request', (req: {url(): string}) => {
      if (!req.url().startsWith('file:')) requests.push(req.url())
    })
    const errors: string[] = []
    page.on('pageerror', (e: Error) => errors.push(e.message))
    await page.goto(pathToFileURL(file).href)
    return {page, requests, errors}
  }

  async function seriousViolations(page: any): Promise<string[]> {
    await page.addScriptTag({path: axe})
    const result = await page.evaluate(async () => (globalThis as any).axe.run(document, {resultTypes: ['violations']}))
    return result.violations
      .filter((v: {impact: string}) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: {id: string; help: string; nodes: unknown[]}) => `${v.id}: ${v.help} (${v.nodes.length})`)
  }

  it('one host: verdict, next steps, findings by plugin with evidence and fixes, explain on demand; no serious axe violation', async () => {
    const file = join(tmp, 'web.html')
    const policy = join(tmp, 'p.yaml')
    writeFileSync(
      policy,
      'severity: {boot.console: fail}\nwaivers:\n  - {check: boot.console, hosts: [web*], reason: serial console not wired}\n',
    )
    xenready(['check', 'test/fixtures/dumps/synthetic-grub-large-ffsv2-root', '--html', join(tmp, 'fail.html')])
    expect(xenready(['check', WEB, '--policy', policy, '--html', file]).status).toBe(0)
    const {page, requests, errors} = await open(file)
    expect(await page.locator('.verdict').textContent()).toBe('READY')
    expect(await page.locator('table.findings caption').allTextContents()).toEqual(
      expect.arrayContaining(['Plugin cpu', 'Plugin boot', 'Plugin xen']),
    )
    const waived = page.locator('tr', {has: page.locator('th code', {hasText: 'boot.console'})})
    expect(await waived.locator('td.st').textContent()).toBe('WAIVED (FAIL)')
    expect(await waived.locator('.waived').textContent()).toBe('Waived (FAIL): serial console not wired')
    expect(await waived.locator('ul.ev li').first().textContent()).toContain('files/boot.cfg:1')
    const explain = waived.locator('details')
    expect(await explain.getAttribute('open')).toBeNull()
    await explain.locator('summary').focus()
    await page.keyboard.press('Enter')
    expect(await explain.getAttribute('open')).toBe('')
    expect(await explain.textContent()).toContain('Why it matters')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({path: join(OUTPUT, 'host.png'), fullPage: true})
    const failing = await open(join(tmp, 'fail.html'))
    expect(await failing.page.locator('.verdict').textContent()).toBe('NOT READY')
    expect(await failing.page.locator('h3', {hasText: 'Next steps'}).count()).toBe(1)
    expect((await failing.page.locator('ol li').allTextContents()).some((t: string) => t.includes('newfs -O 1'))).toBe(
      true,
    )
    expect(await seriousViolations(failing.page)).toEqual([])
    expect([...requests, ...failing.requests]).toEqual([])
    expect([...errors, ...failing.errors]).toEqual([])
  }, 120_000)

  it('a fleet: the matrix with a verdict per host, filters by host, status and plugin, sorting, click-through; no serious axe violation', async () => {
    const fleet = join(tmp, 'fleet')
    for (const [name, from] of [
      ['web-01', WEB],
      ['web-02', WEB],
      ['db-01', DB],
      ['old-howto', 'test/fixtures/dumps/howto-core2-vmx'],
      ['bigroot', 'test/fixtures/dumps/synthetic-grub-large-ffsv2-root'],
    ])
      cpSync(from!, join(fleet, name!), {recursive: true})
    const policy = join(tmp, 'fleet.yaml')
    writeFileSync(
      policy,
      'severity: {boot.console: fail}\nwaivers:\n  - {check: boot.console, hosts: [web*], reason: serial console not wired}\n',
    )
    const file = join(tmp, 'fleet.html')
    const r = xenready(['check', fleet, '--recursive', '--policy', policy, '--html', file])
    expect(r.status).toBe(1)
    const {page, requests, errors} = await open(file)
    const rows = page.locator('#matrix tbody tr')
    expect(await rows.count()).toBe(5)
    expect(await page.locator('#matrix tbody th').allTextContents()).toEqual(
      ['bigroot', 'db-01', 'old-howto', 'web-01', 'web-02'].map((n) => join(fleet, n)),
    )
    const rowOf = (name: string) => page.locator('#matrix tbody tr', {has: page.locator('th', {hasText: name})})
    expect(await rowOf('db-01').locator('td').first().textContent()).toBe('NOT READY')
    expect(await rowOf('web-01').locator('td').first().textContent()).toBe('READY')
    // Status in words in every cell, with the check in its title.
    expect(await rowOf('web-01').locator('td[title="boot.console: WAIVED"]').textContent()).toBe('waived')
    expect(await rowOf('db-01').locator('td[title="boot.console: FAIL"]').textContent()).toBe('FAIL')
    await page.fill('#f-host', 'web*')
    await page.waitForFunction(() => document.querySelectorAll('#matrix tbody tr').length === 2)
    await page.fill('#f-host', '')
    await page.selectOption('#f-status', 'f')
    // The filter redraws after the change event: poll until the matrix holds the failing hosts.
    await expect
      .poll(() => page.locator('#matrix tbody th').allTextContents(), {timeout: 10_000})
      .toEqual(expect.arrayContaining([join(fleet, 'bigroot'), join(fleet, 'db-01')]))
    const failing = await page.locator('#matrix tbody th').allTextContents()
    expect(failing).not.toContain(join(fleet, 'web-01'))
    for (const row of await rows.all()) expect(await row.locator('td', {hasText: /^FAIL$/}).count()).toBeGreaterThan(0)
    await page.selectOption('#f-status', 'W')
    expect(await page.locator('#matrix tbody th').allTextContents()).toEqual([
      join(fleet, 'web-01'),
      join(fleet, 'web-02'),
    ])
    await page.selectOption('#f-status', '')
    await page.selectOption('#f-verdict', 'ready')
    expect(await page.locator('#matrix tbody th').allTextContents()).toEqual(
      expect.arrayContaining([join(fleet, 'web-01'), join(fleet, 'web-02')]),
    )
    for (const row of await rows.all()) expect(await row.locator('td').first().textContent()).toBe('READY')
    await page.selectOption('#f-verdict', '')
    expect(await rows.count()).toBe(5)
    await page.selectOption('#f-plugin', 'cpu')
    expect(await page.locator('#matrix thead th.chk').allTextContents()).toEqual([
      'cpu.i686',
      'cpu.hvm',
      'cpu.64bit',
      'cpu.pae',
    ])
    await page.selectOption('#f-plugin', '')
    // Sort by verdict: the not-ready hosts first; again: last.
    await page.click('#matrix thead th >> text=Verdict')
    expect(await page.locator('#matrix thead th[aria-sort="ascending"]').textContent()).toBe('Verdict')
    expect(await rows.first().locator('td').first().textContent()).toBe('NOT READY')
    await page.click('#matrix thead th >> text=Verdict')
    expect(await rows.last().locator('td').first().textContent()).toBe('NOT READY')
    // Click-through with the keyboard: the host's findings, focus on its heading; back to the matrix.
    await rowOf('db-01').locator('th button').focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('#host-title')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('host-title')
    expect(await page.locator('#host-title').textContent()).toBe(join(fleet, 'db-01'))
    expect(
      await page
        .locator('tr', {has: page.locator('th code', {hasText: 'boot.console'})})
        .locator('td.st')
        .textContent(),
    ).toBe('FAIL')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({path: join(OUTPUT, 'fleet-host.png'), fullPage: true})
    await page.click('button.back')
    await page.waitForSelector('#matrix')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({path: join(OUTPUT, 'fleet.png'), fullPage: false})
    expect(requests).toEqual([])
    expect(errors).toEqual([])
  }, 180_000)

  it('a fleet of 1,000 generated dumps: one page under 5 MB that draws and filters without lag', async () => {
    const dumps = join(tmp, 'gen')
    const {generateDumps} = (await import(pathToFileURL(join(ROOT, 'bench/gen-dumps.mjs')).href)) as {
      generateDumps: (out: string, n: number) => void
    }
    generateDumps(dumps, 1000)
    const file = join(tmp, 'fleet1000.html')
    // Longer than run.ts allows: a thousand dumps on a busy machine.
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), 'check', dumps, '--recursive', '--html', file], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1', XDG_DATA_HOME: tmp},
      timeout: 280_000,
    })
    expect([0, 1, 2], r.stderr).toContain(r.status)
    const size = statSync(file).size
    console.log(`the HTML report of 1000 generated dumps: ${(size / 1e6).toFixed(2)} MB`)
    expect(size).toBeLessThan(5e6)
    const html = readFileSync(file, 'utf8')
    assertSelfContained(html)
    const {page, requests, errors} = await open(file)
    await page.waitForSelector('#matrix tbody tr')
    expect(await page.locator('p[aria-live]').textContent()).toBe('1000 of 1000 hosts shown (the first 200 drawn)')
    // A filter is one redraw of at most 200 rows: time it in the page.
    const ms = await page.evaluate(() => {
      const select = document.getElementById('f-status') as HTMLSelectElement
      const t0 = performance.now()
      select.value = 'f'
      select.dispatchEvent(new Event('change'))
      return performance.now() - t0
    })
    console.log(`filtering 1000 hosts by status: ${ms.toFixed(1)} ms`)
    // 257 ms measured with the machine under a load average of 26 on 2 cores; the bound leaves room for such a CI
    // machine.
    expect(ms).toBeLessThan(1000)
    expect(await page.locator('p[aria-live]').textContent()).toMatch(/^\d+ of 1000 hosts shown/)
    await page.screenshot({path: join(OUTPUT, 'fleet1000.png')})
    expect(requests).toEqual([])
    expect(errors).toEqual([])
    expect(existsSync(join(OUTPUT, 'fleet1000.png'))).toBe(true)
    // Removed here rather than in the temp directory's afterAll, whose time limit a thousand dumps can pass on a busy
    // machine.
    rmSync(dumps, {recursive: true, force: true})
  }, 300_000)
})
