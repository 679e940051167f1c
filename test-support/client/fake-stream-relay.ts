// TEST ONLY. An in-process stand-in for our relay and one node that streams (docs/protocol.md §11),
// reachable through an injected `fetch`: it opens each aead-v1 request with the node's key, seals
// the scripted deltas as stream chunks (§11.2) under the request's own key and hands them out on
// `stream/read` (§11.5), or on `stream/events` as Server-Sent Events when the script says so — or, without the chunk routes, as snapshots in aead-v1 progress on
// retrieve (§11.6) — then the answer (§10.5.2). A script can tamper with the stream the way a relay
// or thief could (reorder, drop, replay, splice, flip a bit, claim a false final flag, cut it
// short, let the node vanish, forget the first request mid-stream as a restarted memory relay
// does, answer with other text), so the client's checks are testable without
// a streaming node.
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import { buildInnerProgress, buildInnerSuccessResponse, type InnerRequest } from '../../src-shared/protocol/inner-envelope';
import {
  jsonPlaintext,
  openAeadRequest,
  parseJsonPlaintext,
  sealAeadProgress,
  sealAeadReply,
  sealAeadRequest,
  sealAeadStreamChunk,
  type AeadV1Session,
  type KeyHolder,
  type RsaKeyPair,
} from '../../src-main/crypto';
import { RelayClient, textAfterDelta, type ChatAnswer, type ChatDelta, type ChatError } from '../../src-main/client';

export type StreamTamper = 'reorder' | 'drop' | 'replay' | 'splice' | 'bitflip' | 'false-final' | 'truncate' | 'vanish' | 'forget-once' | 'answer-differs';

export interface StreamScript {
  deltas: string[];
  /** `chunks`: our relay's routes; `snapshots`: a relay without them (§11.6); `none`: the node does not stream. */
  transport: 'chunks' | 'snapshots' | 'none';
  tamper?: StreamTamper;
  /** Chunks per stream/read answer (default 1, so the text visibly grows). */
  perRead?: number;
  /**
   * `stream/events` (§11.5): absent (404, the default), `serve` (every chunk as an event, then
   * `done`), `break` (the connection breaks after the first chunk event: the client reads on by
   * the long poll) or `busy` (429, no free long-poll slot).
   */
  events?: 'serve' | 'break' | 'busy';
  /** stream/read answers 429 (with this Retry-After in seconds) this many times before it reads. */
  busyReads?: { count: number; retryAfterSeconds: number };
  finishReason?: string;
}

interface WireChunk {
  sequence: number;
  final: boolean;
  ciphertext: string;
  iv: string;
}

interface Pending {
  session: AeadV1Session;
  inner: InnerRequest & { stream?: boolean };
  clientKey: string;
  /** Chunks in the order the relay hands them out. */
  wire: WireChunk[];
  served: number;
  retrieves: number;
  cancelled: boolean;
  /** `forget-once`: once its chunks are read, the relay no longer knows this request (404). */
  forgotten: boolean;
}

export class FakeStreamRelay {
  readonly pending = new Map<string, Pending>();
  readonly cancels: Record<string, unknown>[] = [];
  readonly reads: { after: number }[] = [];
  /** `after` of each stream/events call, and 429s given on stream/read. */
  readonly eventReads: { after: number }[] = [];
  busyAnswered = 0;
  /** Inner requests as the node opened them. */
  readonly requests: (InnerRequest & { stream?: boolean })[] = [];

  constructor(
    private readonly node: RsaKeyPair,
    public script: StreamScript,
  ) {}

  /** `forget-once` forgets the first request only: the one submitted again streams whole. */
  private forgetsNext(): boolean {
    return this.script.tamper === 'forget-once' && this.requests.length === 1;
  }

  /** The request is gone from the relay, as after a memory relay's restart: 404 to every read. */
  private forget(requestId: string): Response {
    this.pending.delete(requestId);
    return new Response(JSON.stringify({ error: { message: 'Unknown request', code: 404 } }), { status: 404, headers: { 'content-type': 'application/json' } });
  }

