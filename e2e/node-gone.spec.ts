// When the compute node goes away, the user is told in plain words and can retry; with no node
// online, the composer says why it cannot send, and starting the node from Servers fixes it.
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { shot } from './support/shots';

test.use({ bridgeOptions: { provider: { delayMs: 1500, tokenDelayMs: 20 } } });

test('the node disappears: a plain error with Retry, then a disabled composer with the reason', async ({ app, bridge }, info) => {
  await newChat(app);
  await sendMessage(app, 'are you still there?');
  await expect(app.locator('.waiting__label')).toHaveText(/queue|preparing|Reading|Writing/, { timeout: 15_000 });
  await bridge.hosts.nodeHost.simulateCrash('The node stopped unexpectedly.');

  const error = lastAnswer(app).getByRole('alert');
  await expect(error).toBeVisible({ timeout: 45_000 });
  const words = (await error.textContent()) ?? '';
  expect(words.length).toBeGreaterThan(12);
  expect(words).not.toMatch(/ECONN|stack|undefined|\bat [\w.]+ \(|Error:/);
  await shot(app, info, 'node-gone-error');

  // The backend restarts the crashed node; Retry then gets an answer.
  await expect.poll(async () => ((await bridge.backend.handle('node:status', {})) as { state: string }).state, { timeout: 15_000 }).toBe('serving');
  await error.getByRole('button', { name: 'Retry' }).click();
  await expect(lastAnswer(app)).toContainText('Test answer (1 messages) to: are you still there?', { timeout: 30_000 });

  // Now the node goes away for good.
  await bridge.backend.handle('node:stop', {});
  const reason = app.locator('.composer__reason');
  await expect(reason).toContainText('No compute node is online', { timeout: 15_000 });
  await expect(app.getByRole('button', { name: 'Send message' })).toBeDisabled();
  await expect(app.getByRole('button', { name: /^Server: .*0 nodes/ })).toBeVisible();
  await shot(app, info, 'node-gone-composer-disabled');

  await app.getByRole('button', { name: /^Server: / }).click();
  const servers = app.getByRole('dialog', { name: 'Servers' });
  await servers.getByRole('button', { name: 'Start node' }).click();
  await expect(servers.getByText('Serving', { exact: true })).toBeVisible({ timeout: 15_000 });
  await servers.getByRole('button', { name: 'Close' }).click();
  await expect(reason).toHaveCount(0, { timeout: 15_000 });
});
