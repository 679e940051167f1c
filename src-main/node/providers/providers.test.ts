import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderAbortedError, ProviderError } from '../errors';
import { startFakeAnthropicServer } from '../../../test-support/node/fake-anthropic-server';
import { startFakeOpenAIServer } from '../../../test-support/node/fake-openai-server';
import type { FakeProviderServer } from '../../../test-support/node/fake-openai-server';
import { createAnthropicProvider, toAnthropicMessages } from './anthropic';
import { createDeterministicTestProvider } from './deterministic-test';
import { createOpenAICompatibleProvider, normaliseOpenAIBaseUrl } from './openai-compatible';
import type { ModelProvider, ProviderChatRequest } from './types';

const never = () => new AbortController().signal;
const baseReq = (over: Partial<ProviderChatRequest> = {}): ProviderChatRequest => ({
  model: 'test-model',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  maxTokens: 64,
  ...over,
});

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected a ProviderError');
}

describe('OpenAI-compatible provider (loopback server)', () => {
  let server: FakeProviderServer;
  let provider: ModelProvider;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ models: ['test-model', 'other'] });
    provider = createOpenAICompatibleProvider({ baseUrl: server.url, apiKey: 'sk-test', maxRetries: 0, timeoutMs: 2000 });
  });
  afterAll(() => server.close());
  const reset = () => server.resetBehaviour();

  it('discovers models via /v1/models', async () => {
    expect(await provider.listModels()).toEqual(['test-model', 'other']);
  });

  it('maps messages and every option, and returns content, usage and finish_reason', async () => {
    reset();
    const result = await provider.chat(
      baseReq({ temperature: 0.5, topP: 0.9, stop: ['END'], seed: 7, frequencyPenalty: 1, presencePenalty: -1, maxTokens: 99 }),
      never(),
    );
    expect(result.content).toBe('echo: Capital of France?');
    expect(result.finishReason).toBe('stop');
    expect(result.usage?.completionTokens).toBe(3);
    const body = server.calls.at(-1)!;
    expect(body).toMatchObject({
      model: 'test-model',
      max_tokens: 99,
      temperature: 0.5,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      frequency_penalty: 1,
      presence_penalty: -1,
      stream: false,
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    expect(server.authHeaders.at(-1)).toBe('Bearer sk-test');
  });

  it('omits options that were not given', async () => {
    reset();
    await provider.chat(baseReq(), never());
    const body = server.calls.at(-1)!;
    for (const key of ['temperature', 'top_p', 'stop', 'seed']) expect(body).not.toHaveProperty(key);
  });

  it('reports length finish', async () => {
    reset();
    server.behaviour.finishReason = 'length';
    expect((await provider.chat(baseReq(), never())).finishReason).toBe('length');
  });

  it('maps an unknown model (404) to compute_node_model_unsupported', async () => {
    reset();
    const err = await failure(provider.chat(baseReq({ model: 'nope' }), never()));
    expect(err.code).toBe('compute_node_model_unsupported');
  });

  it('maps a context-length error to compute_node_context_window_exceeded', async () => {
    reset();
    server.behaviour.contextLimitChars = 5;
    const err = await failure(provider.chat(baseReq(), never()));
    expect(err.code).toBe('compute_node_context_window_exceeded');
  });

  it.each([
    [500, 'compute_node_runtime_unavailable'],
    [503, 'compute_node_runtime_unavailable'],
    [429, 'compute_node_runtime_unavailable'],
    [401, 'compute_node_runtime_unavailable'],
    [400, 'compute_node_process_failed'],
  ])('maps HTTP %i to %s without leaking the body', async (status, code) => {
    reset();
    server.behaviour.fail = { status, body: { error: { message: 'secret provider detail', type: 'x' } } };
    const err = await failure(provider.chat(baseReq(), never()));
    expect(err.code).toBe(code);
    expect(err.message).not.toContain('secret');
    expect(err.reason).not.toContain('secret');
  });

  it('does not retry when maxRetries is 0', async () => {
    reset();
    server.behaviour.fail = { status: 503, body: { error: { message: 'down' } } };
    const before = server.calls.length;
    await failure(provider.chat(baseReq(), never()));
    expect(server.calls.length - before).toBe(1);
  });

  it('maps a slow answer beyond the timeout to compute_node_runtime_unavailable', async () => {
    reset();
    server.behaviour.delayMs = 1500;
    const err = await failure(provider.chat(baseReq({ timeoutMs: 200 }), never()));
    expect(err.code).toBe('compute_node_runtime_unavailable');
    expect(err.reason).toBe('provider_timeout');
  });

  it('answers slow calls within the timeout', async () => {
    reset();
    server.behaviour.delayMs = 150;
    expect((await provider.chat(baseReq(), never())).content).toContain('France');
  });

  it('calls the provider when the time a request has left is a fraction of a millisecond (the SDK wants an integer timeout)', async () => {
    reset();
    const before = server.calls.length;
    const leftOfDeadline = 1234.5678; // performance.now() arithmetic in handle-work.ts
    expect((await provider.chat(baseReq({ timeoutMs: leftOfDeadline }), never())).content).toContain('France');
    const fractionalLimit = createOpenAICompatibleProvider({ baseUrl: server.url, maxRetries: 0, timeoutMs: 600_000.25 });
    expect((await fractionalLimit.chat(baseReq(), never())).content).toContain('France');
    expect(server.calls.length).toBe(before + 2);
  });

  it('throws ProviderAbortedError when our signal aborts', async () => {
    reset();
    server.behaviour.delayMs = 1500;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(provider.chat(baseReq(), ac.signal)).rejects.toBeInstanceOf(ProviderAbortedError);
  });

  it('maps a refused connection to compute_node_runtime_unavailable', async () => {
    const dead = await startFakeOpenAIServer();
    const url = dead.url;
    await dead.close();
    const p = createOpenAICompatibleProvider({ baseUrl: url, maxRetries: 0, timeoutMs: 1000 });
    const err = await failure(p.chat(baseReq(), never()));
    expect(err.code).toBe('compute_node_runtime_unavailable');
    expect(err.reason).toBe('provider_unreachable');
    await expect(p.listModels()).rejects.toBeInstanceOf(ProviderError);
  });

  it('streams only for progress when streamProgress is on, returning one answer with usage', async () => {
    reset();
    server.behaviour.chunkDelayMs = 5;
    const streaming = createOpenAICompatibleProvider({ baseUrl: server.url, maxRetries: 0, timeoutMs: 2000, streamProgress: true });
    const progress: number[] = [];
    const result = await streaming.chat(baseReq({ onProgress: (p) => p.generatedTokens && progress.push(p.generatedTokens) }), never());
    server.behaviour.chunkDelayMs = 0;
    expect(result.content).toBe('echo: Capital of France?');
    expect(result.finishReason).toBe('stop');
    expect(result.usage?.completionTokens).toBe(3);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(server.calls.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // Errors before the stream starts map as usual.
    expect((await failure(streaming.chat(baseReq({ model: 'nope' }), never()))).code).toBe('compute_node_model_unsupported');
  });

  it('normalises bare origins to /v1', () => {
    expect(normaliseOpenAIBaseUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434/v1');
    expect(normaliseOpenAIBaseUrl('http://127.0.0.1:1234/v1/')).toBe('http://127.0.0.1:1234/v1');
    expect(normaliseOpenAIBaseUrl('https://api.openai.com/v1')).toBe('https://api.openai.com/v1');
  });
});

describe('Anthropic provider (loopback server)', () => {
  let server: FakeProviderServer;
  let provider: ModelProvider;
  beforeAll(async () => {
    server = await startFakeAnthropicServer({ models: ['claude-test'] });
    provider = createAnthropicProvider({ baseUrl: server.url, apiKey: 'ant-key', maxRetries: 0, timeoutMs: 2000 });
  });
  afterAll(() => server.close());
  const reset = () => server.resetBehaviour();

  it('discovers models', async () => {
    expect(await provider.listModels()).toEqual(['claude-test']);
  });

  it('maps system to `system`, stop to stop_sequences, sets max_tokens, merges same-role turns', async () => {
    reset();
    const result = await provider.chat(
      baseReq({
        model: 'claude-test',
        maxTokens: 77,
        stop: ['END'],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
          { role: 'system', content: 'Also polite.' },
        ],
      }),
      never(),
    );
    expect(result).toEqual({ content: 'echo: a\n\nb', finishReason: 'stop', usage: expect.objectContaining({ completionTokens: 3 }) });
    const body = server.calls.at(-1)!;
    expect(body).toMatchObject({ model: 'claude-test', max_tokens: 77, system: 'Be brief.\n\nAlso polite.', stop_sequences: ['END'] });
    expect(body.messages).toEqual([{ role: 'user', content: 'a\n\nb' }]);
    expect(server.authHeaders.at(-1)).toMatch(/^(Bearer )?ant-key$/);
  });

  it('calls the provider when the time a request has left is fractional', async () => {
    reset();
    const before = server.calls.length;
    expect((await provider.chat(baseReq({ model: 'claude-test', timeoutMs: 987.654 }), never())).content).toBe('echo: Capital of France?');
    expect(server.calls.length).toBe(before + 1);
  });

  it('maps stop_reason max_tokens to finish_reason length', async () => {
    reset();
    server.behaviour.finishReason = 'max_tokens';
    expect((await provider.chat(baseReq({ model: 'claude-test' }), never())).finishReason).toBe('length');
  });

  it('maps errors: 404 model, prompt too long, overloaded 529, timeout', async () => {
    reset();
    expect((await failure(provider.chat(baseReq({ model: 'nope' }), never()))).code).toBe('compute_node_model_unsupported');
    server.behaviour.contextLimitChars = 3;
    expect((await failure(provider.chat(baseReq({ model: 'claude-test' }), never()))).code).toBe('compute_node_context_window_exceeded');
    reset();
    server.behaviour.fail = { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
    expect((await failure(provider.chat(baseReq({ model: 'claude-test' }), never()))).code).toBe('compute_node_runtime_unavailable');
    reset();
    server.behaviour.delayMs = 1500;
    const err = await failure(provider.chat(baseReq({ model: 'claude-test', timeoutMs: 200 }), never()));
    expect(err.reason).toBe('provider_timeout');
  });

  it('maps the message list shape', () => {
    expect(toAnthropicMessages([{ role: 'user', content: 'x' }])).toEqual({ messages: [{ role: 'user', content: 'x' }] });
  });
});

describe('deterministic test provider', () => {
  it('derives the answer from the prompt and honours max tokens and stop', async () => {
    const p = createDeterministicTestProvider({ models: ['test-model'] });
    expect((await p.chat(baseReq(), never())).content).toBe('Test answer (2 messages) to: Capital of France?');
    const short = await p.chat(baseReq({ maxTokens: 2 }), never());
    expect(short).toMatchObject({ content: 'Test answer ', finishReason: 'length' });
    expect((await p.chat(baseReq({ stop: ['(2'] }), never())).content).toBe('Test answer ');
  });

  it('paces tokens, reports progress, aborts and fails on demand', async () => {
    const p = createDeterministicTestProvider({ models: ['test-model'], tokenDelayMs: 5 });
    const phases: string[] = [];
    await p.chat(baseReq({ onProgress: (x) => phases.push(x.phase) }), never());
    expect(phases[0]).toBe('prefill');
    expect(phases.filter((x) => x === 'generating').length).toBeGreaterThan(3);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 12);
    await expect(p.chat(baseReq(), ac.signal)).rejects.toBeInstanceOf(ProviderAbortedError);
    p.setFailure('compute_node_runtime_unavailable');
    expect((await failure(p.chat(baseReq(), never()))).code).toBe('compute_node_runtime_unavailable');
    await expect(p.listModels()).rejects.toBeInstanceOf(ProviderError);
    p.setFailure(null);
    expect(await p.listModels()).toEqual(['test-model']);
    expect(p.stats.aborted).toBe(1);
  });
});
