#!/usr/bin/env node
// Entry point: runs the oclif CLI and turns every error into one line on stderr
// (exit 2 for usage and input errors), never a stack trace unless DEBUG is set.
// CommonJS (bin/package.json says so), like everything a check loads: loading an ES module entry
// costs Node about 10 ms more.
'use strict'
// A linked ESM plugin (`xenready plugins link`) is plain JavaScript: oclif's transpile warning is noise here.
process.env.OCLIF_DISABLE_LINKED_ESM_WARNING ??= '1'
// oclif's own Node version check loads all of semver at start-up (~15 ms); npm enforces `engines` already.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'

function oneLine(message) {
  const clean = String(message)
    .replace(/\u001B\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*›?\s*/, '').trim())
    .filter(Boolean)
  return clean
    .filter((l) => !/^See more help with/.test(l) && !/^Error:?$/.test(l))
    .join(' ')
    .replace(/^Error:\s*/, '')
}

async function main() {
  try {
    // The bundled CLI (scripts/build.mjs), loaded through its V8 code cache (src/startup/).
    const {flush, run} = require('../dist/startup/cli.cjs')
    // The package root itself: oclif would otherwise take bin/package.json for the CLI's own.
    await run(process.argv.slice(2), require('node:path').join(__dirname, '..'))
    await flush()
  } catch (error) {
    const exit = error?.oclif?.exit
    if (error?.code === 'EEXIT' || error?.constructor?.name === 'ExitError') {
      process.exitCode = typeof exit === 'number' ? exit : 0
    } else {
      if (process.env.DEBUG) console.error(error)
      process.stderr.write(`xenready: ${oneLine(error?.message ?? error)}\n`)
      process.exitCode = typeof exit === 'number' && exit !== 1 ? exit : 2
    }
  }
}

main()
