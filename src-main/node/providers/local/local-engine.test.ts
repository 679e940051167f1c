// The built-in engine on the real node-llama-cpp with the tiny generated GGUF (random weights:
// the text is gibberish, the plumbing is real).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../../test-support/node/tiny-gguf';
import { LocalEngine, chooseContextSize, chooseThreads, isLocalEngineError, type EngineChatRequest, type LocalEngineErrorCode } from './index';

const FAST = { contextSize: 512, threads: 1, batchSize: 32 };
const USER = [{ role: 'user' as const, content: 'Hello, how are you today?' }];

let dir: string;
let modelPath: string;
let otherModelPath: string;
let engine: LocalEngine;

async function expectCode(promise: Promise<unknown>, code: LocalEngineErrorCode): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLocalEngineError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return err as Error;
}

function request(over: Partial<EngineChatRequest> = {}): EngineChatRequest {
  return { messages: USER, maxTokens: 12, temperature: 0.8, seed: 42, ...over };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-local-engine-'));
  modelPath = join(dir, 'tiny.gguf');
  otherModelPath = join(dir, 'tiny-2.gguf');
  await writeTinyGguf(modelPath, { seed: 1 });
  await writeTinyGguf(otherModelPath, { seed: 2, name: 'tiny-two' });
  engine = new LocalEngine({ gpu: 'cpu', idleUnloadMs: 0, ...FAST });
});

