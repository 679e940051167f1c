// The sidebar's organisation against the real backend: folders (create, rename, collapse, delete),
// chats dragged in and out and moved with the keyboard, a pin, the sort order — all kept by main
// across a reload of the window; and a draft that survives the reload too.
import type { Page } from '@playwright/test';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

test.use({ bridgeOptions: { provider: { tokenDelayMs: 1, answer: () => 'Noted.' } } });

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });
const chat = (page: Page, title: string) => sidebar(page).getByRole('button', { name: new RegExp(`^${title}`) });
const folder = (page: Page, name: string) => sidebar(page).locator('li.folder', { has: page.getByRole('button', { name: new RegExp(`^${name}`) }) });
/** The chats' titles in the order the sidebar shows them (pinned, folders, top level). */
const titles = (page: Page) => sidebar(page).locator('li.conv-item .conv-item__title').allTextContents();

async function startChat(page: Page, text: string): Promise<void> {
  await newChat(page);
  await sendMessage(page, text);
  await expect(lastAnswer(page)).toContainText('Noted.');
  await expect(chat(page, text)).toBeVisible();
}

test('folders, drag and drop, move with the keyboard, pin and sort are kept across a reload', async ({ app }, info) => {
  test.slow(); // three chats through the real node, axe in two themes and a reload
  for (const t of ['Mango plans', 'Apple notes', 'Kiwi ideas']) await startChat(app, t);

  await app.getByRole('button', { name: 'New folder' }).click();
  await app.getByRole('textbox', { name: 'Name of the new folder' }).fill('Fruit basket');
  await app.keyboard.press('Enter');
  await expect(folder(app, 'Fruit basket')).toBeVisible();
  await expect(app.getByTestId('live-region')).toHaveText('Folder Fruit basket created.');

  // Drag a chat onto the folder (HTML5 drag and drop).
  await app.locator('li.conv-item', { hasText: 'Mango plans' }).dragTo(folder(app, 'Fruit basket').locator('.folder__header'));
  await expect(folder(app, 'Fruit basket').getByRole('button', { name: /^Mango plans/ })).toBeVisible();
  await expect(folder(app, 'Fruit basket').getByRole('button', { name: /^Fruit basket/ })).toContainText('1 chat');

  // The same with the keyboard: "Move to folder…".
  await chat(app, 'Apple notes').focus();
  await app.getByRole('button', { name: 'Move Apple notes to a folder' }).click();
  const dialog = app.getByRole('dialog', { name: 'Move “Apple notes” to a folder' });
  await expect(dialog).toBeVisible();
  await scan(app, info, 'move-to-folder');
  await dialog.getByRole('button', { name: 'Fruit basket' }).click();
  await expect(folder(app, 'Fruit basket').getByRole('button', { name: /^Apple notes/ })).toBeVisible();

  // Pin one, sort by name, close the folder.
  await app.getByRole('button', { name: 'Pin Kiwi ideas to the top' }).click();
  await expect(app.getByRole('button', { name: 'Unpin Kiwi ideas' })).toHaveAttribute('aria-pressed', 'true');
  await app.getByRole('combobox', { name: 'Order of chats' }).selectOption('name');
  expect(await titles(app)).toEqual(['Kiwi ideas', 'Apple notes', 'Mango plans']);
  for (const theme of ['Light', 'Dark'] as const) {
    await setTheme(app, theme);
    await scan(app, info, `folders-${theme}`);
    await shot(app, info, `folders-${theme.toLowerCase()}`);
  }
  await folder(app, 'Fruit basket').getByRole('button', { name: /^Fruit basket/ }).click();
  await expect(folder(app, 'Fruit basket').getByRole('button', { name: /^Fruit basket/ })).toHaveAttribute('aria-expanded', 'false');
  expect(await titles(app)).toEqual(['Kiwi ideas']);

  // A draft in one chat, then a new window: everything comes back from main.
  await chat(app, 'Kiwi ideas').click();
  await app.getByRole('textbox', { name: 'Message' }).fill('a draft that outlives the window');
  await app.waitForTimeout(900);
  await app.reload();
  await expect(app.getByRole('button', { name: 'New chat', exact: true })).toBeVisible();
  await expect(folder(app, 'Fruit basket').getByRole('button', { name: /^Fruit basket/ })).toHaveAttribute('aria-expanded', 'false');
  await expect(app.getByRole('combobox', { name: 'Order of chats' })).toHaveValue('name');
  await expect(app.getByRole('button', { name: 'Unpin Kiwi ideas' })).toBeAttached();
  await chat(app, 'Kiwi ideas').click();
  await expect(app.getByRole('textbox', { name: 'Message' })).toHaveValue('a draft that outlives the window');

  // Open it, drag one chat back out to the top level, rename, delete: the rest moves out, and it says so.
  await folder(app, 'Fruit basket').getByRole('button', { name: /^Fruit basket/ }).click();
  await app.locator('li.conv-item', { hasText: 'Mango plans' }).dragTo(sidebar(app).locator('.sidebar__group--top'));
  await expect(folder(app, 'Fruit basket').getByRole('button', { name: /^Mango plans/ })).toHaveCount(0);
  await app.getByRole('button', { name: 'Rename the folder Fruit basket' }).click();
  await app.getByRole('textbox', { name: 'New name for the folder' }).fill('Orchard');
  await app.keyboard.press('Enter');
  await expect(folder(app, 'Orchard')).toBeVisible();
  await app.getByRole('button', { name: 'Delete the folder Orchard (its chats move to the top level)' }).click();
  await expect(app.getByTestId('live-region')).toHaveText('Deleted the folder “Orchard”. Its 1 chat moved to the top level.');
  await expect(sidebar(app).locator('li.folder')).toHaveCount(0);
  expect((await titles(app)).sort()).toEqual(['Apple notes', 'Kiwi ideas', 'Mango plans']);
});
