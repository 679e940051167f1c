// Steer (issue 14) in the real window through the real backend and node: a chat's model
// parameters reach the node, an answer cut at its length limit is continued into the same answer
// (§2.3.5), and a preset applied to the chat changes what is sent. Axe scans and screenshots in
// light and dark.
import type { ProviderChatRequest } from '../src-main/node';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

const STORY = 'Once upon a time there was a tiny node that answered every question kindly.'.split(' ');
/** What the node's provider was asked, request by request. */
const asked: ProviderChatRequest[] = [];

/** A model that really continues: after an assistant turn it writes on from where that text ended. */
function storyteller(req: ProviderChatRequest): string {
  asked.push(req);
  const last = req.messages.at(-1);
  const done = last?.role === 'assistant' ? last.content.split(' ').filter(Boolean).length : 0;
  return STORY.slice(done).join(' ');
}

test.describe('steer a chat', () => {
  test.use({ bridgeOptions: { provider: { tokenDelayMs: 1, answer: storyteller } } });

  test('parameters reach the node, Continue extends the cut answer, a preset is applied', async ({ app }, info) => {
    test.setTimeout(180_000);
    // This computer's server: Top P 0.8 for every chat that sets none.
    const servers = app.getByRole('dialog', { name: 'Servers' });
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await app.getByRole('button', { name: /^Server: / }).click();
      await servers.getByRole('button', { name: 'Model defaults for This computer (built-in relay)' }).click();
      const defaults = servers.getByRole('form', { name: 'Model defaults for This computer (built-in relay)' });
      await defaults.getByRole('spinbutton', { name: 'Top P' }).fill('0.8');
      await scan(app, info, `steer-server-defaults-${theme}`);
      await shot(app, info, `steer-server-defaults-${theme.toLowerCase()}`);
      await defaults.getByRole('button', { name: 'Save defaults' }).click();
      await expect(defaults).toBeHidden();
      await expect(servers).toContainText('Top P 0.8');
      await servers.getByRole('button', { name: 'Close' }).click();
    }
    await setTheme(app, 'Light');
    await newChat(app);

    // This chat's own parameters: what is in effect, and where from.
    await app.getByRole('button', { name: 'Model parameters and presets' }).click();
    const params = app.getByRole('dialog', { name: 'Model parameters' });
    await params.getByRole('spinbutton', { name: 'Temperature' }).fill('0.4');
    await params.getByRole('spinbutton', { name: 'Max tokens' }).fill('5');
    const effect = params.getByRole('region', { name: 'In effect for this chat' });
    await expect(effect).toContainText('Temperature0.4 this chat');
    await expect(effect).toContainText('Top P0.8 server default');
    await expect(effect).toContainText('Seednode default not sent');
    for (const theme of ['Light', 'Dark'] as const) {
      await scan(app, info, `steer-params-${theme}`);
      await shot(app, info, `steer-params-${theme.toLowerCase()}`);
      if (theme === 'Light') {
        // The theme switch needs the Settings dialog: save, switch, reopen.
        await params.getByRole('button', { name: 'Save' }).click();
        await expect(params).toBeHidden();
        await setTheme(app, 'Dark');
        await app.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' }).click();
        await expect(params.getByRole('spinbutton', { name: 'Max tokens' })).toHaveValue('5');
      }
    }
    await params.getByRole('button', { name: 'Save' }).click();
    await expect(params).toBeHidden();

    // The answer stops at 5 tokens; Continue writes on into the same answer until the story ends.
    await sendMessage(app, 'Tell me a story');
    await expect(lastAnswer(app)).toContainText('Once upon a time there');
    await expect(lastAnswer(app).getByText('stopped at the output limit')).toBeVisible();
    expect(asked.at(-1)).toMatchObject({ temperature: 0.4, topP: 0.8, maxTokens: 5 });
    for (const theme of ['Dark', 'Light'] as const) {
      await setTheme(app, theme);
      await lastAnswer(app).hover();
      await scan(app, info, `steer-continue-${theme}`);
      await shot(app, info, `steer-continue-${theme.toLowerCase()}`);
    }
    await lastAnswer(app).getByRole('button', { name: 'Continue' }).click();
    await expect(lastAnswer(app)).toContainText('Once upon a time there was a tiny node that');
    expect(asked.at(-1)?.messages.at(-1)).toEqual({ role: 'assistant', content: 'Once upon a time there ' });
    await expect(lastAnswer(app)).toHaveAttribute('aria-busy', 'false');
    await lastAnswer(app).getByRole('button', { name: 'Continue' }).click();
    await expect(lastAnswer(app)).toContainText(STORY.join(' '));
    await expect(lastAnswer(app)).toHaveAttribute('aria-busy', 'false');
    await expect(lastAnswer(app).getByRole('button', { name: 'Continue' })).toHaveCount(0);
    await expect(app.locator('article.msg--assistant')).toHaveCount(1);
    await expect(app.getByRole('group', { name: 'Versions' })).toHaveCount(0);
    await shot(app, info, 'steer-continued');

    // Presets: the built-in Precise applied to this chat; the next request carries its prompt and parameters.
    await app.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' }).click();
    await params.getByRole('button', { name: 'Manage presets…' }).click();
    const presets = app.getByRole('dialog', { name: 'Presets' });
    const precise = presets.getByRole('listitem', { name: 'Precise' });
    await expect(precise).toContainText('Temperature 0.2 · Top P 0.9');
    for (const theme of ['Light', 'Dark'] as const) {
      if (theme === 'Dark') {
        await presets.getByRole('button', { name: 'Close' }).click();
        await setTheme(app, 'Dark');
        await app.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' }).click();
        await params.getByRole('button', { name: 'Manage presets…' }).click();
      }
      await expect(precise).toBeVisible();
      await scan(app, info, `steer-presets-${theme}`);
      await shot(app, info, `steer-presets-${theme.toLowerCase()}`);
    }
    await precise.getByRole('button', { name: 'Use Precise in this chat' }).click();
    await expect(presets).toBeHidden();
    await expect(app.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' })).toContainText('Precise');
    await sendMessage(app, 'Another one, please');
    await expect(app.locator('article.msg--assistant')).toHaveCount(2);
    await expect(lastAnswer(app)).toContainText(STORY.join(' '));
    await expect(lastAnswer(app)).toHaveAttribute('aria-busy', 'false');
    expect(asked.at(-1)).toMatchObject({ temperature: 0.2, topP: 0.9, maxTokens: 1024 });
    expect(asked.at(-1)?.messages[0]).toEqual({ role: 'system', content: 'Answer accurately and concisely. Say so when you are not sure.' });
  });
});
