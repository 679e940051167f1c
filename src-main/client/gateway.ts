// Opt-in local OpenAI-compatible gateway: 127.0.0.1 only, bearer token required. Each request is
// sent end-to-end encrypted through the active server (the `chat` function, e.g. ChatService);
// plaintext never leaves this machine. `stream: true` answers as OpenAI chunk events, streamed
// through the relay where the node and relay can (docs/protocol.md §11), else in one piece.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyReply } from 'fastify';
import { isChatError, type ChatError } from './errors';
import { GATEWAY_REFUSED_FIELDS, GatewayChatBodySchema, openAIError, type GatewayChatBody, type OpenAIErrorBody } from './gateway-schema';
import { CompletionStream } from './gateway-stream';
import type { ChatAnswer, ChatMessage, ChatOptions, ChatRequest } from './types';

export const GATEWAY_HOST = '127.0.0.1';
/** The shortest bearer token the gateway accepts. */
export const MIN_GATEWAY_TOKEN_CHARS = 16;

export interface GatewayConfig {
  chat(req: ChatRequest): Promise<ChatAnswer>;
  listModels(): Promise<string[]>;
  /** 0 (default) = a free port. */
  port?: number;
  /** Bearer token; a random 32-byte base64url token when absent. */
  token?: string;
  bodyLimitBytes?: number;
}

export interface RunningGateway {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function generateGatewayToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison (fixed-length digests, so length differences leak nothing either). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  return timingSafeEqual(digest(m?.[1] ?? ''), digest(token)) && m !== null;
}

