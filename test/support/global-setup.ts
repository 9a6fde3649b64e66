// Runs once before the tests: builds the fixture dumps stored as overlays (test/support/dump-overlays.mjs).
import {buildOverlays} from './dump-overlays.mjs'

export default function setup(): void {
  buildOverlays()
}
