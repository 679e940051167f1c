// How the renderer handles a 10 000-message conversation: time to show it, DOM size, and frame
// times while scrolling through it. The backend is beside the point here, so the page talks to
// the renderer's in-memory fake api; everything else is the production build under its CSP.
import { expect, test } from '@playwright/test';
import { LONG_MESSAGES as COUNT, longConversationShim } from '../test-support/web/long-conversation';
import { shot } from './support/shots';

test('a 10 000-message conversation opens fast and scrolls smoothly', async ({ page }, info) => {
  await page.addInitScript(await longConversationShim());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(process.env.TP_RENDERER_URL!);
  await expect(page.getByRole('heading', { name: 'Ten thousand messages' })).toBeVisible();
  await expect(page.getByText(`Question ${COUNT - 2}:`)).toBeVisible();

  // Switch away and back: time from the click to the last message on screen.
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /^Short chat/ }).click();
  await expect(page.getByRole('heading', { name: 'Short chat' })).toBeVisible();
  const openMs = await page.evaluate(async (last) => {
    const started = performance.now();
    const button = [...document.querySelectorAll<HTMLButtonElement>('.conv-item__main')].find((b) => b.textContent?.startsWith('Ten thousand'))!;
    button.click();
    while (!document.body.textContent?.includes(`Question ${last}:`)) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - started;
  }, COUNT - 2);
  const rows = await page.locator('.message-list__row').count();

  // Scroll upwards for 240 frames at two speeds, recording frame times: mouse-wheel pace
  // (120 px per frame, about 7 000 px/s) and a fast fling (1 000 px per frame).
  const scrollFrames = (pxPerFrame: number) =>
    page.evaluate(async (px) => {
      const el = document.querySelector<HTMLElement>('.message-list')!;
      const times: number[] = [];
      let last = performance.now();
      let maxRows = 0;
      for (let i = 0; i < 240; i++) {
        el.scrollTop -= px;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, document.querySelectorAll('.message-list__row').length);
      }
      times.sort((a, b) => a - b);
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
      return { median: +p(0.5).toFixed(1), p95: +p(0.95).toFixed(1), max: +times.at(-1)!.toFixed(1), maxRows };
    }, pxPerFrame);
  const wheel = await scrollFrames(120);
  const fling = await scrollFrames(1000);
  await expect(async () => {
    await page.locator('.message-list').evaluate((el) => (el.scrollTop = 0));
    await expect(page.getByText('Question 0:')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  const result = { messages: COUNT, openMs: Math.round(openMs), rowsInDom: rows, wheelFrameMs: wheel, flingFrameMs: fling };
  console.log(`long conversation: ${JSON.stringify(result)}`);
  info.annotations.push({ type: 'measurement', description: JSON.stringify(result) });
  expect(rows).toBeLessThan(60);
  expect(Math.max(wheel.maxRows, fling.maxRows)).toBeLessThan(60);
  await shot(page, info, 'long-conversation-top');
  expect(errors).toEqual([]);
});
