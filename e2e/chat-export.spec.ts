// Organise (issue 14): one chat exported through main's save dialog (the bridge's stands in for
// it and picks a file in a temp folder) as a self-contained web page, JSON with every version and
// Markdown; copied as Markdown; and imported again through the open dialog as a new chat with its
// versions. Axe scans and screenshots of the export dialog in light and dark, and of the saved page.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

const folder = mkdtempSync(join(tmpdir(), 'tp-chat-export-'));
const saved = { name: '' };
const pathOf = (name: string) => join(folder, name);

test.describe('one chat to a file and back', () => {
  test.use({
    bridgeOptions: {
      provider: { tokenDelayMs: 1, answer: () => 'Use <b>tags</b> & "quotes" freely.' },
      deps: {
        chooseExportPath: async (name: string) => {
          saved.name = name;
          return pathOf(name);
        },
        chooseChatFile: async () => pathOf(saved.name),
      },
    },
  });

  test('exports as a web page, JSON and Markdown, copies as Markdown, and imports the JSON as a new chat', async ({ app, context }, info) => {
    test.setTimeout(180_000);
    await newChat(app);
    await sendMessage(app, 'Is <script>alert(1)</script> safe here?');
    await expect(lastAnswer(app)).toContainText('Use <b>tags</b>');
    await lastAnswer(app).getByRole('button', { name: 'Regenerate this answer' }).click();
    await expect(lastAnswer(app).getByLabel('Version 2 of 2')).toBeVisible();

    const dialog = app.getByRole('dialog', { name: 'Export this chat' });
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await app.getByRole('button', { name: 'Export', exact: true }).click();
      await expect(dialog).toBeVisible();
      await scan(app, info, `export-dialog-${theme}`);
      await shot(app, info, `chat-export-dialog-${theme.toLowerCase()}`);
      await dialog.getByRole('button', { name: 'Close' }).click();
    }

    await app.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save as Web page…' }).click();
    await expect(app.getByText(/^Saved “.+\.html”\.$/)).toBeVisible();
    const html = await readFile(pathOf(saved.name), 'utf8');
    expect(html).toContain('Is &lt;script&gt;alert(1)&lt;/script&gt; safe here?');
    expect(html).toContain('Use &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot; freely.');
    expect(html).not.toMatch(/<script/i);

    // The saved page on its own: it shows the chat, runs nothing and passes axe in both schemes.
    const page = await context.newPage();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(pathToFileURL(pathOf(saved.name)).href);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Is <script>alert(1)</script> safe here?');
      await expect(page.getByText('Use <b>tags</b> & "quotes" freely.')).toBeVisible();
      await scan(page, info, `exported-page-${scheme}`);
      await shot(page, info, `chat-export-page-${scheme}`);
    }
    await page.close();

    await app.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save as Markdown…' }).click();
    await expect(app.getByText(/^Saved “.+\.md”\.$/)).toBeVisible();
    expect(await readFile(pathOf(saved.name), 'utf8')).toContain('### Assistant\n\nUse <b>tags</b> & "quotes" freely.');

    await app.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('button', { name: 'Copy conversation as Markdown' }).click();
    await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(
      '# Is <script>alert(1)</script> safe here?\n\n### You\n\nIs <script>alert(1)</script> safe here?\n\n### Assistant\n\nUse <b>tags</b> & "quotes" freely.\n',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();

    await app.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save as JSON…' }).click();
    await expect(app.getByText(/^Saved “.+\.json”\.$/)).toBeVisible();
    const file = JSON.parse(await readFile(pathOf(saved.name), 'utf8')) as { version: number; conversations: { messages: unknown[] }[] };
    expect(file.version).toBe(2);
    expect(file.conversations[0]!.messages).toHaveLength(3);

    // Import it again (the open dialog picks the JSON just saved): a new chat, with both versions.
    await app.getByRole('button', { name: 'Settings' }).click();
    await app.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Import a chat…' }).click();
    await app.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
    await expect(app.getByRole('navigation', { name: /conversations/i }).getByText('Is <script>alert(1)</script> safe here?')).toHaveCount(2);
    await expect(lastAnswer(app).getByLabel('Version 2 of 2')).toBeVisible();
  });
});
