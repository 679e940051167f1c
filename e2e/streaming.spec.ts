// A streamed answer in the real window (§11.7) through the real backend: the built-in relay's
// stream routes, this computer's node with the test provider writing a word every 60 ms, the
// client opening each aead-v1 chunk. The answer visibly grows; Stop keeps what arrived; the facts
// say how it was written.
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';

const WORDS = Array.from({ length: 60 }, (_, i) => `word${i + 1}`);
const longAnswer = () => `A **streamed** answer:\n\n${WORDS.slice(0, 30).join(' ')}\n\n${WORDS.slice(30).join(' ')} end.`;

const visibleText = async (answer: ReturnType<typeof lastAnswer>) => (await answer.locator('.msg__body').innerText()).length;

test.describe('a streamed answer', () => {
  test.use({ bridgeOptions: { provider: { answer: longAnswer, tokenDelayMs: 60 } } });

  test('grows as it is written, then shows how it was written', async ({ app }, info) => {
    await newChat(app);
    await sendMessage(app, 'Stream to me');
    const answer = lastAnswer(app);
    await expect(answer).toHaveAttribute('aria-busy', 'true');
    await expect(answer).toContainText('word3');
    await expect(answer.getByText('Writing…')).toBeVisible();
    await expect(answer.locator('strong')).toHaveText('streamed');
    const early = await visibleText(answer);
    await shot(app, info, 'streaming-early');
    await expect(answer).toContainText('word35');
    const later = await visibleText(answer);
    await shot(app, info, 'streaming-later');
    expect(later).toBeGreaterThan(early);
    // Streamed text is not read out word by word; the live region has not said "Answer" yet.
    await expect(app.getByTestId('live-region')).not.toContainText('word35');
    await scan(app, info, 'streaming');

    await expect(answer).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
    await expect(answer).toContainText('word60 end.');
    const facts = answer.getByRole('list', { name: 'How this answer was delivered' });
    await expect(facts).toContainText('aead-v1');
    await expect(facts).toContainText(/first text \d+ ms|first text \d+(\.\d)? s/);
    await expect(facts).toContainText(/\d+ tokens\b/);
    await expect(facts).toContainText(/tokens\/s/);
    await expect(facts).toContainText('finished');
    await expect(app.getByTestId('live-region')).toContainText('Answer: A streamed answer:');
    await shot(app, info, 'streaming-done');
  });

  test('Stop mid-stream keeps the text that arrived, marked stopped', async ({ app }, info) => {
    await newChat(app);
    await sendMessage(app, 'Stream and be interrupted');
    const answer = lastAnswer(app);
    await expect(answer).toContainText('word5');
    await app.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(answer).toContainText('Stopped before the answer was finished.');
    await expect(answer).toContainText('word5');
    await expect(answer).not.toContainText('word60 end.');
    const kept = await answer.locator('.markdown').first().innerText();
    // After a reload from storage the partial answer is still there.
    await app.reload();
    await app.getByRole('navigation', { name: 'Conversations' }).locator('.conv-item').first().click();
    await expect(lastAnswer(app)).toContainText(kept.split('\n')[0]!);
    await expect(lastAnswer(app)).toContainText('Stopped before the answer was finished.');
    await shot(app, info, 'streaming-stopped');
  });
});
