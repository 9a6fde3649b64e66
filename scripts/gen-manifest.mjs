#!/usr/bin/env node
// Writes oclif.manifest.json from the built commands, so that start-up does not import every
// command to learn its flags. Run after every build (`npm run build`), so it is never stale.
// (A few lines with @oclif/core's own Plugin class instead of the 54 MB `oclif` dev CLI.)
import {renameSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true})
await plugin.load()
const file = join(root, 'oclif.manifest.json')
writeFileSync(`${file}.tmp`, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
renameSync(`${file}.tmp`, file)
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
