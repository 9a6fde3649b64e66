#!/usr/bin/env node
// Build: type-check and compile with tsc (dist/ holds the modules fleet workers and tests load by path),
// then bundle the CLI (every command, the engine, the built-in plugins' register hook and @oclif/core)
// into one plain CommonJS file, dist/xenready.cjs, and make its V8 code cache by running one check.
// dist/startup/cli.cjs loads the bundle through that cache (src/startup/code-cache.cts): one file instead of
// @oclif/core's hundreds of modules, and no parsing or compiling at start-up; see bench/startup.mjs.
// Heavy modules only the live path needs stay outside and load lazily.
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

// `--if-changed` (npm's prepare and pretest): build only when an input differs from the last successful
// build's. `npm install` and `npm ci` build through `prepare` (needed there: a git dependency, and the
// README's `npm install && npx xenready` run nothing else); the `npm test` that follows must not build a
// second time. And `npx xenready` in a clone installs the clone into npx's cache (npm does so whenever the
// current package has a bin of that name), which runs `prepare` again: a full build there cost the first
// npx run a minute. After an edit of src/ either script still builds; `npm run build` always does. The
// stamp is the hash of every input, and of the Node version, whose V8 the code cache belongs to.
const stampFile = join(root, 'dist/.build-inputs')
function inputsHash() {
  const hash = createHash('sha256').update(`${process.version} ${process.arch}\n`)
  const files = (dir) =>
    readdirSync(join(root, dir), {withFileTypes: true})
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
  for (const file of [
    ...files('src'),
    ...files('bin'),
    ...files('scripts/collect'),
    'scripts/assemble-collector.mjs',
    'scripts/build.mjs',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
  ]) {
    if (existsSync(join(root, file)))
      hash
        .update(`${file}\0`)
        .update(readFileSync(join(root, file)))
        .update('\0')
  }

  return hash.digest('hex')
}
const outputs = [
  'dist/startup/cli.cjs',
  'dist/xenready.cjs',
  'dist/xenready.cjs.v8cache',
  'dist/xenready-register.mjs',
  'dist/driver-tables/netbsd-10.json',
  'dist/driver-tables/HEAD.json',
]
const inputs = inputsHash()
if (
  process.argv.includes('--if-changed') &&
  outputs.every((f) => existsSync(join(root, f))) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8').trim() === inputs
) {
  console.log('build: dist/ is up to date (nothing changed since the last build)')
  process.exit(0)
}
// A build that fails half-way must not leave an old stamp that says its outputs are current.
rmSync(stampFile, {force: true})

// The shipped sh collector is assembled from scripts/collect/. In CI the committed script must already be
// that assembly (people download it from the repository): a stale one fails the build instead of being
// mended where nobody commits it.
{
  const {updateCollector} = await import('./assemble-collector.mjs')
  const inCi = Boolean(process.env.CI) && process.env.CI !== 'false'
  const current = updateCollector({check: inCi})
  if (!current && inCi) {
    console.error(
      'build: scripts/xenready-collect.sh is not the assembly of scripts/collect/: run `npm run build` and commit it',
    )
    process.exit(1)
  }
  if (!current) console.log('build: scripts/xenready-collect.sh assembled from scripts/collect/')
}

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')],
  {stdio: 'inherit'},
)
if (tsc.status !== 0) process.exit(tsc.status ?? 1)

// The hardware plugin's driver tables are data read on first use (src/plugins/hardware/tables.ts), not
// bundled code: one copy in dist/driver-tables/, next to both bundles, found from dist/plugins/ too.
{
  const from = join(root, 'src/plugins/hardware/tables')
  const to = join(root, 'dist/driver-tables')
  rmSync(to, {recursive: true, force: true})
  mkdirSync(to, {recursive: true})
  for (const name of readdirSync(from).filter((n) => n.endsWith('.json')))
    copyFileSync(join(from, name), join(to, name))
}

function commandFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

const commandsDir = join(root, 'src/commands')
const commands = commandFiles(commandsDir).sort()
// oclif's explicit command strategy: the bundle exports COMMANDS, keyed by command id (`bundle:inspect`).
const entry = [
  "export {flush, Errors, Config} from '@oclif/core'",
  "export {run} from './cli/main.js'",
  "export {default as register} from './hooks/register.js'",
  "export {default as commandNotFound} from './hooks/command-not-found.js'",
  "export {default as Help} from './cli/help.js'",
  ...commands.map((file, i) => `import C${i} from './${relative(join(root, 'src'), file).split(sep).join('/')}'`),
  `export const COMMANDS = {${commands
    .map((file, i) => `${JSON.stringify(relative(commandsDir, file).replace(/\.ts$/, '').split(sep).join(':'))}: C${i}`)
    .join(', ')}}`,
].join('\n')

