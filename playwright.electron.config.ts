// Playwright config for e2e/electron.spec.ts: launches the built Electron app (out/main/index.js)
// with Playwright's `_electron`. Runs only where an Electron binary exists; elsewhere the spec
// skips with the reason. `npm run test:electron` (after `npm run build`).
import { defineConfig } from '@playwright/test';

const reporter: NonNullable<Parameters<typeof defineConfig>[0]['reporter']> = [['list']];
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporter.push(['json']);

export default defineConfig({
  testDir: 'e2e',
  testMatch: 'electron.spec.ts',
  outputDir: 'test-results/electron',
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter,
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
});
