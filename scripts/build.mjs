#!/usr/bin/env node
// Build: type-check and compile with tsc (dist/ holds the plugins and the register hook, which oclif
// loads by path), then bundle the CLI (every command, the engine and @oclif/core) into one plain
// JavaScript file, dist/xenready.mjs. One file loads about twice as fast as @oclif/core's hundreds of
// modules; see bench/startup.mjs. Heavy modules only the live path needs stay outside and load lazily.
import {spawnSync} from 'node:child_process'
import {readdirSync, rmSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {stdio: 'inherit'})
if (tsc.status !== 0) process.exit(tsc.status ?? 1)

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
  "export {run, flush, Errors, Config} from '@oclif/core'",
  ...commands.map((file, i) => `import C${i} from './${relative(join(root, 'src'), file).split(sep).join('/')}'`),
  `export const COMMANDS = {${commands
    .map((file, i) => `${JSON.stringify(relative(commandsDir, file).replace(/\.ts$/, '').split(sep).join(':'))}: C${i}`)
    .join(', ')}}`,
].join('\n')

const esbuild = await import('esbuild')
// The entry is virtual (it exists only here); code that commands import lazily (`await import(...)`:
// bundle reading, live collection, fleets) goes to chunks that load only when used.
const virtualEntry = {
  name: 'xenready-entry',
  setup(build) {
    build.onResolve({filter: /^xenready-entry$/}, () => ({path: 'xenready', namespace: 'xenready-entry'}))
    build.onLoad({filter: /.*/, namespace: 'xenready-entry'}, () => ({contents: entry, resolveDir: join(root, 'src'), loader: 'ts'}))
  },
}
rmSync(join(root, 'dist/chunks'), {recursive: true, force: true})
await esbuild.build({
  entryPoints: {xenready: 'xenready-entry'},
  plugins: [virtualEntry],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: join(root, 'dist'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: {'.js': '.mjs'},
  // Optional or lazily imported: typescript/ts-node (oclif's dev-mode transpiling), and what only live collection or bundles use.
  external: ['typescript', 'ts-node', 'execa', 'systeminformation', 'tar', 'esbuild'],
  banner: {js: "import {createRequire as __xenreadyRequire} from 'node:module'; const require = __xenreadyRequire(import.meta.url);"},
  // Less text to compile at every start; names are kept, so stack traces under DEBUG stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
})
// The register hook with every built-in plugin, also one file: oclif imports it by path on each run.
await esbuild.build({
  entryPoints: [join(root, 'src/hooks/register.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Its own name, so a later plain `tsc` (which writes dist/hooks/register.js) cannot replace it.
  outfile: join(root, 'dist/xenready-register.mjs'),
  external: ['@oclif/core'],
  banner: {js: "import {createRequire as __xenreadyRequire} from 'node:module'; const require = __xenreadyRequire(import.meta.url);"},
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
})
console.log(`dist/xenready.mjs: ${commands.length} commands bundled; dist/xenready-register.mjs bundled`)