const esbuild = await import('esbuild')
// The entry is virtual (it exists only here).
const virtualEntry = {
  name: 'xenready-entry',
  setup(build) {
    build.onResolve({filter: /^xenready-entry$/}, () => ({path: 'xenready', namespace: 'xenready-entry'}))
    build.onLoad({filter: /.*/, namespace: 'xenready-entry'}, () => ({
      contents: entry,
      resolveDir: join(root, 'src'),
      loader: 'ts',
    }))
  },
}
// Outputs of earlier layouts, so that nothing stale is left to load by mistake.
for (const old of ['dist/chunks', 'dist/xenready.mjs']) rmSync(join(root, old), {recursive: true, force: true})
// One line of @oclif/core changed in the bundle: every plugin's command list is sorted with localeCompare,
// and the first localeCompare of a process loads ICU's collator, about 8 ms of every start-up. Command ids
// are ASCII, so plain code-point order lists them the same way (it differs only in where upper case and
// digits go). The build fails if the line is not found exactly once, so an oclif update cannot drop the
// change silently.
const oclifPatches = {
  name: 'oclif-patches',
  setup(build) {
    build.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      const from = '.sort((a, b) => a.id.localeCompare(b.id));'
      if (text.split(from).length !== 2)
        throw new Error(`${args.path}: the command sort to replace was not found exactly once`)
      return {contents: text.replace(from, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));'), loader: 'js'}
    })
    // findRoot locates each core plugin (@oclif/plugin-help, -plugins) with require.resolve, which goes through
    // the package's "exports" and so loads Node's ESM resolver (about 7 ms of a start-up, bench/startup.mjs). Its
    // own fallback, findRootLegacy, walks up the same node_modules directories as require.resolve reading
    // package.json files: tried first, it finds the same directory for an installed package; anything it
    // cannot find (PnP, odd layouts) still goes to require.resolve.
    build.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]find-root\.js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      const from = 'async function findRoot(name, root) {\n    if (name) {\n'
      if (text.split(from).length !== 2)
        throw new Error(`${args.path}: the start of findRoot to patch was not found exactly once`)
      const legacyFirst =
        '        if (!process.versions.pnp) {\n            const legacy = await findRootLegacy(name, root);\n            if (legacy)\n                return legacy;\n        }\n'
      return {contents: text.replace(from, from + legacyFirst), loader: 'js'}
    })
    // Config.load asks getPlatform() whether this is WSL, which imports wsl-utils: with powershell-utils, is-wsl,
    // is-inside-container and is-docker that is five modules, node:child_process and node:fs/promises loaded and
    // copied at every start-up (about 4 ms), on NetBSD too, where the answer is always no. wsl-utils' isWsl is
    // is-wsl's default export (`export {default as isWsl} from 'is-wsl'`), which is false on any platform but
    // Linux: only Linux imports it now, and only is-wsl. node:child_process is needed by getShell() on Windows.
    build.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/}, (args) => {
      let text = readFileSync(args.path, 'utf8')
      const isWsl = createRequire(createRequire(args.path).resolve('wsl-utils')).resolve('is-wsl')
      const edits = [
        [
          "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
          `return process.platform === 'linux' && (await import(${JSON.stringify(isWsl)})).default ? 'wsl' : (0, node_os_1.platform)();`,
        ],
        [
          'const node_child_process_1 = require("node:child_process");',
          'const node_child_process_1 = {get execSync() { return require("node:child_process").execSync; }};',
        ],
      ]
      for (const [from, to] of edits) {
        if (text.split(from).length !== 2)
          throw new Error(`${args.path}: ${JSON.stringify(from)} was not found exactly once`)
        text = text.replace(from, to)
      }

      return {contents: text, loader: 'js'}
    })
  },
}
const bundle = join(root, 'dist/xenready.cjs')
await esbuild.build({
  entryPoints: {xenready: 'xenready-entry'},
  plugins: [virtualEntry, oclifPatches],
  bundle: true,
  platform: 'node',
  // CommonJS, because only a script (not an ES module) can take a V8 code cache on Node 20.
  // Code that commands import lazily stays lazy: esbuild wraps each such module in a function run on first use.
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  // Optional or lazily imported: typescript/ts-node (oclif's dev-mode transpiling), and what only live
  // collection or bundles use, and what only --policy uses (yaml, ajv); their import() calls stay import()
  // (ESM-only packages such as execa), see below.
  external: ['typescript', 'ts-node', 'execa', 'systeminformation', 'tar', 'esbuild', 'yaml', 'ajv'],
  define: {'import.meta.url': '__xenreadyBundleUrl'},
  banner: {
    js: [
      '// The xenready CLI, loaded by dist/startup/cli.cjs through its V8 code cache (src/startup/code-cache.cts).',
      '// Not a module to require(): its import() calls go through the __xenreadyImport the loader passes in.',
      "const __xenreadyBundleUrl = require('node:url').pathToFileURL(__filename).href;",
    ].join('\n'),
  },
  // Less text to compile; names are kept, so stack traces under DEBUG stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
})
// Two rewrites of the bundle's text, where TypeScript's parser finds the exact spots (so that the text
// "import(" inside a string, say, stays as it is):
// - every import() becomes a call of __xenreadyImport, a function the loader passes in: Node 20 loses a
//   vm.Script's import() callback when the script comes from a code cache (nodejs/node#43663 and
//   relatives), so the cached script must not hold an import() of its own;
// - a non-ASCII character in a regular expression (esbuild escapes them everywhere else) becomes a \u
//   escape: an all-ASCII bundle loads as a one-byte string, half the memory and faster to decode.
{
  const ts = (await import('typescript')).default
  const text = readFileSync(bundle, 'utf8')
  const file = ts.createSourceFile(bundle, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS)
  const edits = []
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const start = node.expression.getStart(file)
      edits.push([start, start + 'import'.length, '__xenreadyImport'])
    } else if (node.kind === ts.SyntaxKind.RegularExpressionLiteral && /[^\0-\x7f]/.test(node.text)) {
      const escaped = node.text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      edits.push([node.getStart(file), node.end, escaped])
    }

    ts.forEachChild(node, visit)
  }
  visit(file)
  let out = ''
  let at = 0
  for (const [start, end, replacement] of edits.sort((a, b) => a[0] - b[0])) {
    out += text.slice(at, start) + replacement
    at = end
  }
  out += text.slice(at)
  const wide = out.search(/[^\0-\x7f]/)
  if (wide !== -1)
    throw new Error(
      `dist/xenready.cjs: a non-ASCII character esbuild did not escape, at ${JSON.stringify(out.slice(wide - 40, wide + 10))}`,
    )
  writeFileSync(bundle, out)
}