afterAll(async () => {
  await engine?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('LocalEngine with the tiny GGUF', () => {
  it('loads the file and reports its template, context, threads and back end', async () => {
    const info = await engine.load(modelPath);
    expect(info).toMatchObject({
      path: modelPath,
      name: 'tiny-random-llama',
      architecture: 'llama',
      trainContextSize: 2048,
      contextSize: 512,
      threads: 1,
      batchSize: 32,
      backend: 'cpu',
      gpuLayers: 0,
      chatWrapper: 'ChatML',
      hasChatTemplate: true,
    });
    expect(info.fileSizeBytes).toBeGreaterThan(100_000);
    expect(engine.loaded).toEqual(info);
    // Loading the same file with the same settings keeps the loaded model.
    expect(await engine.load(modelPath)).toBe(info);
  });

  it('streams the answer in chunks that add up to the content, and stops at max tokens', async () => {
    await engine.load(modelPath);
    const deltas: string[] = [];
    const phases: string[] = [];
    const result = await engine.chat(
      request({ onDelta: (t) => void deltas.push(t), onProgress: (p) => phases.push(p.phase) }),
      new AbortController().signal,
    );
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.content);
    expect(result.finishReason).toBe('length');
    expect(result.usage.completionTokens).toBe(12);
    expect(result.usage.promptTokens).toBe(await engine.countTokens(USER));
    expect(result.usage.totalTokens).toBe(result.usage.promptTokens + 12);
    expect(phases[0]).toBe('prefill');
    expect(phases).toContain('generating');
  });

  it('is reproducible with a seed, and ends before a stop sequence', async () => {
    await engine.load(modelPath);
    const signal = new AbortController().signal;
    const first = await engine.chat(request({ maxTokens: 24 }), signal);
    const again = await engine.chat(request({ maxTokens: 24 }), signal);
    expect(again.content).toBe(first.content);
    const stop = first.content.slice(Math.floor(first.content.length / 2), Math.floor(first.content.length / 2) + 3);
    const cut = first.content.indexOf(stop);
    expect(stop.length).toBe(3);
    const stopped = await engine.chat(request({ maxTokens: 24, stop: [stop] }), signal);
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.content).toBe(first.content.slice(0, cut));
  });

  it('pauses while a delta’s promise is pending: no token is sampled until it settles, and no text is lost', async () => {
    await engine.load(modelPath);
    const signal = new AbortController().signal;
    const free = await engine.chat(request({ maxTokens: 24 }), signal);
    const deltas: string[] = [];
    let release: (() => void) | undefined;
    const running = engine.chat(
      request({
        maxTokens: 24,
        onDelta: (t) => {
          deltas.push(t);
          if (deltas.length === 2) return new Promise<void>((resolve) => (release = resolve));
        },
      }),
      signal,
    );
    await expect.poll(() => release, { timeout: 10_000, interval: 5 }).toBeDefined();
    const sampledWhenHeld = engine.tokenUsage?.outputTokens;
    // Give a running engine many token times to go on; a paused one samples nothing meanwhile.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 10));
    expect(engine.tokenUsage?.outputTokens).toBe(sampledWhenHeld);
    expect(deltas).toHaveLength(2);
    release?.();
    const result = await running;
    expect(engine.tokenUsage?.outputTokens).toBeGreaterThan(sampledWhenHeld ?? 0);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe(result.content);
    expect(result).toEqual({ ...free });
  });

  it('cancels while a delta’s promise is pending', async () => {
    await engine.load(modelPath);
    const abort = new AbortController();
    const err = await expectCode(
      engine.chat(
        request({
          maxTokens: 24,
          onDelta: () => {
            abort.abort();
            return new Promise<void>(() => {});
          },
        }),
        abort.signal,
      ),
      'local_engine_cancelled',
    );
    expect(err).toMatchObject({ details: { generatedTokens: expect.any(Number) } });
  });

  it('cancels mid-generation and stays usable', async () => {
    await engine.load(modelPath);
    const abort = new AbortController();
    let chunks = 0;
    const err = await expectCode(
      engine.chat(
        request({
          maxTokens: 400,
          onDelta: () => {
            if (++chunks === 3) abort.abort();
          },
        }),
        abort.signal,
      ),
      'local_engine_cancelled',
    );
    expect(chunks).toBeLessThan(50);
    expect((err as unknown as { details: { generatedTokens: number } }).details.generatedTokens).toBeLessThan(50);
    const next = await engine.chat(request({ maxTokens: 4 }), new AbortController().signal);
    expect(next.usage.completionTokens).toBe(4);
  });

  it('runs one generation at a time; a call cancelled while waiting leaves the queue', async () => {
    await engine.load(modelPath);
    const waiting = new AbortController();
    const order: string[] = [];
    const a = engine.chat(request({ maxTokens: 8 }), new AbortController().signal).then(() => order.push('a'));
    const b = engine.chat(request({ maxTokens: 8, onDelta: () => void order.push('b-delta') }), waiting.signal);
    const c = engine.chat(request({ maxTokens: 8 }), new AbortController().signal).then(() => order.push('c'));
    waiting.abort();
    await expectCode(b, 'local_engine_cancelled');
    await Promise.all([a, c]);
    expect(order).toEqual(['a', 'c']);
  });

  it('refuses a prompt longer than the context window before generating, counted by the tokenizer', async () => {
    // llama.cpp rounds the window up to a multiple of 256; the engine reports the real size.
    const { contextSize } = await engine.load(modelPath, { contextSize: 200 });
    expect(contextSize).toBe(256);
    const long = [{ role: 'user' as const, content: 'The quick brown fox jumps over the lazy dog. '.repeat(40) }];
    const promptTokens = await engine.countTokens(long);
    expect(promptTokens).toBeGreaterThan(contextSize);
    // The real tokenizer, not a 4-characters-per-token estimate: the BPE merges of the tiny
    // vocabulary make this text far fewer tokens than characters.
    expect(promptTokens).toBeLessThan(long[0]!.content.length / 2);
    let deltas = 0;
    const err = await expectCode(engine.chat(request({ messages: long, onDelta: () => void deltas++ }), new AbortController().signal), 'local_engine_context_window_exceeded');
    expect(deltas).toBe(0);
    expect(err).toMatchObject({ details: { promptTokens, contextSize, requestedOutputTokens: 12 } });
    expect(err.message).toContain('Shorten the conversation');
  });

  it('lowers the output budget to what the window has left, and needs one free slot past the prompt', async () => {
    const { contextSize } = await engine.load(modelPath, { contextSize: 256 });
    // '~' has no merges in the tiny vocabulary: each one adds exactly one token.
    const withTildes = (n: number) => [{ role: 'user' as const, content: `Count these: ${'~'.repeat(n)}` }];
    const base = await engine.countTokens(withTildes(0));
    expect(await engine.countTokens(withTildes(10))).toBe(base + 10);
    const fits = withTildes(contextSize - 2 - base);
    expect(await engine.countTokens(fits)).toBe(contextSize - 2);
    const result = await engine.chat(request({ messages: fits, maxTokens: 1000 }), new AbortController().signal);
    expect(result.finishReason).toBe('length');
    expect(result.usage.completionTokens).toBe(2);
    await expectCode(engine.chat(request({ messages: withTildes(contextSize - 1 - base) }), new AbortController().signal), 'local_engine_context_window_exceeded');
  });

  it('tokenizes chat-template markers in user text as text, not as control tokens', async () => {
    await engine.load(modelPath);
    const empty = await engine.countTokens([{ role: 'user', content: '' }]);
    const marker = await engine.countTokens([{ role: 'user', content: '<|im_end|>' }]);
    expect(marker - empty).toBeGreaterThan(1);
  });

  it('keeps one model loaded: loading another file replaces it', async () => {
    await engine.load(modelPath);
    const other = await engine.load(otherModelPath);
    expect(other.name).toBe('tiny-two');
    expect(engine.loaded?.path).toBe(otherModelPath);
  });

  it('unloads, and then refuses to chat until a model is loaded', async () => {
    await engine.load(modelPath);
    await engine.unload();
    expect(engine.loaded).toBeUndefined();
    await expectCode(engine.chat(request(), new AbortController().signal), 'local_engine_not_loaded');
    await expectCode(engine.countTokens(USER), 'local_engine_not_loaded');
  });

  it('refuses missing and non-GGUF files with their own codes', async () => {
    await expectCode(engine.load(join(dir, 'missing.gguf')), 'local_engine_model_not_found');
    await expectCode(engine.load(dir), 'local_engine_model_not_found');
    const junk = join(dir, 'junk.gguf');
    await writeFile(junk, Buffer.from('this is not a model file at all'));
    await expectCode(engine.load(junk), 'local_engine_model_invalid');
  });

  it('refuses bad request options naming the option', async () => {
    await engine.load(modelPath);
    const signal = new AbortController().signal;
    const err = await expectCode(Promise.resolve().then(() => engine.chat(request({ temperature: 3 }), signal)), 'local_engine_invalid_options');
    expect(err.message).toContain('temperature');
    await expectCode(Promise.resolve().then(() => engine.chat(request({ maxTokens: 0 }), signal)), 'local_engine_invalid_options');
    await expectCode(Promise.resolve().then(() => engine.chat(request({ stop: [''] }), signal)), 'local_engine_invalid_options');
    await expectCode(Promise.resolve().then(() => engine.load(modelPath, { threads: 1.5 })), 'local_engine_invalid_options');
  });

  it('unloads by itself after the idle time', async () => {
    const idle = new LocalEngine({ gpu: 'cpu', idleUnloadMs: 150, ...FAST });
    try {
      await idle.load(modelPath);
      expect(idle.loaded).toBeDefined();
      await idle.chat(request({ maxTokens: 2 }), new AbortController().signal);
      await expect.poll(() => idle.loaded, { timeout: 5000, interval: 50 }).toBeUndefined();
    } finally {
      await idle.dispose();
    }
  });

  it('chooses the back end automatically and reports it', async () => {
    const auto = new LocalEngine({ idleUnloadMs: 0, ...FAST });
    try {
      const info = await auto.load(modelPath);
      expect(['metal', 'cuda', 'vulkan', 'cpu']).toContain(info.backend);
      expect(await auto.backend()).toEqual({ backend: info.backend, gpuDevices: info.gpuDevices });
      expect(info.gpuDevices.length > 0).toBe(info.backend !== 'cpu');
    } finally {
      await auto.dispose();
    }
  });
});

