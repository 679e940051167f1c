// Organise (issue 14) in the real window through the real backend: Regenerate keeps the earlier
// answer behind ‹ 2/3 ›, editing a question starts a branch (the old one stays), search finds text
// in a branch not shown and opens it, and one message is deleted after a confirm. Axe scans and
// screenshots in light and dark.
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

let answers = 0;

test.describe('branches of a conversation', () => {
  test.use({ bridgeOptions: { provider: { tokenDelayMs: 1, answer: (req) => `Answer ${++answers} to: ${req.messages.at(-1)?.content ?? ''}` } } });

  test('Regenerate keeps versions, an edit starts a branch, search opens a branch not shown, a message is deleted', async ({ app }, info) => {
    test.setTimeout(180_000);
    await newChat(app);
    await sendMessage(app, 'A day in Lisbon?');
    await expect(lastAnswer(app)).toContainText(/Answer \d+ to: A day in Lisbon\?/);
    const first = (await lastAnswer(app).innerText()).split('\n')[0]!;

    await lastAnswer(app).getByRole('button', { name: 'Regenerate this answer' }).click();
    const versions = lastAnswer(app).getByRole('group', { name: 'Versions' });
    await expect(versions.getByLabel('Version 2 of 2')).toHaveText('2/2');
    await expect(lastAnswer(app)).not.toContainText(first);
    await expect(lastAnswer(app)).toHaveAttribute('aria-busy', 'false');
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await lastAnswer(app).hover();
      await scan(app, info, `versions-${theme}`);
      await shot(app, info, `branches-versions-${theme.toLowerCase()}`);
    }
    await versions.getByRole('button', { name: 'Previous version' }).click();
    await expect(lastAnswer(app)).toContainText(first);
    await expect(versions.getByLabel('Version 1 of 2')).toBeVisible();
    await versions.getByRole('button', { name: 'Next version' }).click();
    await expect(versions.getByLabel('Version 2 of 2')).toBeVisible();

    // Editing the question is a new version of it; the old question and its answers stay.
    const question = app.getByRole('article', { name: 'Your message' }).first();
    await question.hover();
    await question.getByRole('button', { name: 'Edit this message and resend' }).click();
    const field = app.getByRole('textbox', { name: 'Edit your message' });
    await field.fill('A day in Porto?');
    await app.getByRole('button', { name: 'Save and resend' }).click();
    await expect(lastAnswer(app)).toContainText('to: A day in Porto?');
    await expect(question).toContainText('A day in Porto?');
    await expect(question.getByLabel('Version 2 of 2')).toBeVisible();
    await shot(app, info, 'branches-edited');

    // Search finds the question of the branch not shown, and its hit opens that branch.
    await app.getByPlaceholder('Search (Ctrl+K)').fill('Lisbon');
    const hit = app
      .getByRole('navigation', { name: 'Search results' })
      .getByRole('button')
      .filter({ has: app.locator('.search-hit__snippet', { hasText: /^A day in Lisbon\?$/ }) });
    await expect(hit).toBeVisible();
    await hit.click();
    await expect(question).toContainText('A day in Lisbon?');
    await expect(question.getByLabel('Version 1 of 2')).toBeVisible();
    await expect(lastAnswer(app).getByLabel('Version 2 of 2')).toBeVisible();
    await app.getByPlaceholder('Search (Ctrl+K)').fill('');

    // Deleting the shown answer asks first; its other version stays and is shown.
    const confirm = app.getByRole('dialog', { name: 'Delete this answer?' });
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await lastAnswer(app).hover();
      await lastAnswer(app).getByRole('button', { name: 'Delete this answer' }).click();
      await expect(confirm).toContainText('Other versions of it, if any, stay.');
      await scan(app, info, `delete-confirm-${theme}`);
      await shot(app, info, `branches-delete-confirm-${theme.toLowerCase()}`);
      if (theme === 'Light') await confirm.getByRole('button', { name: 'Cancel' }).click();
    }
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(lastAnswer(app)).toContainText(first);
    await expect(lastAnswer(app).getByRole('group', { name: 'Versions' })).toHaveCount(0);
  });
});