// The register hook alone, as one ES module: fleet worker threads import it to check dumps without loading oclif.
await esbuild.build({
  entryPoints: [join(root, 'src/hooks/register.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Its own name, so a later plain `tsc` (which writes dist/hooks/register.js) cannot replace it.
  outfile: join(root, 'dist/xenready-register.mjs'),
  external: ['@oclif/core'],
  banner: {
    js: "import {createRequire as __xenreadyRequire} from 'node:module'; const require = __xenreadyRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
})

// The code cache: the loader writes it at the exit of a run that found none. A check of the example dump
// that writes every report format compiles what any check needs; other commands' functions compile
// lazily as before.
const cache = `${bundle}.v8cache`
rmSync(cache, {force: true})
const dataHome = mkdtempSync(join(tmpdir(), 'xenready-build-'))
const reports = ['json-file', 'junit', 'sarif', 'markdown', 'html'].flatMap((format) => [
  `--${format}`,
  join(dataHome, `report.${format}`),
])
const train = spawnSync(
  process.execPath,
  [
    join(root, 'bin/run.js'),
    'check',
    '--from',
    join(root, 'examples/dumps/synthetic-netbsd10-xen420-dom0'),
    '--format',
    'text',
    ...reports,
  ],
  {
    env: {...process.env, XDG_DATA_HOME: dataHome, NO_COLOR: '1', XENREADY_CODE_CACHE: 'on'},
    stdio: ['ignore', 'ignore', 'pipe'],
  },
)
rmSync(dataHome, {recursive: true, force: true})
if (train.status !== 0 || !existsSync(cache)) {
  console.error(`build: the code cache run failed (exit ${train.status}): ${train.stderr}`)
  process.exit(1)
}
writeFileSync(stampFile, `${inputs}\n`)
console.log(
  `dist/xenready.cjs: ${commands.length} commands bundled, with its V8 code cache; dist/xenready-register.mjs bundled`,
)
