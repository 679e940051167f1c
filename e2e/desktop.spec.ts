// Live on the desktop (issue 14), the part the window shows: Settings › On the desktop with its two
// opt-in switches (answer notifications, the tray icon), saved by the real backend and still on
// after a restart. The tray and the notifications themselves are main's (src-main/app/tray.ts,
// notifications.ts); no Electron binary runs here, so main's side is covered by its unit tests.
import { expect, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';

test('turns answer notifications and the tray on in Settings, kept across a restart; axe clean in light and dark', async ({ app, page, bridge }, info) => {
  // a restart and four axe scans: more than the default minute on a loaded machine
  test.slow();
  const openSettings = async () => {
    await app.getByRole('button', { name: 'Settings' }).click();
    return app.getByRole('dialog', { name: 'Settings' });
  };
  let settings = await openSettings();
  const panel = () => settings.getByRole('region', { name: 'On the desktop' });
  const notify = () => panel().getByRole('switch', { name: 'Notify me when an answer is ready' });
  const tray = () => panel().getByRole('switch', { name: 'Keep serving in the tray' });
  await expect(notify()).toHaveAttribute('aria-checked', 'false');
  await expect(tray()).toHaveAttribute('aria-checked', 'false');
  await notify().click();
  await tray().click();
  await expect(notify()).toHaveAttribute('aria-checked', 'true');
  await expect(tray()).toHaveAttribute('aria-checked', 'true');
  await expect.poll(async () => (await bridge.backend.handle('settings:get', {})) as Record<string, unknown>).toMatchObject({ notifyOnAnswer: true, trayEnabled: true });

  // "Restart": a fresh page on the same backend data.
  await page.reload();
  settings = await openSettings();
  await expect(notify()).toHaveAttribute('aria-checked', 'true');
  await expect(tray()).toHaveAttribute('aria-checked', 'true');

  for (const theme of ['Light', 'Dark'] as const) {
    await settings.getByRole('radio', { name: theme }).check();
    await panel().scrollIntoViewIfNeeded();
    await scan(app, info, `settings-desktop-${theme}`);
    await shot(app, info, `settings-desktop-${theme.toLowerCase()}`);
  }
  await tray().click();
  await expect(tray()).toHaveAttribute('aria-checked', 'false');
  await expect.poll(async () => (await bridge.backend.handle('settings:get', {})) as Record<string, unknown>).toMatchObject({ notifyOnAnswer: true, trayEnabled: false });
});
