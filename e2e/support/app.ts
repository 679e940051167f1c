// Playwright fixtures: a fresh real backend behind the loopback test bridge per test, and the
// production renderer loaded with the bridge's window.tokenplace shim.
import { test as base, expect, type Page } from '@playwright/test';
import { startBridge, type Bridge, type BridgeOptions } from '../bridge';

export interface AppFixtures {
  bridgeOptions: BridgeOptions;
  bridge: Bridge;
  app: Page;
}

export const test = base.extend<AppFixtures>({
  bridgeOptions: [{}, { option: true }],
  bridge: async ({ bridgeOptions }, use) => {
    const bridge = await startBridge(bridgeOptions);
    await use(bridge);
    const t = Date.now();
    await bridge.close();
    if (process.env.E2E_DEBUG) console.log(`bridge closed in ${Date.now() - t} ms`);
  },
  app: async ({ page, bridge }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
    });
    await page.addInitScript(bridge.shimScript);
    await page.goto(process.env.TP_RENDERER_URL!);
    await expect(page.getByRole('button', { name: 'New chat', exact: true })).toBeVisible();
    await use(page);
    if (process.env.E2E_DEBUG) console.log('app fixture done');
    expect(problems, 'no page errors or CSP violations').toEqual([]);
  },
});

export { expect };

/** Starts a new chat and sends one message; resolves when its answer is complete. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

export async function newChat(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'New chat', level: 1 })).toBeVisible();
}

export const lastAnswer = (page: Page) => page.locator('article.msg--assistant').last();
