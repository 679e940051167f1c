// The model library in the real window through the real backend (issue 13): the first run without
// a local model server offers "Download a small model" first; the download comes from a loopback
// file server serving the generated tiny GGUF (the catalogue the bridge gives the backend points
// there, with the file's SHA-256) and shows its progress bar; once downloaded this computer's node
// serves it with the built-in engine and a chat is answered by it through the built-in relay.
// The tiny model writes random tokens: the spec checks that an answer streams and arrives, not its words.
import type { LocalNodeStatus } from '../src-shared/ipc/contract';
import { buildTinyGguf } from '../test-support/node/tiny-gguf';
import { startFileServer, type FileServer } from '../test-support/models/file-server';
import { catalogueEntryFor } from '../test-support/models/tiny-catalogue';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

const tiny = buildTinyGguf({ seed: 11 }).bytes;

const modelTest = test.extend<{ modelServer: FileServer }>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  modelServer: async ({}, use) => {
    // Slow enough that the progress bar is seen moving, quick enough for the suite.
    const server = await startFileServer(tiny, { chunkBytes: 16 * 1024, chunkDelayMs: 60 });
    await use(server);
    await server.close();
  },
  bridgeOptions: async ({ modelServer }, use) => {
    await use({ provider: false, deps: { modelCatalogue: [catalogueEntryFor(modelServer.url, tiny, { name: 'Tiny Test Model' })] } });
  },
});

modelTest.describe('the model library', () => {
  modelTest('first run: download a small model with its progress bar, then chat with it through the built-in relay', async ({ app, bridge, modelServer }, info) => {
    modelTest.setTimeout(240_000);
    const setup = app.getByRole('dialog', { name: /Connect a model/ });
    const offer = setup.getByRole('button', { name: /^Download a small model \(\d+(\.\d)? KB\)$/ });
    await expect(offer).toBeVisible();
    await expect(setup.getByRole('listitem').first()).toContainText('Nothing to set up.');
    await expect(setup.getByRole('button', { name: 'Use the test provider' })).toBeVisible();
    await scan(app, info, 'first-run');
    await shot(app, info, 'models-first-run');

    await offer.click();
    const library = app.getByRole('dialog', { name: 'Models' });
    const row = library.getByRole('listitem', { name: 'Tiny Test Model' });
    const bar = row.getByRole('progressbar', { name: 'Download of Tiny Test Model' });
    await expect(bar).toBeVisible();
    await expect(row).toContainText(/\d+(\.\d)? KB of \d+(\.\d)? KB/);
    await shot(app, info, 'models-downloading');
    await scan(app, info, 'models-downloading');
    // Downloaded, checked against its SHA-256, and served by this computer's node.
    await expect(row.getByText('Used by this computer’s node')).toBeVisible({ timeout: 30_000 });
    await expect(bar).toHaveCount(0);
    expect(modelServer.requests.length).toBeGreaterThan(0);
    await shot(app, info, 'models-in-use');
    await library.getByRole('button', { name: 'Close' }).click();
    // Through the test bridge only: one engine thread and a small window, so the answer (random
    // tokens up to the output budget) is written in seconds on a shared 2-core machine, where
    // llama.cpp's spinning threads slow each other down.
    const status = (await bridge.backend.handle('node:status', {})) as LocalNodeStatus;
    expect(status.config).toMatchObject({ provider: 'local', model: 'tiny-model' });
    await bridge.backend.handle('node:configure', { provider: 'local', model: status.config!.model, modelFile: status.config!.modelFile, contextSize: 256, threads: 1 });
    await expect.poll(async () => ((await bridge.backend.handle('node:status', {})) as LocalNodeStatus).state, { timeout: 30_000 }).toBe('serving');

    await app.evaluate(() => {
      const w = window as unknown as { tokenplace: { events: { chat(l: (e: { type: string }) => void): void } }; deltas: number };
      w.deltas = 0;
      w.tokenplace.events.chat((e) => {
        if (e.type === 'delta') w.deltas++;
      });
    });
    await newChat(app);
    await sendMessage(app, 'Hello, tiny model');
    const answer = lastAnswer(app);
    await expect(answer).toContainText(/\S{3}/, { timeout: 30_000 });
    // It grows while it streams — unless the tiny model had already finished by the first look.
    const early = (await answer.locator('.msg__body').innerText()).length;
    await expect
      .poll(async () => (await answer.getAttribute('aria-busy')) === 'false' || (await answer.locator('.msg__body').innerText()).length > early, { timeout: 30_000 })
      .toBe(true);
    await shot(app, info, 'models-chat-streaming');
    await expect(answer).toHaveAttribute('aria-busy', 'false', { timeout: 150_000 });
    const facts = answer.getByRole('list', { name: 'How this answer was delivered' });
    await expect(facts).toContainText(/first text/);
    await expect(facts).toContainText(/\d+ tokens\b/);
    // Streamed: the text came in several authenticated pieces, not as one answer at the end.
    expect(await app.evaluate(() => (window as unknown as { deltas: number }).deltas)).toBeGreaterThan(1);
    expect((await answer.locator('.msg__body').innerText()).trim().length).toBeGreaterThan(0);
    await shot(app, info, 'models-chat-answered');
  });

  modelTest('the Models dialog in light and dark, keyboard only', async ({ app }, info) => {
    await app.getByRole('dialog', { name: /Connect a model/ }).getByRole('button', { name: 'Use the test provider' }).click();
    await expect(app.getByRole('dialog')).toHaveCount(0);
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await app.getByRole('button', { name: 'Models' }).focus();
      await app.keyboard.press('Enter');
      const library = app.getByRole('dialog', { name: 'Models' });
      await expect(library.getByRole('listitem', { name: 'Tiny Test Model' })).toContainText('Not downloaded');
      // Focus starts inside the dialog; Tab reaches the row's button.
      await expect(library.locator(':focus')).toHaveCount(1);
      const download = library.getByRole('button', { name: 'Download Tiny Test Model' });
      for (let i = 0; i < 8 && !(await download.evaluate((b) => b === document.activeElement)); i++) await app.keyboard.press('Tab');
      await expect(download).toBeFocused();
      await scan(app, info, `models-${theme}`);
      await shot(app, info, `models-${theme.toLowerCase()}`);
      await app.keyboard.press('Escape');
      await expect(library).toHaveCount(0);
    }
  });
});
