// A loopback HTTP server speaking the Anthropic Messages and Models formats, for provider tests.
import Fastify from 'fastify';
import { delay, fakeServerState, listenOnLoopback, type FakeProviderServer } from './fake-openai-server';

export async function startFakeAnthropicServer(opts: { models?: string[] } = {}): Promise<FakeProviderServer> {
  const models = opts.models ?? ['claude-test'];
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const state = fakeServerState(app, 'end_turn');
  const error = (type: string, message: string) => ({ type: 'error', error: { type, message } });

  app.get('/v1/models', async () => ({
    data: models.map((id) => ({ id, type: 'model', display_name: id, created_at: '2025-01-01T00:00:00Z' })),
    has_more: false,
    first_id: models[0] ?? null,
    last_id: models[models.length - 1] ?? null,
  }));

  app.post('/v1/messages', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const behaviour = state.behaviour;
    state.calls.push(body);
    state.authHeaders.push(String(req.headers['x-api-key'] ?? req.headers.authorization ?? ''));
    if (behaviour.delayMs > 0) await delay(behaviour.delayMs, app);
    if (behaviour.fail) return reply.code(behaviour.fail.status).send(behaviour.fail.body);
    if (typeof body.max_tokens !== 'number') return reply.code(400).send(error('invalid_request_error', 'max_tokens: Field required'));
    if (!models.includes(String(body.model))) return reply.code(404).send(error('not_found_error', `model: ${String(body.model)}`));
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: string }[]) : [];
    const chars = messages.reduce((n, m) => n + String(m.content ?? '').length, 0) + String(body.system ?? '').length;
    if (chars > behaviour.contextLimitChars) {
      return reply.code(400).send(error('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'));
    }
    const text = behaviour.answer ? behaviour.answer(body) : `echo: ${String(messages[messages.length - 1]?.content ?? '')}`;
    const usage = { input_tokens: Math.ceil(chars / 4), output_tokens: 3 };
    if (body.stream === true) {
      // The Messages API's server-sent events: message_start, a text block of one delta per word
      // (a ping among them), message_delta with the stop reason and output tokens, message_stop.
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (event: string, data: unknown) => reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const message = { id: 'msg_fake', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null };
      send('message_start', { type: 'message_start', message: { ...message, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      send('ping', { type: 'ping' });
      for (const word of text.split(/(?<= )/)) {
        send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } });
        if (behaviour.chunkDelayMs) await delay(behaviour.chunkDelayMs, app);
      }
      if (behaviour.streamError) {
        send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
        reply.raw.end();
        return;
      }
      send('content_block_stop', { type: 'content_block_stop', index: 0 });
      send('message_delta', { type: 'message_delta', delta: { stop_reason: behaviour.finishReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
      send('message_stop', { type: 'message_stop' });
      reply.raw.end();
      return;
    }
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [{ type: 'text', text }],
      stop_reason: behaviour.finishReason,
      stop_sequence: null,
      usage,
    };
  });

  state.url = await listenOnLoopback(app);
  return state;
}
