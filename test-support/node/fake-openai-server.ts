// A loopback HTTP server speaking the OpenAI chat-completions and models formats, for tests and
// benchmarks of the OpenAI-compatible provider. Behaviour is switchable at run time.
import Fastify, { type FastifyInstance } from 'fastify';

export interface FakeServerBehaviour {
  /** Delay before answering, ms. */
  delayMs: number;
  /** Answer every chat call with this HTTP status and body instead of a completion. */
  fail?: { status: number; body: unknown };
  /** Requests whose total message characters exceed this get a context-length error. */
  contextLimitChars: number;
  /** Content of the answer (default: echo of the last message). */
  answer?: (body: Record<string, unknown>) => string;
  /** finish_reason to report. */
  finishReason: string;
  /** Delay between streamed chunks, ms. */
  chunkDelayMs?: number;
  /** A streamed answer breaks off after its text with the format's error event. */
  streamError?: boolean;
}

export interface FakeProviderServer {
  url: string;
  behaviour: FakeServerBehaviour;
  /** Bodies of the chat calls received, newest last. */
  readonly calls: Record<string, unknown>[];
  /** Authorization / x-api-key headers received. */
  readonly authHeaders: string[];
  /** Back to the behaviour of a fresh server (tests call it before switching one thing). */
  resetBehaviour(): void;
  close(): Promise<void>;
}

/** A fresh server's behaviour: answers at once with an echo, no practical context limit. */
function defaultBehaviour(finishReason: string): FakeServerBehaviour {
  return { delayMs: 0, contextLimitChars: 1_000_000, finishReason };
}

/** The run-time state a fake provider server exposes; `url` is set once it listens. */
export function fakeServerState(app: FastifyInstance, defaultFinishReason: string): FakeProviderServer {
  const state: FakeProviderServer = {
    url: '',
    behaviour: defaultBehaviour(defaultFinishReason),
    calls: [],
    authHeaders: [],
    resetBehaviour: () => {
      state.behaviour = defaultBehaviour(defaultFinishReason);
    },
    close: async () => {
      await app.close();
    },
  };
  return state;
}

export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/** Resolves after `ms`, or early when the client goes away (so closing never waits on sleepers). */
export function delay(ms: number, app: FastifyInstance): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    app.server.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export async function startFakeOpenAIServer(opts: { models?: string[] } = {}): Promise<FakeProviderServer> {
  const models = opts.models ?? ['test-model'];
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const state = fakeServerState(app, 'stop');

  app.get('/v1/models', async () => ({
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
  }));

  app.post('/v1/chat/completions', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    state.calls.push(body);
    state.authHeaders.push(String(req.headers.authorization ?? ''));
    const b = state.behaviour;
    if (b.delayMs > 0) await delay(b.delayMs, app);
    if (b.fail) return reply.code(b.fail.status).send(b.fail.body);
    if (!models.includes(String(body.model))) {
      return reply.code(404).send({
        error: { message: `The model \`${String(body.model)}\` does not exist`, type: 'invalid_request_error', param: null, code: 'model_not_found' },
      });
    }
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: string }[]) : [];
    const chars = messages.reduce((n, m) => n + String(m.content ?? '').length, 0);
    if (chars > b.contextLimitChars) {
      return reply.code(400).send({
        error: {
          message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      });
    }
    const content = b.answer ? b.answer(body) : `echo: ${String(messages[messages.length - 1]?.content ?? '')}`;
    const usage = { prompt_tokens: Math.ceil(chars / 4), completion_tokens: 3, total_tokens: Math.ceil(chars / 4) + 3 };
    if (body.stream === true) {
      // Server-sent events: one chunk per word, then finish_reason, optional usage, [DONE].
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        reply.raw.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices, ...extra })}\n\n`);
      for (const word of content.split(/(?<= )/)) {
        chunk([{ index: 0, delta: { content: word }, finish_reason: null }]);
        if (b.chunkDelayMs) await delay(b.chunkDelayMs, app);
      }
      if (b.streamError) {
        reply.raw.end(`data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } })}\n\n`);
        return;
      }
      chunk([{ index: 0, delta: {}, finish_reason: b.finishReason }]);
      const opts = body.stream_options as { include_usage?: boolean } | undefined;
      if (opts?.include_usage) chunk([], { usage });
      reply.raw.end('data: [DONE]\n\n');
      return;
    }
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: b.finishReason, logprobs: null }],
      usage,
    };
  });

  state.url = `${await listenOnLoopback(app)}/v1`;
  return state;
}
