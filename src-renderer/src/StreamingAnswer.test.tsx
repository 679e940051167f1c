// A streamed answer in the window (§11.7): it grows in place, once per animation frame; a stop
// keeps what arrived; only the end is announced; the facts say how it was written.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';
import { stableCut } from './lib/stream-split';
import { answerStats } from './lib/answer-stats';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });
const frame = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 40)));

describe('a streamed answer', () => {
  it('grows as deltas arrive, batches them per frame, and the stored answer replaces it', async () => {
    const fake = installFake({ answers: 'manual' });
    fake.seed('Stream', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Stream' });
    await user.type(composer(), 'Tell me{Enter}');
    const id = [...fake.state.inFlight.keys()][0]!;

    act(() => {
      fake.delta(id, 'The **first**');
      fake.delta(id, ' part');
    });
    await frame();
    const answer = screen.getByRole('article', { name: 'Answer on its way' });
    expect(answer).toHaveTextContent('The first part');
    expect(answer.querySelector('strong')).toHaveTextContent('first');
    expect(answer).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Writing…')).toBeInTheDocument();
    // Deltas are not read out one by one.
    expect(screen.getByTestId('live-region')).not.toHaveTextContent('first part');

    act(() => fake.delta(id, '.\n\nA second paragraph'));
    await frame();
    expect(answer.querySelectorAll('p').length).toBeGreaterThanOrEqual(2);
    expect(answer).toHaveTextContent('A second paragraph');

    act(() => fake.answer(id, 'The **first** part.\n\nA second paragraph.', { delivery: 'chunks', firstTextMs: 420, elapsedMs: 2420, usage: { promptTokens: 3, completionTokens: 40, totalTokens: 43 }, finishReason: 'length' }));
    const done = await screen.findByRole('article', { name: 'Answer' });
    expect(done).toHaveTextContent('A second paragraph.');
    const facts = screen.getByRole('list', { name: 'How this answer was delivered' });
    expect(facts).toHaveTextContent('first text 420 ms');
    expect(facts).toHaveTextContent('40 tokens');
    expect(facts).toHaveTextContent('20 tokens/s');
    expect(facts).toHaveTextContent('stopped at the output limit');
    expect(screen.getByTestId('live-region')).toHaveTextContent('Answer: The first part. A second paragraph.');
  });

  it('a snapshot replaces the text so far; a stop keeps what arrived, marked stopped', async () => {
    const fake = installFake({ answers: 'manual' });
    fake.seed('Stop me', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Stop me' });
    await user.type(composer(), 'Go{Enter}');
    const id = [...fake.state.inFlight.keys()][0]!;
    act(() => fake.delta(id, 'Draft', true));
    act(() => fake.delta(id, 'Draft that grew', true));
    await frame();
    expect(screen.getByRole('article', { name: 'Answer on its way' })).toHaveTextContent('Draft that grew');
    expect(screen.queryByText('DraftDraft that grew')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await screen.findByText('Stopped before the answer was finished.');
    expect(screen.getByRole('article', { name: 'Answer' })).toHaveTextContent('Draft that grew');
  });

  it('text of an answer that already ended is not shown again', async () => {
    const fake = installFake({ answers: 'manual' });
    fake.seed('Late', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Late' });
    await user.type(composer(), 'Hi{Enter}');
    const id = [...fake.state.inFlight.keys()][0]!;
    const answerId = fake.state.inFlight.get(id)!;
    act(() => fake.answer(id, 'Final.'));
    await screen.findByText('Final.');
    act(() => fake.emit('events:chat', { type: 'delta', conversationId: id, answerId, text: ' late', snapshot: false, elapsedMs: 1 }));
    await frame();
    await waitFor(() => expect(screen.getByRole('article', { name: 'Answer' }).querySelector('.markdown')).toHaveTextContent(/^Final\.$/));
    expect(screen.queryByText(/late/)).toBeNull();
  });
});

describe('stableCut', () => {
  it('cuts after the last paragraph break outside a code fence, never inside the last line', () => {
    expect(stableCut('one line')).toBe(0);
    expect(stableCut('para one\n\npara two')).toBe('para one\n\n'.length);
    expect(stableCut('a\n\nb\n\nc')).toBe('a\n\nb\n\n'.length);
    const fenced = 'intro\n\n```js\nconst a = 1;\n\nconst b = 2;';
    expect(stableCut(fenced)).toBe('intro\n\n'.length); // the blank line inside the open fence is no cut
    expect(stableCut('- item\n\n  continued')).toBe(0); // an indented line may continue the list item
  });
});

describe('answerStats', () => {
  const meta = {
    model: 'm',
    relayUrl: 'http://127.0.0.1:1',
    serverId: 's',
    nodeFingerprint: 'f',
    nodeKeyChanged: false,
    encryption: { symmetric: 'AES-256-GCM' as const, requestWrap: 'RSA-OAEP-SHA256' as const, replyWrap: 'RSA-OAEP-SHA256' as const },
    elapsedMs: 3000,
  };
  it('rates a streamed answer over its writing time and a whole one over the wait, in words', () => {
    const streamed = answerStats({ ...meta, delivery: 'chunks', firstTextMs: 1000, usage: { promptTokens: 1, completionTokens: 50, totalTokens: 51 }, finishReason: 'stop' });
    expect(streamed.map((s) => s.text)).toEqual(['first text 1.0 s', '50 tokens', '25 tokens/s', 'finished']);
    const whole = answerStats({ ...meta, delivery: 'whole', firstTextMs: 3000, usage: { promptTokens: 1, completionTokens: 6, totalTokens: 7 }, finishReason: 'weird_reason' });
    expect(whole.map((s) => s.text)).toEqual(['first text 3.0 s', '6 tokens', '2.0 tokens/s', 'finished (weird_reason)']);
    expect(answerStats(meta)).toEqual([]); // an answer stored before streaming has none of these facts
  });
});
