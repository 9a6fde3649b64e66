import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll} from 'vitest'

/**
 * A new directory in the temp directory, removed after the test file that made it (tests leave nothing in
 * os.tmpdir(); XENREADY_KEEP_TEST_DIR=1 keeps them to look at). Imported by a test file, this module
 * registers its afterAll on that file's root suite.
 */
const made: string[] = []
afterAll(() => {
  if (process.env.XENREADY_KEEP_TEST_DIR) return
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
})

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
