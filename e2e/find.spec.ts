// Find in the open conversation (Ctrl/Cmd+F): "n of m", next/previous with Enter/Shift+Enter and
// the buttons, Escape; matches highlighted with the CSS Custom Highlight API and the current one
// scrolled into view — also in a long, virtualised conversation whose far rows are not rendered.
import { expect as pwExpect, test as plain, type Page } from '@playwright/test';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { fakeShim } from '../test-support/web/fake-shim';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

const findKey = process.platform === 'darwin' ? 'Meta+f' : 'Control+f';
const field = (page: Page) => page.getByRole('searchbox', { name: 'Text to find in this conversation' });
const count = (page: Page) => page.getByRole('search', { name: 'Find in this conversation' }).getByRole('status');
/** What the page's highlight registry holds: every match, and the current one's text. */
const highlights = (page: Page) =>
  page.evaluate(() => {
    const current = [...(CSS.highlights.get('find-current') ?? [])] as Range[];
    return { matches: CSS.highlights.get('find-match')?.size ?? 0, current: current.map((r) => r.toString()) };
  });

test.describe('through the real backend', () => {
  test.use({ bridgeOptions: { provider: { tokenDelayMs: 1, answer: () => 'A **Needle** in the hay, and one more needle.' } } });

  test('finds, steps with Enter and Shift+Enter, highlights, and closes with Escape', async ({ app }, info) => {
    test.slow(); // axe in two themes on a loaded machine
    await newChat(app);
    await sendMessage(app, 'where is the needle?');
    await expect(lastAnswer(app)).toContainText('one more needle');
    await app.getByRole('textbox', { name: 'Message' }).press(findKey);
    await expect(field(app)).toBeFocused();
    await field(app).fill('needle');
    await expect(count(app)).toHaveText('1 of 3');
    await expect.poll(() => highlights(app)).toEqual({ matches: 2, current: ['needle'] });
    await field(app).press('Enter');
    await expect(count(app)).toHaveText('2 of 3');
    await expect.poll(async () => (await highlights(app)).current).toEqual(['Needle']);
    await field(app).press('Enter');
    await field(app).press('Enter');
    await expect(count(app)).toHaveText('1 of 3');
    await field(app).press('Shift+Enter');
    await expect(count(app)).toHaveText('3 of 3');
    await app.getByRole('button', { name: 'Previous match (Shift+Enter)' }).click();
    await expect(count(app)).toHaveText('2 of 3');
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await scan(app, info, `find-${theme}`);
      await shot(app, info, `find-${theme.toLowerCase()}`);
    }
    await field(app).fill('haystack');
    await expect(count(app)).toHaveText('No matches');
    await field(app).press('Escape');
    await expect(field(app)).toHaveCount(0);
    await expect(app.getByRole('textbox', { name: 'Message' })).toBeFocused();
    await expect.poll(() => highlights(app)).toEqual({ matches: 0, current: [] });
  });
});

plain('in a 2 000-message conversation, the current match is scrolled into view although its row was not rendered', async ({ page }, info) => {
  const messages = Array.from({ length: 2000 }, (_, i) => ({
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: i === 40 ? 'Question 40 mentions the rare word zephyr once.' : i === 1960 ? 'Answer 1960: zephyr again.' : `Message ${i}: nothing to see.`,
  }));
  await page.addInitScript(await fakeShim({ conversations: [{ title: 'Long one', messages }] }));
  await page.goto(process.env.TP_RENDERER_URL!);
  await pwExpect(page.getByRole('heading', { name: 'Long one' })).toBeVisible();
  await pwExpect(page.getByText('Message 1999:')).toBeVisible();
  await pwExpect(page.getByText('Question 40 mentions')).toHaveCount(0);

  await page.keyboard.press(findKey);
  await field(page).fill('ZEPHYR');
  await pwExpect(count(page)).toHaveText('1 of 2');
  const first = page.getByText('Question 40 mentions');
  await pwExpect(first).toBeInViewport();
  await pwExpect.poll(() => highlights(page)).toMatchObject({ current: ['zephyr'] });
  await shot(page, info, 'find-long-conversation');
  await field(page).press('Enter');
  await pwExpect(count(page)).toHaveText('2 of 2');
  await pwExpect(page.getByText('Answer 1960: zephyr again.')).toBeInViewport();
  await pwExpect.poll(() => highlights(page)).toMatchObject({ current: ['zephyr'] });
});
