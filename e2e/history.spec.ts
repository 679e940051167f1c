// Conversation history: search across all of it, rename/delete with undo, export and import
// (Markdown and JSON), clear, and survival across a restart (a new page on the same backend data).
import { readFile } from 'node:fs/promises';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { shot } from './support/shots';

test.use({ bridgeOptions: { provider: { tokenDelayMs: 1 } } });

async function chat(app: import('@playwright/test').Page, text: string) {
  await newChat(app);
  await sendMessage(app, text);
  await expect(lastAnswer(app)).toContainText(`to: ${text}`);
}

test('searches across every conversation and opens the hit', async ({ app }, info) => {
  await chat(app, 'Where do penguins live?');
  await chat(app, 'Recipe for banana bread');
  await chat(app, 'How fast is a cheetah?');

  await app.getByRole('searchbox', { name: 'Search all conversations' }).fill('penguin');
  const results = app.getByRole('navigation', { name: 'Search results' });
  await expect(results.getByRole('status')).toHaveText(/\d+ results?/);
  await expect(results.getByRole('button').first()).toContainText('penguins');
  await shot(app, info, 'search');
  await results.getByRole('button', { name: /Test answer/ }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Where do penguins live?');
  await expect(app.locator('.msg--highlight')).toContainText('Test answer (1 messages) to: Where do penguins live?');

  await app.getByRole('searchbox').fill('zzzz-not-there');
  await expect(results.getByRole('status')).toHaveText('Nothing found for “zzzz-not-there”.');
  await app.getByRole('searchbox').press('Escape');
  await expect(app.getByRole('navigation', { name: 'Conversations' })).toBeVisible();
});

test('renames, deletes with undo, and everything survives a restart', async ({ app, page, bridge }, info) => {
  await chat(app, 'keep this one');
  await chat(app, 'the newest');
  const list = app.getByRole('navigation', { name: 'Conversations' });
  await expect(list.locator('.conv-item__title')).toHaveText(['the newest', 'keep this one']);

  await list.getByRole('button', { name: 'Rename keep this one' }).click();
  const name = app.getByRole('textbox', { name: 'New name for the conversation' });
  await name.fill('Renamed chat');
  await name.press('Enter');
  await expect(list.locator('.conv-item__title')).toContainText(['Renamed chat']);

  await list.getByRole('button', { name: 'Delete the newest' }).click();
  await expect(list.locator('.conv-item__title')).toHaveText(['Renamed chat']);
  await expect(app.getByText('Deleted “the newest”.')).toBeVisible();
  await shot(app, info, 'deleted-with-undo');
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(list.locator('.conv-item__title')).toHaveText(['the newest', 'Renamed chat']);

  // "Restart": a fresh page on the same backend data.
  await page.reload();
  await expect(list.locator('.conv-item__title')).toHaveText(['the newest', 'Renamed chat']);
  await expect(lastAnswer(app)).toContainText('to: the newest');
  expect(bridge.dataDir).toBeTruthy();
});

test('exports Markdown and JSON, clears the history and imports it back', async ({ app }, info) => {
  await chat(app, 'export me please');
  await app.getByRole('button', { name: 'Settings' }).click();
  const settings = app.getByRole('dialog', { name: 'Settings' });

  const [md] = await Promise.all([app.waitForEvent('download'), settings.getByRole('button', { name: 'Export Markdown' }).click()]);
  const mdPath = info.outputPath(md.suggestedFilename());
  await md.saveAs(mdPath);
  const mdText = await readFile(mdPath, 'utf8');
  expect(md.suggestedFilename()).toMatch(/\.md$/);
  expect(mdText).toContain('export me please');

  const [json] = await Promise.all([app.waitForEvent('download'), settings.getByRole('button', { name: 'Export JSON' }).click()]);
  const jsonPath = info.outputPath(json.suggestedFilename());
  await json.saveAs(jsonPath);
  expect(JSON.parse(await readFile(jsonPath, 'utf8'))).toMatchObject({ conversations: [{ messages: [{ content: 'export me please' }, {}] }] });

  await settings.getByRole('button', { name: /Clear history/ }).click();
  await settings.getByRole('button', { name: 'Delete all conversations' }).click();
  await expect(settings.getByText('All conversations were deleted.')).toBeVisible();

  const [chooser] = await Promise.all([app.waitForEvent('filechooser'), settings.getByRole('button', { name: 'Import…' }).click()]);
  await chooser.setFiles(jsonPath);
  await expect(settings.getByText('Imported 1 conversation.')).toBeVisible();
  const [chooser2] = await Promise.all([app.waitForEvent('filechooser'), settings.getByRole('button', { name: 'Import…' }).click()]);
  await chooser2.setFiles(mdPath);
  await expect(settings.getByText('Imported 1 conversation.')).toBeVisible();
  await shot(app, info, 'settings-after-import');
  await settings.getByRole('button', { name: 'Close' }).click();

  const list = app.getByRole('navigation', { name: 'Conversations' });
  await expect(list.locator('.conv-item')).toHaveCount(2);
  await list.locator('.conv-item__main').first().click();
  await expect(app.locator('article.msg--user')).toContainText('export me please');
});
