import {defineConfig} from 'vitest/config'

export default defineConfig({
  // src/startup/ is CommonJS TypeScript (.cts), which Vite does not transform by default.
  oxc: {include: /\.(m?ts|cts|[jt]sx)$/},
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture dumps stored as overlays are built into test/fixtures/dumps first.
    globalSetup: ['test/support/global-setup.ts'],
    // @oclif/test's runCommand captures stdout itself; vitest's interception would swallow it.
    disableConsoleIntercept: true,
    // Results shared within a run are frozen, so a check that changes one fails (src/util/run-memo.ts).
    env: {XENREADY_FREEZE_RUN_MEMO: '1'},
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
