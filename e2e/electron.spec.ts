// Launches the built desktop app with Playwright's `_electron` and chats once through the
// embedded relay, driving only the UI: unlock (when the OS has no keyring), pick the test
// provider on the first-run screen, send a message, read the answer.
// Needs an Electron binary. Where none exists (as on machines without the Electron download)
// it skips and says why.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron, expect, test } from '@playwright/test';

const root = resolve(__dirname, '..');

/** Finds the Electron executable the `electron` package would run, without triggering a download. */
function findElectronBinary(): { path: string } | { reason: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidates = ['electron', 'electron.exe', 'Electron.app/Contents/MacOS/Electron'].map((name) => join(override, name));
    const found = candidates.find((p) => existsSync(p));
    return found ? { path: found } : { reason: `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no electron executable` };
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(__filename).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron npm package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: `${pathFile} is missing: the Electron binary was never downloaded (no network to GitHub?)` };
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) return { reason: `${executable} does not exist` };
  return { path: executable };
}

const electron = findElectronBinary();
const skipReason =
  'reason' in electron
    ? `No Electron binary: ${electron.reason}`
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'No display: run it under xvfb-run (xvfb-run -a npm run test:electron)'
      : undefined;
if (skipReason) console.log(`electron.spec.ts skipped. ${skipReason}`);

test.describe('desktop app', () => {
  test.skip(skipReason !== undefined, skipReason ?? '');

  test('chats once through the embedded relay', async () => {
    if (!('path' in electron)) return;
    expect(existsSync(join(root, 'out/main/index.js')), 'run `npm run build` first').toBe(true);
    const userData = mkdtempSync(join(tmpdir(), 'tp-electron-e2e-'));
    const env = { ...process.env } as Record<string, string>;
    delete env.ELECTRON_RENDERER_URL;
    delete env.ELECTRON_RUN_AS_NODE;
    const app = await _electron.launch({
      executablePath: electron.path,
      // Chromium refuses to start as root (CI containers) unless its sandbox is off.
      args: [join(root, 'out/main/index.js'), `--user-data-dir=${userData}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: root,
      env,
    });
    try {
      const page = await app.firstWindow();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      expect(page.url()).toMatch(/^app:\/\/tokenplace\//);
      // The preload exposes the contract and nothing of Node.
      expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as unknown as { tokenplace: { chat: { send: unknown } } }).tokenplace.chat.send)).toBe('function');

      // Without an OS keyring the app asks for a passphrase first.
      const unlock = page.getByRole('heading', { name: /unlock token\.place/i });
      const setup = page.getByRole('button', { name: /use the test provider/i });
      await expect(unlock.or(setup).first()).toBeVisible();
      if (await unlock.isVisible()) {
        await page.getByLabel(/passphrase/i).fill('electron e2e passphrase');
        await page.getByRole('button', { name: /^unlock$/i }).click();
      }
      await setup.click();
      await expect(setup).toBeHidden();

      const composer = page.getByRole('textbox', { name: /message/i });
      await composer.fill('Hello from the Electron end-to-end test');
      await page.getByRole('button', { name: /send message/i }).click();
      await expect(page.getByRole('article', { name: 'Your message' }).last()).toContainText('Hello from the Electron end-to-end test');
      // The test provider's answer (derived from the prompt) comes back through the relay and
      // node utility processes, encrypted end to end.
      await expect(page.getByRole('article', { name: 'Answer', exact: true }).last()).toContainText(
        /Test answer \(\d+ messages\) to: Hello from the Electron end-to-end test/,
        { timeout: 60_000 },
      );
      expect(errors).toEqual([]);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
