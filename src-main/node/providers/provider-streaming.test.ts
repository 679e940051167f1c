// Every provider streams (§11): onDelta gets the answer's text in order as it is produced, the
// pieces add up to the returned content, and a promise onDelta returns holds the provider back.
// OpenAI-compatible and Anthropic run against loopback servers speaking their real SSE formats,
// parsed by the official SDKs.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer } from '../../../test-support/node/fake-anthropic-server';
import { startFakeOpenAIServer, type FakeProviderServer } from '../../../test-support/node/fake-openai-server';
import { ProviderAbortedError, ProviderError } from '../errors';
import { createAnthropicProvider } from './anthropic';
import { createDeterministicTestProvider } from './deterministic-test';
import { createOpenAICompatibleProvider } from './openai-compatible';
import type { ModelProvider, ProviderChatRequest } from './types';

const never = () => new AbortController().signal;
const ANSWER = 'one two three four five six';

function request(model: string, over: Partial<ProviderChatRequest> = {}): ProviderChatRequest {
  return { model, messages: [{ role: 'user', content: 'Count.' }], maxTokens: 64, ...over };
}

/** Records the deltas with the time each arrived. */
function recorder() {
  const deltas: { text: string; at: number }[] = [];
  return { deltas, onDelta: (text: string) => void deltas.push({ text, at: performance.now() }) };
}

describe.each([
  ['OpenAI-compatible', startFakeOpenAIServer, (url: string) => createOpenAICompatibleProvider({ baseUrl: url, maxRetries: 0, timeoutMs: 5000 }), 'test-model', 'stop'],
  ['Anthropic', startFakeAnthropicServer, (url: string) => createAnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: url, maxRetries: 0, timeoutMs: 5000 }), 'claude-test', 'end_turn'],
] as const)('%s provider streaming (loopback SSE)', (_name, startServer, createWith, model, doneReason) => {
  let server: FakeProviderServer;
  let provider: ModelProvider;
  beforeAll(async () => {
    server = await startServer({ models: [model] });
    provider = createWith(server.url);
  });
  afterAll(() => server.close());

  it('calls onDelta per text delta, in order, and still returns the whole answer with usage', async () => {
    server.resetBehaviour();
    server.behaviour.answer = () => ANSWER;
    server.behaviour.finishReason = doneReason;
    const rec = recorder();
    const result = await provider.chat(request(model, { onDelta: rec.onDelta }), never());
    expect(server.calls.at(-1)).toMatchObject({ stream: true });
    expect(rec.deltas.map((d) => d.text)).toEqual(['one ', 'two ', 'three ', 'four ', 'five ', 'six']);
    expect(result.content).toBe(ANSWER);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ completionTokens: 3 });
    expect(result.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('delivers deltas as they are generated, not all at the end', async () => {
    server.resetBehaviour();
    server.behaviour.answer = () => ANSWER;
    server.behaviour.chunkDelayMs = 40;
    const rec = recorder();
    const started = performance.now();
    await provider.chat(request(model, { onDelta: rec.onDelta }), never());
    const ended = performance.now();
    expect(rec.deltas).toHaveLength(6);
    // The first delta arrives long before the answer is complete (5 pauses of 40 ms follow it).
    expect(rec.deltas[0]!.at - started).toBeLessThan(ended - started - 120);
  });

  it('waits for a promise onDelta returns (back-pressure) before it takes the next delta', async () => {
    server.resetBehaviour();
    server.behaviour.answer = () => ANSWER;
    const order: string[] = [];
    await provider.chat(
      request(model, {
        onDelta: async (text) => {
          order.push(`start ${text.trim()}`);
          await new Promise((r) => setTimeout(r, 5));
          order.push(`end ${text.trim()}`);
        },
      }),
      never(),
    );
    expect(order.slice(0, 4)).toEqual(['start one', 'end one', 'start two', 'end two']);
    expect(order).toHaveLength(12);
  });

  it('maps an error event in the middle of the stream to a provider error, after the deltas before it', async () => {
    server.resetBehaviour();
    server.behaviour.answer = () => ANSWER;
    server.behaviour.streamError = true;
    const rec = recorder();
    const err = await provider.chat(request(model, { onDelta: rec.onDelta }), never()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('compute_node_runtime_unavailable');
    expect(rec.deltas.map((d) => d.text).join('')).toBe(ANSWER);
  });

  it('stops when the signal aborts mid-stream', async () => {
    server.resetBehaviour();
    server.behaviour.answer = () => ANSWER;
    server.behaviour.chunkDelayMs = 30;
    const ac = new AbortController();
    const rec = recorder();
    const call = provider.chat(request(model, { onDelta: (t) => (rec.onDelta(t), rec.deltas.length === 2 ? ac.abort() : undefined) }), ac.signal);
    await expect(call).rejects.toBeInstanceOf(ProviderAbortedError);
    expect(rec.deltas.length).toBeLessThan(6);
  });
});

describe('deterministic test provider streaming', () => {
  it('streams its answer word by word, the pieces adding up to the content', async () => {
    const p = createDeterministicTestProvider({ models: ['m'] });
    const rec = recorder();
    const result = await p.chat(request('m', { onDelta: rec.onDelta }), never());
    expect(result.content).toBe('Test answer (1 messages) to: Count.');
    expect(rec.deltas.map((d) => d.text)).toEqual(['Test ', 'answer ', '(1 ', 'messages) ', 'to: ', 'Count.']);
  });

  it('keeps a fixed token rate after the first-token delay, and answerTokens sets the length', async () => {
    const p = createDeterministicTestProvider({ models: ['m'], delayMs: 60, tokensPerSecond: 100, answerTokens: 20 });
    const rec = recorder();
    const started = performance.now();
    const result = await p.chat(request('m', { onDelta: rec.onDelta }), never());
    expect(rec.deltas).toHaveLength(20);
    expect(result.usage?.completionTokens).toBe(20);
    expect(result.content).toBe(rec.deltas.map((d) => d.text).join(''));
    const first = rec.deltas[0]!.at - started;
    expect(first).toBeGreaterThanOrEqual(59);
    // 19 intervals of 10 ms on a fixed schedule: not before 190 ms after the first token.
    const span = rec.deltas.at(-1)!.at - rec.deltas[0]!.at;
    expect(span).toBeGreaterThanOrEqual(189);
    expect(span).toBeLessThan(190 + 400); // generous: the machine is shared
  });

  it('honours max tokens with answerTokens (finish reason length) and awaits onDelta', async () => {
    const p = createDeterministicTestProvider({ models: ['m'], answerTokens: 50 });
    let inDelta = 0;
    let overlapped = false;
    const result = await p.chat(
      request('m', {
        maxTokens: 10,
        onDelta: async () => {
          inDelta += 1;
          if (inDelta > 1) overlapped = true;
          await new Promise((r) => setTimeout(r, 1));
          inDelta -= 1;
        },
      }),
      never(),
    );
    expect(result.finishReason).toBe('length');
    expect(result.usage?.completionTokens).toBe(10);
    expect(overlapped).toBe(false);
  });
});
