// Pinning a node key: pin the node that answered, restart the node from the Servers dialog (a
// restarted node has a new key), ask again and see the warning; then the refuse mode.
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { shot } from './support/shots';

test.use({ bridgeOptions: { provider: { tokenDelayMs: 2 } } });

test('pin a node, restart it, and the next answer warns that its key changed', async ({ app }, info) => {
  await newChat(app);
  await sendMessage(app, 'who are you?');
  await expect(lastAnswer(app)).toContainText('Test answer (1 messages) to: who are you?');
  const firstKey = await lastAnswer(app).locator('.fact--mono').textContent();

  const pin = lastAnswer(app).getByRole('button', { name: 'Pin this node' });
  await expect(pin).toHaveAttribute('aria-pressed', 'false');
  await pin.focus();
  await app.keyboard.press('Enter');
  await expect(lastAnswer(app).getByRole('button', { name: 'Pinned' })).toHaveAttribute('aria-pressed', 'true');

  // Restart this computer's node from the Servers dialog: it comes back with a new key.
  await app.getByRole('button', { name: /^Server: / }).click();
  const dialog = app.getByRole('dialog', { name: 'Servers' });
  const known = dialog.getByRole('list', { name: 'Node keys seen on This computer (built-in relay)' });
  await expect(known.getByRole('listitem')).toHaveCount(1);
  await expect(known.getByRole('button', { name: /^Unpin node / })).toHaveAttribute('aria-pressed', 'true');
  await dialog.getByRole('button', { name: 'Stop node' }).click();
  await expect(dialog.getByRole('button', { name: 'Start node' })).toBeEnabled({ timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Start node' }).click();
  await expect(dialog.getByText('Serving', { exact: true })).toBeVisible({ timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByRole('button', { name: /^Server: .*1 node/ })).toBeVisible({ timeout: 15_000 });

  await sendMessage(app, 'still you?');
  await expect(lastAnswer(app)).toContainText('Test answer (3 messages) to: still you?', { timeout: 30_000 });
  const warning = lastAnswer(app).getByRole('note', { name: 'Node key changed' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('This answer came from a node key you did not pin.');
  await expect(warning).toContainText('A node also gets a new key when it restarts.');
  const secondKey = await lastAnswer(app).locator('.fact--mono').textContent();
  expect(secondKey).not.toBe(firstKey);
  await expect(app.getByRole('img', { name: /node key changed/i })).toBeVisible();
  await expect(lastAnswer(app).getByRole('button', { name: 'Pin this node' })).toBeVisible();
  await shot(app, info, 'pinning-key-changed');

  // Refuse mode: the pinned (old) key is required; after another restart nothing is sent.
  await app.getByRole('button', { name: /^Server: / }).click();
  await expect(known.getByRole('listitem')).toHaveCount(2);
  await dialog.getByRole('combobox', { name: /When another node key answers/ }).selectOption('require');
  await expect(dialog.getByRole('combobox', { name: /When another node key answers/ })).toHaveValue('require');
  await shot(app, info, 'pinning-servers-dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await sendMessage(app, 'this must not be sent');
  const refused = lastAnswer(app).getByRole('alert');
  await expect(refused).toContainText('no longer answering with the same key', { timeout: 30_000 });
  await expect(refused).toContainText(/nothing was sent/i);
});
