// Node-key trust with the real backend: this computer's node is used without asking; another
// machine's node on the same relay is trusted on first use; when a node with yet another key takes
// its place, the window asks BEFORE anything is sent (new key, server, "changed since you last
// trusted it") — Don't send keeps the prompt home, Trust sends it; then the per-server policy.
import { LAUNCH_SECRET_HEADER } from '../src-shared/protocol/relay-http';
import { TEST_MODEL } from '../test-support/backend/real-backend';
import { keyPairs, startStackNode, type StackNode } from '../test-support/client/stack';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { shot } from './support/shots';

test.use({ bridgeOptions: { provider: { tokenDelayMs: 2 } } });

/** Registered at the relay (serving = registered with work in flight). */
const online = (node: StackNode) => ['registered', 'serving'].includes(node.node.status().state);

test('a changed node key is shown and confirmed before the prompt is sent', async ({ app, bridge }, info) => {
  const relayUrl = ((await bridge.backend.handle('relay:status', {})) as { url: string }).url;
  const [first, second] = await keyPairs(2);
  const started: StackNode[] = [];
  const foreign = async (keys: NonNullable<typeof first>) => {
    const node = await startStackNode(relayUrl, keys, {
      models: [{ id: TEST_MODEL, providerModel: 'deterministic-test' }],
      // The built-in relay serves only holders of its launch secret (§12); this stands in for another machine's node.
      relayHeaders: { [LAUNCH_SECRET_HEADER]: bridge.hosts.relayHost.launchSecret },
    });
    started.push(node);
    await expect.poll(() => online(node), { timeout: 15_000 }).toBe(true);
    return node;
  };
  try {
    await newChat(app);
    await sendMessage(app, 'who are you?');
    await expect(lastAnswer(app)).toContainText('Test answer (1 messages) to: who are you?');
    await expect(lastAnswer(app)).toContainText('this computer’s node');

    // Another machine's node takes over the built-in relay: its key is trusted on first use.
    const a = await foreign(first!);
    await bridge.backend.handle('node:stop', {});
    await sendMessage(app, 'and now?');
    await expect(lastAnswer(app)).toContainText('to: and now?', { timeout: 30_000 });
    await expect(lastAnswer(app)).toContainText('trusted on first use');
    const calls = () => started.reduce((n, s) => n + s.calls, 0);
    expect(calls()).toBe(1);

    // A node with yet another key replaces it: nothing goes out until the user answers.
    await a.node.stop();
    const b = await foreign(second!);
    await sendMessage(app, 'this waits for me');
    const ask = app.getByRole('dialog', { name: /^The node key on .* changed$/ });
    await expect(ask).toBeVisible({ timeout: 30_000 });
    await expect(ask).toContainText('This key changed since you last trusted it.');
    await expect(ask).toContainText('Nothing has been sent yet.');
    await expect(ask.getByLabel('Offered node key fingerprint')).toHaveText(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    await expect(app.locator('.waiting__label')).toContainText('Waiting for you to confirm the node key');
    await shot(app, info, 'trust-prompt-key-changed');
    expect(b.calls).toBe(0);

    await ask.getByRole('button', { name: 'Don’t send' }).click();
    await expect(lastAnswer(app).getByRole('alert')).toContainText('You chose not to send to that node key, so nothing was sent.', { timeout: 15_000 });
    expect(b.calls).toBe(0);

    await lastAnswer(app).getByRole('button', { name: /Retry/ }).click();
    await expect(ask).toBeVisible({ timeout: 30_000 });
    await ask.getByRole('button', { name: 'Trust this key and send' }).click();
    await expect(lastAnswer(app)).toContainText('to: this waits for me', { timeout: 30_000 });
    await expect(lastAnswer(app)).toContainText('trusted by you');
    expect(b.calls).toBe(1);

    // The Servers dialog lists the three keys (this computer's node too) and the policy; trusted-only refuses without asking.
    await app.getByRole('button', { name: /^Server: / }).click();
    const dialog = app.getByRole('dialog', { name: 'Servers' });
    const known = dialog.getByRole('list', { name: /^Node keys seen on This computer/ });
    await expect(known.getByRole('listitem')).toHaveCount(3);
    await dialog.getByRole('combobox', { name: /not trusted on This computer/ }).selectOption('trusted-only');
    await known.getByRole('button', { name: /^Stop trusting node / }).first().click();
    await expect(known.getByRole('button', { name: /^Stop trusting node / })).toHaveCount(1);
    await shot(app, info, 'trust-servers-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await sendMessage(app, 'this must not be sent');
    const refused = lastAnswer(app).getByRole('alert');
    await expect(refused).toContainText('trusted keys only, so nothing was sent', { timeout: 30_000 });
    await expect(ask).toHaveCount(0);
    expect(b.calls).toBe(1);
  } finally {
    for (const s of started) await s.node.stop();
  }
});
