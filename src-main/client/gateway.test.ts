// Gateway HTTP shape, auth and error mapping, driven with the official `openai` client.
// (End-to-end through a real relay + node: client.integration.test.ts.)
import http from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatError } from './errors';
import { bearerMatches, startGateway, type RunningGateway } from './gateway';
import type { ChatRequest } from './types';
import { scriptedAnswer } from '../../test-support/client/answer';

let gw: RunningGateway;
const seen: ChatRequest[] = [];
let nextError: ChatError | null = null;
let holdUntilAbort = false;
let abortedSeen = false;
/** Streamed requests fail with this after their first delta. */
let failAfterFirstDelta: ChatError | null = null;

beforeAll(async () => {
  gw = await startGateway({
    listModels: async () => ['qwen3-8b-instruct', 'tiny-test'],
    chat: async (req) => {
      seen.push(req);
      if (nextError) {
        const e = nextError;
        nextError = null;
        throw e;
      }
      const last = req.messages.at(-1)!.content;
      // A streaming caller gets the answer in authenticated pieces first (§11.7).
      const pieces = ['echo', ': ', last];
      if (req.onDelta) {
        for (const [i, delta] of pieces.entries()) {
          req.onDelta({ text: delta, snapshot: false, elapsedMs: i });
          if (i === 0 && failAfterFirstDelta) {
            const e = failAfterFirstDelta;
            failAfterFirstDelta = null;
            throw e;
          }
          if (i === 0 && holdUntilAbort) break;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      if (holdUntilAbort) {
        await new Promise<void>((resolve) => req.signal?.addEventListener('abort', () => resolve(), { once: true }));
        abortedSeen = true;
        throw new ChatError('requester_cancelled');
      }
      return scriptedAnswer(`echo: ${last}`, {
        usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
        model: req.model ?? 'x',
        requestId: '0123456789abcdef0123456789abcdef',
        delivery: req.onDelta ? 'chunks' : 'whole',
      });
    },
  });
});
afterAll(() => gw.close());

const openai = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.token, maxRetries: 0, timeout: 5000 });

describe('local gateway', () => {
  it('binds to 127.0.0.1 with a random 43-char base64url token', () => {
    expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gw.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lists models and answers chat completions for the openai client', async () => {
    const models = await openai().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['qwen3-8b-instruct', 'tiny-test']);
    const completion = await openai().chat.completions.create({
      model: 'tiny-test',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hello' }] },
      ],
      max_completion_tokens: 20,
      temperature: 0.5,
      stop: ['\n\n'],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toBe('chatcmpl-0123456789abcdef0123456789abcdef');
    expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'echo: hello' });
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    const req = seen.at(-1)!;
    expect(req.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
    ]);
    expect(req.options).toEqual({ max_tokens: 20, temperature: 0.5, stop: ['\n\n'] });
  });

  it('streams chat.completion.chunk events as the pieces arrive, ending with the finish reason, usage and [DONE]', async () => {
    const stream = await openai().chat.completions.create({
      model: 'tiny-test',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(seen.at(-1)!.onDelta).toBeTypeOf('function');
    expect(new Set(chunks.map((c) => c.object))).toEqual(new Set(['chat.completion.chunk']));
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: 'assistant' });
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe('echo: hello');
    // One chunk per streamed piece, not the answer in one go.
    expect(chunks.filter((c) => c.choices[0]?.delta.content).map((c) => c.choices[0]!.delta.content)).toEqual(['echo', ': ', 'hello']);
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });

    // Without include_usage there is no usage chunk; the raw stream ends in [DONE].
    const raw = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-test', messages: [{ role: 'user', content: 'x' }], stream: true }),
    });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await raw.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text).not.toMatch(/"usage"/);
  });

  it('a streamed request that fails before any text is an ordinary error; after, an error event ends the stream', async () => {
    nextError = new ChatError('no_registered_compute_nodes');
    const before = await openai()
      .chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: 'x' }], stream: true })
      .catch((e: unknown) => e);
    expect(before).toMatchObject({ status: 503, code: 'no_registered_compute_nodes' });

    failAfterFirstDelta = new ChatError('stream_not_authentic');
    const stream = await openai().chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: 'x' }], stream: true });
    const got: string[] = [];
    const after = await (async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(got.join('')).toBe('echo');
    expect(after).toBeInstanceOf(OpenAI.APIError);
    expect((after as Error).message).toContain(new ChatError('stream_not_authentic').userMessage);
  });

  it('cancels the streamed chat when the HTTP client leaves mid-stream', async () => {
    holdUntilAbort = true;
    abortedSeen = false;
    const ac = new AbortController();
    const stream = await openai().chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: 'x' }], stream: true }, { signal: ac.signal });
    const iterated = (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) ac.abort();
    })().catch(() => null);
    await iterated;
    for (let i = 0; i < 50 && !abortedSeen; i++) await new Promise((r) => setTimeout(r, 20));
    holdUntilAbort = false;
    expect(abortedSeen).toBe(true);
  });

  it('refuses tools and non-text content instead of silently dropping them', async () => {
    const tools = await openai()
      .chat.completions.create({
        model: 'tiny-test',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
      })
      .catch((e: unknown) => e);
    expect((tools as { status: number; code: string }).status).toBe(400);
    expect((tools as { code: string }).code).toBe('unsupported_parameter');
    const image = await openai()
      .chat.completions.create({
        model: 'tiny-test',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }],
      })
      .catch((e: unknown) => e);
    expect((image as { status: number; code: string }).code).toBe('unsupported_content');
  });

  it('requires the bearer token (401) and rejects foreign Host headers (403)', async () => {
    const bad = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'wrong-token-wrong-token', maxRetries: 0 });
    const err = await bad.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    const none = await fetch(`${gw.url}/v1/models`);
    expect(none.status).toBe(401);
    // fetch cannot override Host; node:http can (as a DNS-rebinding page's browser would send it)
    const rebindingStatus = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: gw.port, path: '/v1/models', headers: { authorization: `Bearer ${gw.token}`, host: `evil.example:${gw.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(rebindingStatus).toBe(403);
    expect(bearerMatches(`Bearer ${gw.token}`, gw.token)).toBe(true);
    expect(bearerMatches(`Bearer ${gw.token}x`, gw.token)).toBe(false);
    expect(bearerMatches(gw.token, gw.token)).toBe(false);
  });

  it('maps ChatErrors to HTTP statuses with the user message', async () => {
    const cases: [string, number][] = [
      ['no_registered_compute_nodes', 503],
      ['client_timeout', 504],
      ['compute_node_context_window_exceeded', 400],
      ['rate_limit_exceeded', 429],
      ['invalid_reply', 502],
    ];
    for (const [code, status] of cases) {
      nextError = new ChatError(code);
      const err = (await openai()
        .chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e)) as { status: number; code: string; message: string };
      expect(err.status, code).toBe(status);
      expect(err.code).toBe(code);
      expect(err.message).toContain(new ChatError(code).userMessage);
    }
  });

  it('answers malformed JSON bodies with a 400 error object, and aborts the chat when the HTTP client leaves', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });

    holdUntilAbort = true;
    const ac = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-test', messages: [{ role: 'user', content: 'x' }] }),
      signal: ac.signal,
    }).catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await pending;
    for (let i = 0; i < 50 && !abortedSeen; i++) await new Promise((r) => setTimeout(r, 20));
    holdUntilAbort = false;
    expect(abortedSeen).toBe(true);
  });
});