describe('engine sizing', () => {
  it('leaves one math core free unless threads are set, never more than the machine has', () => {
    expect(chooseThreads(undefined, 4, 8)).toBe(3);
    expect(chooseThreads(6, 4, 8)).toBe(6);
    expect(chooseThreads(64, 4, 8)).toBe(8);
    expect(chooseThreads(undefined, 0, 3)).toBe(2);
  });

  it('uses at least one thread: on one core, with no math cores counted, and for a setting of 1', () => {
    expect(chooseThreads(undefined, 1, 1)).toBe(1);
    expect(chooseThreads(undefined, 2, 2)).toBe(1);
    expect(chooseThreads(undefined, 0, 1)).toBe(1);
    expect(chooseThreads(1, 8, 16)).toBe(1);
    // more math cores reported than logical ones (a container's CPU quota): the quota counts
    expect(chooseThreads(undefined, 8, 2)).toBe(1);
  });

  it('caps the context at the training context and lets memory decide up to the default', () => {
    expect(chooseContextSize(4096, 2048)).toBe(2048);
    expect(chooseContextSize(1024, 2048)).toBe(1024);
    expect(chooseContextSize(undefined, 2048)).toEqual({ max: 2048 });
    expect(chooseContextSize(undefined, 131072)).toEqual({ max: 8192 });
  });
});
