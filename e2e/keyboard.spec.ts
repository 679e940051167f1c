// The whole app with the keyboard only: shortcuts, Tab order, visible focus, dialogs, stop.
import { expect, lastAnswer, test } from './support/app';
import { shot } from './support/shots';

test.use({ bridgeOptions: { provider: { delayMs: 700, tokenDelayMs: 5 } } });

test('a keyboard-only session', async ({ app }, info) => {
  const kb = app.keyboard;
  const composer = app.getByRole('textbox', { name: 'Message' });
  const heading = app.getByRole('heading', { level: 1 });

  // New chat, type, Shift+Enter for a new line, Enter to send.
  await kb.press('Control+n');
  await expect(heading).toHaveText('New chat');
  await expect(composer).toBeFocused();
  await kb.type('first line');
  await kb.press('Shift+Enter');
  await kb.type('second line');
  await expect(composer).toHaveValue('first line\nsecond line');
  await kb.press('Enter');
  await expect(lastAnswer(app)).toContainText('to: first line\nsecond line', { timeout: 20_000 });

  // Regenerate with Ctrl+R (the page must not reload) and Ctrl+Shift+R; Esc stops.
  await kb.press('Control+r');
  await expect(app.getByRole('button', { name: 'Stop' })).toBeVisible();
  await kb.press('Escape');
  await expect(lastAnswer(app)).toContainText('Stopped before the answer was finished.');
  await kb.press('Control+Shift+R');
  await expect(lastAnswer(app)).toContainText('to: first line', { timeout: 20_000 });
  await expect(app.locator('article.msg')).toHaveCount(2);

  // A second chat, then switch with Ctrl+Alt+Down / Ctrl+1.
  await kb.press('Control+n');
  await expect(heading).toHaveText('New chat');
  await expect(composer).toBeFocused();
  await kb.type('another topic');
  await kb.press('Enter');
  await expect(lastAnswer(app)).toContainText('to: another topic', { timeout: 20_000 });
  await kb.press('Control+Alt+ArrowDown');
  await expect(heading).toHaveText(/first line/);
  await kb.press('Control+1');
  await expect(heading).toHaveText('another topic');

  // Search with Ctrl+K, arrow into the results, Enter opens, Esc clears.
  await kb.press('Control+k');
  await expect(app.getByRole('searchbox')).toBeFocused();
  await kb.type('second line');
  await expect(app.getByRole('navigation', { name: 'Search results' }).getByRole('button').first()).toBeVisible();
  await kb.press('ArrowDown');
  await kb.press('Enter');
  await expect(heading).toHaveText(/first line/);
  await app.getByRole('searchbox').focus();
  await kb.press('Escape');
  await expect(app.getByRole('searchbox')).toHaveValue('');

  // Tab passes the list's own controls (the order of chats, a new folder), then reaches the
  // conversation list with a visible focus ring; F2 renames.
  await kb.press('Tab');
  await expect(app.getByRole('combobox', { name: 'Order of chats' })).toBeFocused();
  await kb.press('Tab');
  await expect(app.getByRole('button', { name: 'New folder' })).toBeFocused();
  await kb.press('Tab');
  const focused = app.locator(':focus');
  await expect(focused).toHaveClass(/conv-item__main/);
  const ring = await app.evaluate(() => {
    const s = getComputedStyle(document.activeElement!);
    return `${s.outlineStyle} ${s.outlineWidth}`;
  });
  expect(ring).toMatch(/^solid [1-9]/);
  await kb.press('ArrowDown');
  await kb.press('F2');
  await kb.press('Control+a');
  await kb.type('Renamed by keyboard');
  await kb.press('Enter');
  await expect(app.getByRole('navigation', { name: 'Conversations' })).toContainText('Renamed by keyboard');

  // Settings with Ctrl+, : arrow keys pick the dark theme; Esc closes and focus comes back.
  await kb.press('Control+l');
  await expect(composer).toBeFocused();
  await kb.press('Control+,');
  const settings = app.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await app.getByRole('radio', { name: 'Light' }).focus();
  await kb.press('ArrowRight');
  await expect(app.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect.poll(() => app.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await kb.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(composer).toBeFocused();

  // Help lists the shortcuts.
  await kb.press('Control+/');
  const help = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Regenerate the last answer');
  await shot(app, info, 'keyboard-help-dark');
  await kb.press('Escape');
  await expect(help).toHaveCount(0);
  await shot(app, info, 'keyboard-dark');
});
