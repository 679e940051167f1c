// The `local` provider on the real engine with the tiny generated GGUF: the Model Manager's
// request in, the engine's answer out, engine failures as §5.4 node codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../../test-support/node/tiny-gguf';
import { ProviderAbortedError, ProviderError } from '../../errors';
import { createProvider } from '../create-provider';
import type { ProviderChatRequest, ProviderProgress } from '../types';
import { LocalEngine, createLocalProvider, isLocalEngineError, localModelName, mapLocalEngineError, type LocalProvider } from './index';

const FAST = { contextSize: 256, threads: 1, batchSize: 32 };
const never = () => new AbortController().signal;

let dir: string;
let modelPath: string;
let provider: LocalProvider;

function request(over: Partial<ProviderChatRequest> = {}): ProviderChatRequest {
  return { model: 'tiny', messages: [{ role: 'user', content: 'Hello there, model.' }], maxTokens: 8, temperature: 0.8, seed: 7, ...over };
}

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-local-provider-'));
  modelPath = join(dir, 'tiny-chat.gguf');
  await writeTinyGguf(modelPath, { seed: 3 });
  provider = createLocalProvider({ modelFile: modelPath, ...FAST }, new LocalEngine({ gpu: 'cpu', idleUnloadMs: 0, batchSize: FAST.batchSize }));
});

afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the local provider', () => {
  it('names its model after the file and shows only the file name', async () => {
    expect(provider.id).toBe('local:tiny-chat.gguf');
    expect(provider.modelName).toBe('tiny-chat');
    expect(await provider.listModels()).toEqual(['tiny-chat']);
    expect(localModelName('/models/Qwen2.5-0.5B.Q4_K_M.GGUF')).toBe('Qwen2.5-0.5B.Q4_K_M');
  });

  it('loads on open with the configured context and threads, and answers with usage and progress', async () => {
    await provider.open();
    const info = await provider.load();
    expect(info).toMatchObject({ contextSize: 256, threads: 1, backend: 'cpu', path: modelPath });
    const progress: ProviderProgress[] = [];
    const result = await provider.chat(request({ onProgress: (p) => progress.push(p) }), never());
    expect(result.content.length).toBeGreaterThan(0);
    expect(result.finishReason).toMatch(/^(stop|length)$/);
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    expect(result.usage?.totalTokens).toBe((result.usage?.promptTokens ?? 0) + (result.usage?.completionTokens ?? 0));
    expect(progress[0]).toEqual({ phase: 'prefill', promptTokens: result.usage?.promptTokens, processedPromptTokens: 0 });
    const generating = progress.filter((p) => p.phase === 'generating').map((p) => p.generatedTokens);
    expect(generating.length).toBeGreaterThan(0);
    expect(generating).toEqual(generating.map((_, i) => i + 1));
  });

  it('streams: onDelta gets the answer in pieces, in order, that add up to the content', async () => {
    const deltas: string[] = [];
    const result = await provider.chat(request({ maxTokens: 12, seed: 5, onDelta: (t) => void deltas.push(t) }), never());
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((d) => d.length > 0)).toBe(true);
    expect(deltas.join('')).toBe(result.content);
  });

  it('passes the request options on: the same seed gives the same answer, a stop sequence ends it', async () => {
    const a = await provider.chat(request({ maxTokens: 6, seed: 99 }), never());
    const b = await provider.chat(request({ maxTokens: 6, seed: 99 }), never());
    expect(b.content).toBe(a.content);
    const first = a.content.trim().slice(0, 1);
    expect(first).not.toBe('');
    const stopped = await provider.chat(request({ maxTokens: 6, seed: 99, stop: [first] }), never());
    expect(stopped.content).not.toContain(first);
    const greedy = await provider.chat(request({ maxTokens: 4, temperature: 0 }), never());
    expect(greedy.usage?.completionTokens).toBeLessThanOrEqual(4);
  });

  it('reports compute_node_context_window_exceeded from the tokenizer', async () => {
    const long = [{ role: 'user' as const, content: 'The quick brown fox jumps over the lazy dog. '.repeat(40) }];
    const err = await providerError(provider.chat(request({ messages: long }), never()));
    expect(err).toMatchObject({ code: 'compute_node_context_window_exceeded', reason: 'local_engine_context_window_exceeded', retryable: false });
  });

  it('refuses options the engine cannot honour as compute_node_options_unsupported', async () => {
    const err = await providerError(provider.chat(request({ topP: 5 }), never()));
    expect(err).toMatchObject({ code: 'compute_node_options_unsupported', reason: 'local_engine_invalid_options' });
  });

  it('stops on cancel with ProviderAbortedError, and on its own deadline as a retryable timeout', async () => {
    const controller = new AbortController();
    const running = provider.chat(request({ maxTokens: 200, onProgress: (p) => p.phase === 'generating' && controller.abort() }), controller.signal);
    await expect(running).rejects.toBeInstanceOf(ProviderAbortedError);
    const err = await providerError(provider.chat(request({ maxTokens: 200, timeoutMs: 1 }), never()));
    expect(err).toMatchObject({ code: 'compute_node_runtime_unavailable', reason: 'provider_timeout', retryable: true });
    // The engine is free again afterwards.
    expect((await provider.chat(request({ maxTokens: 2 }), never())).content).toBeDefined();
  });

  it('loads the model again after close', async () => {
    await provider.close();
    const result = await provider.chat(request({ maxTokens: 2 }), never());
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
  });

  it('fails open with the engine’s own error and chat with a node code for a missing or broken file', async () => {
    const missing = createLocalProvider({ modelFile: join(dir, 'missing.gguf'), ...FAST });
    const opened = await missing.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLocalEngineError(opened, 'local_engine_model_not_found')).toBe(true);
    expect(await providerError(missing.chat(request(), never()))).toMatchObject({
      code: 'compute_node_runtime_unavailable',
      reason: 'local_engine_model_not_found',
      retryable: false,
    });
    const junk = join(dir, 'junk.gguf');
    await writeFile(junk, 'not a model');
    const broken = createLocalProvider({ modelFile: junk, ...FAST });
    expect(await providerError(broken.chat(request(), never()))).toMatchObject({ reason: 'local_engine_model_invalid' });
    await Promise.all([missing.close(), broken.close()]);
  });

  it('maps unknown failures without their text, and our own abort first', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(mapLocalEngineError(new Error('secret prompt text'), aborted.signal, false)).toBeInstanceOf(ProviderAbortedError);
    const unknown = mapLocalEngineError(new Error('secret prompt text'), never(), false);
    expect(unknown).toMatchObject({ code: 'compute_node_internal_error', reason: 'local_engine_error' });
    expect(unknown.message).not.toContain('secret');
  });

  it('is built by createProvider, which needs the model file', () => {
    expect(createProvider({ kind: 'local', modelFile: modelPath }).id).toBe('local:tiny-chat.gguf');
    expect(() => createProvider({ kind: 'local' })).toThrow('modelFile is required');
  });
});