export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const token = config.token ?? generateGatewayToken();
  if (token.length < MIN_GATEWAY_TOKEN_CHARS) throw new TypeError(`gateway token must have at least ${MIN_GATEWAY_TOKEN_CHARS} characters`);
  // logger off: bodies are plaintext prompts and must never be logged.
  const app = Fastify({ logger: false, bodyLimit: config.bodyLimitBytes ?? 4 * 1024 * 1024, forceCloseConnections: true });
  let port = 0;

  app.addHook('onRequest', async (request, reply) => {
    // DNS-rebinding guard: a web page cannot reach us under another host name.
    const host = request.headers.host ?? '';
    if (host !== `${GATEWAY_HOST}:${port}` && host !== `localhost:${port}`) {
      return reply.code(403).send(openAIError('Host not allowed', 'invalid_request_error', 'host_not_allowed'));
    }
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply.code(401).send(openAIError('Missing or invalid bearer token', 'invalid_request_error', 'invalid_api_key'));
    }
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string }, _request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const message = status === 500 ? 'Internal gateway error' : (err.message ?? 'Bad request');
    return reply.code(status).send(openAIError(message, status === 500 ? 'server_error' : 'invalid_request_error', null));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(openAIError('Unknown route', 'invalid_request_error', 'not_found')));

  app.get('/v1/models', async (_request, reply) => {
    try {
      const ids = await config.listModels();
      return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'token.place' })) };
    } catch (err) {
      return sendChatError(reply, err);
    }
  });

  app.post('/v1/chat/completions', async (request, reply) => {
    const parsed = GatewayChatBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue?.path.map(String).join('.') || null;
      return reply.code(400).send(openAIError(`Invalid request: ${param ?? 'body'}: ${issue?.message ?? 'invalid'}`, 'invalid_request_error', 'invalid_request_error', param));
    }
    const body = parsed.data;
    const refused = GATEWAY_REFUSED_FIELDS.find((f) => (body as Record<string, unknown>)[f] != null);
    if (refused) {
      return reply.code(400).send(openAIError(`The field ${refused} is not supported over token.place (text chat only).`, 'invalid_request_error', 'unsupported_parameter', refused));
    }
    const messages = toChatMessages(body);
    if (typeof messages === 'string') return reply.code(400).send(openAIError(messages, 'invalid_request_error', 'unsupported_content', 'messages'));

    // Stop the relay request when the HTTP client goes away.
    const controller = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    const chat: ChatRequest = { model: body.model, messages, options: toChatOptions(body), signal: controller.signal };
    if (body.stream) {
      reply.hijack();
      const out = new CompletionStream(reply.raw, `chatcmpl-${randomBytes(16).toString('hex')}`, body.model, body.stream_options?.include_usage === true);
      try {
        out.finish(await config.chat({ ...chat, onDelta: (d) => out.delta(d) }));
      } catch (err) {
        const { status, body: errorBody } = chatErrorResponse(err);
        out.fail(status, errorBody);
      }
      return reply;
    }
    try {
      const answer = await config.chat(chat);
      reply.header('x-tokenplace-node-fingerprint', answer.nodeFingerprint);
      reply.header('x-tokenplace-relay-url', answer.relayUrl);
      return {
        id: `chatcmpl-${answer.requestId}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: answer.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer.content }, finish_reason: answer.finishReason ?? 'stop', logprobs: null }],
        usage: answer.usage
          ? { prompt_tokens: answer.usage.promptTokens, completion_tokens: answer.usage.completionTokens, total_tokens: answer.usage.totalTokens }
          : undefined,
        system_fingerprint: answer.nodeFingerprint.slice(0, 16),
      };
    } catch (err) {
      return sendChatError(reply, err);
    }
  });

  await app.listen({ host: GATEWAY_HOST, port: config.port ?? 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${GATEWAY_HOST}:${port}`,
    port,
    token,
    close: () => app.close(),
  };
}

function toChatMessages(body: GatewayChatBody): ChatMessage[] | string {
  const out: ChatMessage[] = [];
  for (const m of body.messages) {
    let content: string;
    if (typeof m.content === 'string') content = m.content;
    else {
      const parts: string[] = [];
      for (const part of m.content) {
        if ((part.type === 'text' || part.type === 'input_text') && typeof (part as { text?: unknown }).text === 'string') parts.push((part as { text: string }).text);
        else return `Content parts of type ${part.type} are not supported (text only).`;
      }
      content = parts.join('\n');
    }
    // OpenAI's "developer" role is the newer name of "system".
    out.push({ role: m.role === 'developer' ? 'system' : m.role, content });
  }
  return out;
}

function toChatOptions(body: GatewayChatBody): ChatOptions {
  const o: ChatOptions = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) o.max_tokens = maxTokens;
  if (body.temperature != null) o.temperature = body.temperature;
  if (body.top_p != null) o.top_p = body.top_p;
  if (body.frequency_penalty != null) o.frequency_penalty = body.frequency_penalty;
  if (body.presence_penalty != null) o.presence_penalty = body.presence_penalty;
  if (body.stop != null) o.stop = body.stop;
  if (body.seed != null) o.seed = body.seed;
  return o;
}

const BAD_REQUEST_CODES = new Set([
  'invalid_chat_request',
  'compute_node_invalid_request',
  'compute_node_options_unsupported',
  'compute_node_request_too_large',
  'compute_node_context_window_exceeded',
  'invalid_context_tier',
]);
const UNAVAILABLE_CODES = new Set(['no_registered_compute_nodes', 'no_matching_compute_node', 'no_available_capacity', 'embedded_relay_not_running', 'server_unreachable', 'no_node_after_failover']);

function statusFor(e: ChatError): number {
  if (BAD_REQUEST_CODES.has(e.code)) return 400;
  if (e.code === 'rate_limit_exceeded') return 429;
  if (e.code === 'client_timeout' || e.code === 'server_timeout') return 504;
  if (UNAVAILABLE_CODES.has(e.code)) return 503;
  if (e.code === 'requester_cancelled' || e.code === 'server_switched') return 499;
  return 502;
}

function chatErrorResponse(err: unknown): { status: number; body: OpenAIErrorBody } {
  if (!isChatError(err)) return { status: 500, body: openAIError('Internal gateway error', 'server_error', null) };
  const status = statusFor(err);
  return { status, body: openAIError(err.userMessage, status === 400 ? 'invalid_request_error' : 'tokenplace_error', err.code) };
}

function sendChatError(reply: FastifyReply, err: unknown) {
  const { status, body } = chatErrorResponse(err);
  return reply.code(status).send(body);
}
