// Switching servers in the middle of a conversation: a second (standalone) relay with its own node
// runs beside the app's embedded one; the conversation continues there with its whole history.
import { createDeterministicTestProvider, startComputeNode, type ComputeNode } from '../src-main/node';
import { startRelay, type RunningRelay } from '../src-main/relay';
import { TEST_MODEL } from '../test-support/backend/real-backend';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { shot } from './support/shots';

test.use({ bridgeOptions: { provider: { tokenDelayMs: 2 } } });

let otherRelay: RunningRelay | undefined;
let otherNode: ComputeNode | undefined;
let otherUrl = '';

test.beforeAll(async () => {
  otherRelay = await startRelay({ rateLimits: { enabled: false } });
  otherUrl = otherRelay.url;
  otherNode = await startComputeNode({
    relayUrl: otherUrl,
    provider: createDeterministicTestProvider({ models: [TEST_MODEL], answer: (r) => `Second relay here; I got ${r.messages.length} messages.` }),
    models: [{ id: TEST_MODEL, providerModel: TEST_MODEL }],
    timings: { retryMinMs: 50, retryMaxMs: 500, stopTimeoutMs: 1000 },
  });
  await expect.poll(() => otherNode!.status().state, { timeout: 15_000 }).toBe('registered');
});
test.afterAll(async () => {
  await otherNode?.stop();
  await otherRelay?.close();
});

test('switches to another server mid-conversation and keeps the history', async ({ app }, info) => {
  await newChat(app);
  await sendMessage(app, 'hello from the built-in relay');
  await expect(lastAnswer(app)).toContainText('Test answer (1 messages) to: hello from the built-in relay');
  const firstRelay = await lastAnswer(app).locator('.fact', { hasText: 'via' }).textContent();

  await app.getByRole('button', { name: /^Server: / }).click();
  const dialog = app.getByRole('dialog', { name: 'Servers' });
  await expect(dialog.getByText(/online · \d+ ms · 1 node/).first()).toBeVisible();
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Second relay');
  await dialog.getByRole('textbox', { name: 'Address' }).fill(otherUrl);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  const radio = dialog.getByRole('radio', { name: /Second relay/ });
  await expect(radio).toBeVisible();
  await radio.check();
  await expect(radio).toBeChecked();
  await expect(dialog.locator('.server-row--active')).toContainText(/Second relay[\s\S]*online · \d+ ms · 1 node/, { timeout: 15_000 });
  await shot(app, info, 'servers-dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByRole('button', { name: /^Server: Second relay, online/ })).toBeVisible();

  await sendMessage(app, 'and now from the second one');
  await expect(lastAnswer(app)).toContainText('Second relay here; I got 3 messages.');
  const secondRelay = await lastAnswer(app).locator('.fact', { hasText: 'via' }).textContent();
  expect(secondRelay).not.toBe(firstRelay);
  expect(secondRelay).toContain(new URL(otherUrl).host);
  await expect(app.locator('article.msg')).toHaveCount(4);

  // Edit and remove the added server; the app falls back to a working one.
  await app.getByRole('button', { name: /^Server: / }).click();
  await dialog.getByRole('button', { name: 'Edit Second relay' }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Other relay');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('radio', { name: /Other relay/ })).toBeVisible();
  await dialog.getByRole('radio', { name: /This computer/ }).check();
  await dialog.getByRole('button', { name: 'Remove Other relay' }).click();
  await expect(dialog.getByRole('radio', { name: /Other relay/ })).toHaveCount(0);
  await shot(app, info, 'servers-after-remove');
});
