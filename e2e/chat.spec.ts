// Chatting through the real backend: embedded relay + compute node (deterministic test provider).
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { shot } from './support/shots';

const markdownAnswer = (req: { messages: { role: string; content: string }[] }) => {
  const last = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return `You asked: **${last}** (${req.messages.length} messages)\n\n\`\`\`python\ndef answer():\n    return 42\n\`\`\``;
};

test.describe('send and receive', () => {
  test.use({ bridgeOptions: { provider: { answer: markdownAnswer, tokenDelayMs: 2 } } });

  test('sends a message and shows the encrypted answer with its facts', async ({ app }, info) => {
    await newChat(app);
    await sendMessage(app, 'What is the answer?');
    await expect(app.locator('article.msg--user').last()).toContainText('What is the answer?');
    const answer = lastAnswer(app);
    await expect(answer).toContainText('You asked: What is the answer? (1 messages)');
    await expect(answer.locator('pre code.hljs')).toContainText('def answer():');
    await expect(answer.getByRole('button', { name: 'Copy code' })).toBeVisible();
    const facts = answer.getByRole('list', { name: 'How this answer was delivered' });
    // The embedded relay lists our node's aead-v1 in servers/next (§10.6), so the first answer is already authenticated.
    await expect(facts).toContainText('aead-v1 · authenticated');
    await expect(facts).toContainText('deterministic-test');
    const fingerprint = facts.locator('li.fact--mono');
    await expect(fingerprint).toHaveText(/node [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}$/);
    await expect(fingerprint).toHaveAttribute('title', /Node key fingerprint \(SHA-256\): ([0-9A-F]{4} ){15}[0-9A-F]{4}/);
    await expect(app.getByRole('img', { name: /End-to-end encrypted/ })).toBeVisible();
    await expect(app.getByTestId('live-region')).toContainText('Answer: You asked: What is the answer?');
    // The title comes from the first message and the conversation moved to the top of the list.
    await expect(app.getByRole('navigation', { name: 'Conversations' }).locator('.conv-item').first()).toContainText('What is the answer?');

    await answer.getByRole('button', { name: 'Copy code' }).click();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('def answer():\n    return 42\n');
    await shot(app, info, 'send-and-receive');
  });

  test('regenerates the last answer and edits a past message', async ({ app }, info) => {
    await newChat(app);
    await sendMessage(app, 'first question');
    await expect(lastAnswer(app)).toContainText('You asked: first question (1 messages)');
    await sendMessage(app, 'second question');
    await expect(lastAnswer(app)).toContainText('You asked: second question (3 messages)');

    await lastAnswer(app).getByRole('button', { name: 'Regenerate this answer' }).click();
    await expect(lastAnswer(app)).toContainText('You asked: second question (3 messages)');
    await expect(app.locator('article.msg')).toHaveCount(4);

    const first = app.locator('article.msg--user').first();
    await first.hover();
    await first.getByRole('button', { name: 'Edit this message and resend' }).click();
    const editor = app.getByRole('textbox', { name: 'Edit your message' });
    await editor.fill('first question, edited');
    await app.getByRole('button', { name: 'Save and resend' }).click();
    await expect(lastAnswer(app)).toContainText('You asked: first question, edited (1 messages)');
    await expect(app.locator('article.msg')).toHaveCount(2);
    await expect(app.getByText('second question')).toHaveCount(0);
    await shot(app, info, 'regenerate-and-edit');
  });

  test('keeps a per-conversation system prompt and model choice', async ({ app, bridge }) => {
    await newChat(app);
    await app.getByRole('button', { name: 'Set a system prompt' }).click();
    const dialog = app.getByRole('dialog', { name: 'System prompt' });
    await dialog.getByRole('textbox').fill('Answer like a pirate.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(app.getByRole('button', { name: 'Edit the system prompt (set)' })).toBeVisible();
    await app.getByRole('combobox', { name: 'Model' }).selectOption('deterministic-test');
    await app.getByRole('combobox', { name: 'Context size' }).selectOption('8k-fast');
    await sendMessage(app, 'ahoy');
    // The system prompt travels as one more message.
    await expect(lastAnswer(app)).toContainText('You asked: ahoy (2 messages)');
    const [summary] = (await bridge.backend.handle('conversations:list', {})) as { id: string }[];
    const stored = (await bridge.backend.handle('conversations:get', { id: summary!.id })) as { systemPrompt: string; model: string; contextTier: string };
    expect(stored).toMatchObject({ systemPrompt: 'Answer like a pirate.', model: 'deterministic-test', contextTier: '8k-fast' });
  });
});

test.describe('stop', () => {
  // A long, slow answer (about 100 s) so only a real cancel can end the node's work early.
  // 2 s before the first token: the waiting row (shown until text arrives) is there to check and
  // to photograph even on a loaded machine; the node holds the work all along.
  test.use({ bridgeOptions: { provider: { delayMs: 2000, tokenDelayMs: 400, answer: () => 'word '.repeat(300) } } });

  test('stops an answer in flight and the cancel reaches the node through the relay', async ({ app, bridge }, info) => {
    await newChat(app);
    await sendMessage(app, 'tell me a very long story');
    const stop = app.getByRole('button', { name: 'Stop' });
    await expect(stop).toBeVisible();
    await expect(app.locator('.waiting__label')).toBeVisible();
    await expect(app.locator('.waiting__elapsed')).toHaveText(/^\ds$/);
    await shot(app, info, 'waiting');
    const nodeStatus = async () => (await bridge.backend.handle('node:status', {})) as { inFlight: number; served: number };
    await expect.poll(async () => (await nodeStatus()).inFlight, { timeout: 15_000 }).toBe(1);
    await stop.click();
    await expect(lastAnswer(app)).toContainText('Stopped before the answer was finished.');
    await expect(app.getByRole('button', { name: 'Send message' })).toBeVisible();
    await expect(app.getByTestId('live-region')).toContainText('Stopped.');
    // The node dropped the work long before the answer could have finished.
    await expect.poll(async () => (await nodeStatus()).inFlight, { timeout: 20_000 }).toBe(0);
    await shot(app, info, 'stopped');
  });
});

test.describe('waiting', () => {
  test.use({ bridgeOptions: { provider: { delayMs: 2500, tokenDelayMs: 100 } } });

  test('shows each phase, the prefill bar and the elapsed time', async ({ app }, info) => {
    await newChat(app);
    // Record every distinct waiting state the page shows.
    await app.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      new MutationObserver(() => {
        const label = document.querySelector('.waiting__label')?.textContent;
        if (!label) return;
        const bar = document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow');
        const state = bar ? `${label} [${bar}%]` : label;
        if (seen.at(-1) !== state) seen.push(state);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await sendMessage(app, 'show me the phases');
    await expect(app.getByRole('progressbar', { name: 'Reading the conversation' })).toBeVisible({ timeout: 20_000 });
    await expect(app.locator('.waiting__elapsed')).toHaveText(/^[1-9]s$/);
    await shot(app, info, 'waiting-prefill');
    await expect(lastAnswer(app)).toContainText('Test answer (1 messages) to: show me the phases', { timeout: 30_000 });
    const seen = await app.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
    expect(seen[0]).toBe('Finding a node…');
    expect(seen.some((s) => /^Reading the conversation… \d+% \[\d+%\]$/.test(s))).toBe(true);
    expect(seen.some((s) => s.startsWith('Writing the answer…'))).toBe(true);
  });
});
