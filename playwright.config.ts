// End-to-end tests of the production renderer build in Debian Chromium, connected to the real
// backend through the loopback test bridge (e2e/bridge). Never downloads a browser.
// `npm run test:e2e` runs both projects under xvfb; plain `npx playwright test` runs the headless
// one (and the headed one too when a display is available).
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS as args, CHROMIUM_PATH as chromium } from './test-support/web/chromium';

const reporter: NonNullable<Parameters<typeof defineConfig>[0]['reporter']> = [['list']];
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporter.push(['json']);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  testIgnore: ['electron.spec.ts', 'bridge/**'],
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter,
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: chromium, args },
    permissions: ['clipboard-read', 'clipboard-write'],
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'headless', use: { headless: true } },
    ...(process.env.DISPLAY ? [{ name: 'headed', use: { headless: false } }] : []),
  ],
});