  private chunksFor(session: AeadV1Session, clientKey: string, requestId: string): WireChunk[] {
    const { deltas, tamper, finishReason = 'stop' } = this.script;
    const seal = (s: AeadV1Session, sequence: number, final: boolean, delta: string) => {
      const env = sealAeadStreamChunk(s, { sequence, final }, jsonPlaintext({ delta, ...(final && { finish_reason: finishReason }) }));
      return { sequence, final, ciphertext: env.ciphertext, iv: env.iv };
    };
    let wire = deltas.map((d, i) => seal(session, i, i === deltas.length - 1, d));
    if (tamper === 'reorder') wire = [wire[0]!, wire[2]!, wire[1]!, ...wire.slice(3)];
    if (tamper === 'drop') wire = [wire[0]!, ...wire.slice(2)];
    if (tamper === 'replay') wire = [wire[0]!, { ...wire[0]! }, ...wire.slice(1)];
    if (tamper === 'splice') {
      const other = sealAeadRequest('{}', { requestId: `${requestId}-other`, clientPublicKey: clientKey, nodePublicKey: this.node.publicKeyWire }).session;
      wire[1] = seal(other, 1, false, deltas[1]!);
    }
    if (tamper === 'bitflip') {
      const bytes = Buffer.from(wire[1]!.ciphertext, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      wire[1] = { ...wire[1]!, ciphertext: bytes.toString('base64') };
    }
    if (tamper === 'false-final') wire[1] = { ...wire[1]!, final: true };
    if (tamper === 'truncate' || tamper === 'vanish' || this.forgetsNext()) wire = wire.slice(0, -1);
    return wire;
  }

  /** §11.5 events: the chunks not yet served, one event each (a tick apart), then `done`; or a break after the first. */
  private events(p: Pending, breakAfterFirst: boolean): Response {
    const encoder = new TextEncoder();
    const tick = () => new Promise((r) => setTimeout(r, 1));
    const body = new ReadableStream<Uint8Array>({
      start: async (controller) => {
        while (p.served < p.wire.length && !p.cancelled) {
          const chunk = p.wire[p.served]!;
          p.served++;
          controller.enqueue(encoder.encode(`id: ${chunk.sequence}\nevent: chunk\ndata: ${JSON.stringify(chunk)}\n\n`));
          await tick();
          if (breakAfterFirst) return controller.error(new TypeError('terminated'));
        }
        const state = p.cancelled || this.script.tamper === 'vanish' ? 'cancelled' : 'completed';
        controller.enqueue(encoder.encode(`event: done\ndata: ${JSON.stringify({ state, next_sequence: p.served })}\n\n`));
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
    const chunkRoutes = this.script.transport !== 'snapshots';
    const p = typeof body.request_id === 'string' ? this.pending.get(body.request_id) : undefined;
    switch (url.pathname) {
      case '/api/v1/relay/servers/next':
        return json(200, {
          server_public_key: this.node.publicKeyWire,
          requested_context_tier: '8k-fast',
          requested_model: 'qwen3-8b-instruct',
          resolved_model: 'qwen3-8b-instruct',
          selected_context_tier: '8k-fast',
          selected_context_window_tokens: 8192,
          selected_model_support: ['qwen3-8b-instruct'],
          selection_policy: 'best_fit_smallest_capable_least_loaded_v1',
          eligible_node_count: 1,
          eligible_tier_counts: { '8k-fast': 1 },
          selected_queue_depth: 0,
          selected_in_flight_count: 0,
          selected_load_score: 0,
          spillover: false,
          e2ee_profiles: ['aead-v1'],
          relay_capabilities: { stream_chunks_v1: chunkRoutes, encrypted_progress_v1: true },
        });
      case '/api/v1/relay/requests': {
        const requestId = String(body.request_id);
        const clientKey = String(body.client_public_key);
        const { plaintext, session } = openAeadRequest(
          { ciphertext: String(body.ciphertext), cipherkey: String(body.cipherkey), iv: String(body.iv) },
          { requestId, clientPublicKey: clientKey, nodeKeys: { privateKeyPem: this.node.privateKeyPem, publicKeyPem: this.node.publicKeyPem } },
        );
        const inner = parseJsonPlaintext(plaintext) as InnerRequest & { stream?: boolean };
        this.requests.push(inner);
        const streams = inner.stream === true && this.script.transport === 'chunks';
        const forgotten = this.forgetsNext();
        this.pending.set(requestId, { session, inner, clientKey, wire: streams ? this.chunksFor(session, clientKey, requestId) : [], served: 0, retrieves: 0, cancelled: false, forgotten });
        return json(200, { message: 'Request received', request_deadline_remaining_seconds: 60, request_ttl_seconds: 60 });
      }
      case '/api/v1/relay/stream/events': {
        if (!chunkRoutes || !this.script.events) return json(404, { error: { message: 'Not Found', code: 404 } });
        if (this.script.events === 'busy') return new Response(JSON.stringify({ error: { message: 'Too many long polls', code: 'too_many_long_polls' } }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' } });
        if (!p) return json(404, { error: { message: 'gone', code: 404 } });
        this.eventReads.push({ after: Number(body.after) });
        return this.events(p, this.script.events === 'break');
      }
      case '/api/v1/relay/stream/read': {
        if (!chunkRoutes) return json(404, { error: { message: 'Not Found', code: 404 } });
        if (!p) return json(404, { error: { message: 'gone', code: 404 } });
        const busy = this.script.busyReads;
        if (busy && this.busyAnswered < busy.count) {
          this.busyAnswered++;
          return new Response(JSON.stringify({ error: { message: 'Slow down', code: 'rate_limit_exceeded' } }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(busy.retryAfterSeconds) } });
        }
        const after = Number(body.after);
        this.reads.push({ after });
        if (p.forgotten && p.served >= p.wire.length) return this.forget(String(body.request_id));
        const rest = p.wire.slice(p.served);
        const chunks = rest.slice(0, this.script.perRead ?? 1);
        p.served += chunks.length;
        const over = p.served >= p.wire.length;
        const ended = p.cancelled || (over && chunks.length === 0);
        const state = p.cancelled || this.script.tamper === 'vanish' ? 'cancelled' : over ? 'completed' : 'in_flight';
        return json(200, { chunks, next_sequence: p.served, state: ended ? state : 'in_flight', done: ended });
      }
      case '/api/v1/relay/responses/retrieve': {
        if (!p) return json(404, { error: { message: 'gone', code: 404 } });
        if (p.cancelled) return json(410, { error: { message: 'Request cancelled', code: 'cancelled', status: 'cancelled', reason: 'requester_cancelled' } });
        if (this.script.tamper === 'vanish') return json(410, { error: { message: 'Request cancelled', code: 'cancelled', status: 'cancelled', reason: 'server_unregistered' } });
        if (p.forgotten && p.served >= p.wire.length) return this.forget(String(body.request_id));
        p.retrieves++;
        const { deltas } = this.script;
        // Like our node (§11.3), the answer follows the final chunk: pending until every chunk was read.
        if (p.wire.length > 0 && p.served < p.wire.length) {
          return json(202, { status: 'pending', request_deadline_remaining_seconds: 60, request_ttl_seconds: 60 });
        }
        const wantsSnapshots = this.script.transport === 'snapshots' && p.inner.stream === true;
        if (wantsSnapshots && p.retrieves <= deltas.length) {
          const sequence = p.retrieves;
          const progress = buildInnerProgress({
            requestId: p.inner.request_id,
            clientPublicKey: p.clientKey,
            progress: { sequence, phase: 'generating', total_prompt_tokens: 5, cached_prompt_tokens: 0, processed_prompt_tokens: 5, generated_tokens: sequence, elapsed_ms: sequence * 10 },
            snapshot: { text: deltas.slice(0, sequence).join('') },
          });
          const env = sealAeadProgress(p.session, sequence, jsonPlaintext(progress));
          return json(202, {
            status: 'pending',
            request_deadline_remaining_seconds: 60,
            request_ttl_seconds: 60,
            encrypted_progress: { client_public_key: p.clientKey, request_id: p.inner.request_id, protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, ...env },
          });
        }
        this.pending.delete(String(body.request_id));
        const content = this.script.tamper === 'answer-differs' ? `${deltas.join('')} (and more)` : deltas.join('');
        const reply = buildInnerSuccessResponse({
          requestId: p.inner.request_id,
          clientPublicKey: p.clientKey,
          content,
          finishReason: this.script.finishReason ?? 'stop',
          usage: { prompt_tokens: 5, completion_tokens: deltas.length, total_tokens: 5 + deltas.length },
        });
        const env = sealAeadReply(p.session, jsonPlaintext(reply));
        return json(200, { client_public_key: p.clientKey, ...toRelayMessageEnvelope(env), request_id: p.inner.request_id, protocol: PROTOCOL_ID, version: PROTOCOL_VERSION });
      }
      case '/api/v1/relay/requests/cancel':
        this.cancels.push(body);
        if (p) p.cancelled = true;
        return json(200, { status: 'cancelled', request_id: body.request_id, removed_from_queue: 0 });
      default:
        return json(404, { error: { message: 'Not Found', code: 404 } });
    }
  };
}

/** One chat through a FakeStreamRelay: the deltas handed out, how it ended, and the text shown. */
export async function chatThroughFake(
  node: RsaKeyPair,
  clientKeys: KeyHolder,
  script: StreamScript,
  /** `noDeltas`: the caller takes no deltas (the client then reads no stream, §11.7). */
  opts: { signal?: AbortSignal; onDelta?: (d: ChatDelta) => void; timeoutMs?: number; noDeltas?: boolean; retractable?: boolean; keepReasoning?: boolean } = {},
): Promise<{ relay: FakeStreamRelay; deltas: ChatDelta[]; outcome: { answer: ChatAnswer } | { error: ChatError }; shown: string }> {
  const relay = new FakeStreamRelay(node, script);
  const rc = new RelayClient({ baseUrl: 'http://relay.test', fetch: relay.fetch, pollIntervalMs: 10, keys: clientKeys });
  const deltas: ChatDelta[] = [];
  let outcome: { answer: ChatAnswer } | { error: ChatError };
  try {
    const answer = await rc.chat({
      messages: [{ role: 'user', content: 'hi' }],
      timeoutMs: opts.timeoutMs ?? 5000,
      ...(opts.signal && { signal: opts.signal }),
      ...(opts.retractable && { retractable: true }),
      ...(opts.keepReasoning && { keepReasoning: true }),
      ...(!opts.noDeltas && {
        onDelta: (d: ChatDelta) => {
          deltas.push(d);
          opts.onDelta?.(d);
        },
      }),
    });
    outcome = { answer };
  } catch (error) {
    outcome = { error: error as ChatError };
  }
  return { relay, deltas, outcome, shown: deltas.reduce((text, d) => textAfterDelta(text, d).text, '') };
}
