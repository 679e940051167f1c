// axe-core scans of the main views in both themes: no serious or critical violations.
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';

test.describe('with a model attached', () => {
  test.use({ bridgeOptions: { provider: { tokenDelayMs: 1, answer: () => 'An answer with `code`, a [link](https://token.place) and\n\n```js\nconsole.log(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |' } } });

  test('main views in light and dark', async ({ app }, info) => {
    await scan(app, info, 'welcome');
    await shot(app, info, 'welcome');
    await newChat(app);
    await scan(app, info, 'empty-conversation');
    await shot(app, info, 'empty-conversation');
    await sendMessage(app, 'scan me');
    await expect(lastAnswer(app)).toContainText('An answer with code');
    for (const theme of ['Light', 'Dark'] as const) {
      await app.getByRole('button', { name: 'Settings' }).click();
      const settings = app.getByRole('dialog', { name: 'Settings' });
      await settings.getByRole('radio', { name: theme }).check();
      if (theme === 'Light') {
        // Turn the real local gateway on: its address and token show, with a copy button.
        await settings.getByRole('switch', { name: 'Local API gateway' }).click();
        await expect(settings.getByRole('switch', { name: 'Local API gateway' })).toHaveAttribute('aria-checked', 'true');
      }
      await expect(settings.getByText(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)).toBeVisible();
      await expect(settings.locator('code.token')).toHaveText(/\S{16,}/);
      await expect(settings.getByRole('button', { name: 'Copy gateway token' })).toBeVisible();
      await scan(app, info, `settings-${theme}`);
      await shot(app, info, `settings-${theme.toLowerCase()}`);
      await settings.getByRole('button', { name: 'Close' }).click();

      await scan(app, info, `conversation-${theme}`);
      await shot(app, info, `conversation-${theme.toLowerCase()}`);

      await app.getByRole('button', { name: /^Server: / }).click();
      await expect(app.getByRole('dialog', { name: 'Servers' })).toBeVisible();
      await scan(app, info, `servers-${theme}`);
      await app.getByRole('dialog', { name: 'Servers' }).getByRole('button', { name: 'Close' }).click();

      await app.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await scan(app, info, `help-${theme}`);
      await app.keyboard.press('Escape');

      await app.getByRole('searchbox').fill('scan');
      await expect(app.getByRole('navigation', { name: 'Search results' })).toBeVisible();
      await scan(app, info, `search-${theme}`);
      await app.getByRole('searchbox').fill('');
    }
  });
});

test.describe('first run without a model', () => {
  test.use({ bridgeOptions: { provider: false } });

  test('the provider setup screen, then the test provider', async ({ app }, info) => {
    const setup = app.getByRole('dialog', { name: /Connect a model/ });
    await expect(setup).toBeVisible();
    await scan(app, info, 'provider-setup');
    await shot(app, info, 'provider-setup');
    await setup.getByRole('button', { name: 'Use the test provider' }).click();
    await expect(setup).toHaveCount(0);
    await newChat(app);
    await sendMessage(app, 'hello test provider');
    await expect(lastAnswer(app)).toContainText('to: hello test provider', { timeout: 20_000 });
  });
});
