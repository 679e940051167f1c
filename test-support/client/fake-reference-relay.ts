// TEST ONLY. An in-process stand-in for the *reference* relay and reference compute nodes,
// reachable through an injected `fetch`: no long poll (retrieve answers at once), replies wrapped
// with PKCS#1 v1.5 like CryptoManager (§1.3), scripted failures per node. Lets the client's
// reference-interop paths be tested without our own relay or node.
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import {
  buildInnerErrorResponse,
  buildInnerProgress,
  buildInnerSuccessResponse,
  type InnerRequest,
} from '../../src-shared/protocol/inner-envelope';
import { decryptJson, encryptJson, generateRsaKeyPair, type RsaKeyPair, type RsaPadding } from '../../src-main/crypto';
import type { ContextTier } from '../../src-shared/vocabulary';

export interface FakeNode {
  keys: RsaKeyPair;
  /** HTTP status the relay answers on submit to this node (e.g. 404: node vanished). */
  submitStatus?: number;
  /** Encrypted node error code instead of an answer. */
  errorCode?: string;
  /** Polls (202s) before the answer is ready. */
  pollsBeforeAnswer?: number;
  /** Reply wrap (reference nodes: pkcs1v15). */
  replyPadding?: RsaPadding;
  /** Tamper with the reply: wrong request_id / wrong key / garbage ciphertext. */
  tamper?: 'request_id' | 'client_key' | 'ciphertext';
  /** Never answers (for timeouts and cancellation). */
  silent?: boolean;
  /** Progress updates to hand out, one per 202. */
  progress?: number;
}

interface Pending {
  node: FakeNode;
  inner: InnerRequest;
  outerClientKey: string;
  polls: number;
  cancelled?: { status?: string; reason?: string };
}

export interface FakeRelayOptions {
  /** Relay TTL in seconds; null = legacy relay without TTL metadata. */
  ttlSeconds?: number | null;
  /** Overrides the tier the relay claims to have selected. */
  selectedTier?: ContextTier;
  /** Refuse unknown body keys on retrieve (strict reference parsing of `wait_seconds`). */
  strictRetrieve?: boolean;
}

export class FakeReferenceRelay {
  readonly nodes: FakeNode[] = [];
  readonly pending = new Map<string, Pending>();
  readonly cancels: Record<string, unknown>[] = [];
  readonly calls: string[] = [];
  private rr = 0;

  /** `keyPool`: pre-generated node key pairs, used in order (saves RSA key generation time). */
  constructor(
    private readonly opts: FakeRelayOptions = {},
    private readonly keyPool: readonly RsaKeyPair[] = [],
  ) {}

  async addNode(node: Omit<FakeNode, 'keys'> = {}): Promise<FakeNode> {
    const full = { ...node, keys: this.keyPool[this.nodes.length] ?? (await generateRsaKeyPair()) };
    this.nodes.push(full);
    return full;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    this.calls.push(url.pathname + url.search);
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
    switch (url.pathname) {
      case '/api/v1/relay/servers/next': {
        if (this.nodes.length === 0) return json(503, { error: { message: 'No registered compute nodes', code: 'no_registered_compute_nodes' } });
        const node = this.nodes[this.rr++ % this.nodes.length]!;
        const tier = (url.searchParams.get('context_tier') ?? '8k-fast') as ContextTier;
        const selected = this.opts.selectedTier ?? tier;
        return json(200, {
          server_public_key: node.keys.publicKeyWire,
          requested_context_tier: tier,
          requested_model: url.searchParams.get('model') ?? 'qwen3-8b-instruct',
          resolved_model: url.searchParams.get('model') ?? 'qwen3-8b-instruct',
          selected_context_tier: selected,
          selected_context_window_tokens: selected === '64k-full' ? 65536 : 8192,
          selected_model_support: ['qwen3-8b-instruct'],
          selection_policy: 'best_fit_smallest_capable_least_loaded_v1',
          eligible_node_count: this.nodes.length,
          eligible_tier_counts: { [selected]: this.nodes.length },
          selected_queue_depth: 0,
          selected_in_flight_count: 0,
          selected_load_score: 0,
          spillover: false,
        });
      }
      case '/api/v1/relay/requests': {
        const node = this.nodes.find((n) => n.keys.publicKeyWire === body.server_public_key);
        if (!node) return json(404, { error: { message: 'Server with the specified public key not found', code: 404 } });
        if (node.submitStatus) return json(node.submitStatus, { error: { message: 'scripted', code: node.submitStatus } });
        const inner = decryptJson(
          { ciphertext: String(body.ciphertext), cipherkey: String(body.cipherkey), iv: String(body.iv) },
          node.keys.privateKeyPem,
          { padding: 'oaep-sha256', requireMode: 'cbc' },
        ) as InnerRequest;
        this.pending.set(String(body.request_id), { node, inner, outerClientKey: String(body.client_public_key), polls: 0 });
        if (this.opts.ttlSeconds === null) return json(200, { message: 'Request received' });
        const ttl = this.opts.ttlSeconds ?? 480;
        return json(200, { message: 'Request received', request_deadline_remaining_seconds: ttl, request_ttl_seconds: ttl });
      }
      case '/api/v1/relay/responses/retrieve': {
        if (this.opts.strictRetrieve && Object.keys(body).some((k) => k !== 'client_public_key' && k !== 'request_id')) {
          return new Response('<html>400 Bad Request</html>', { status: 400, headers: { 'content-type': 'text/html' } });
        }
        const p = this.pending.get(String(body.request_id));
        if (!p) return json(404, { error: { message: `Unknown request_id: ${String(body.request_id)}`, code: 404 } });
        if (p.cancelled) return json(410, { error: { message: 'Request cancelled', code: 'cancelled', status: 'cancelled', reason: p.cancelled.reason } });
        p.polls++;
        const ready = !p.node.silent && p.polls > (p.node.pollsBeforeAnswer ?? 0);
        if (!ready) {
          const pending: Record<string, unknown> = { status: 'pending' };
          if (this.opts.ttlSeconds !== null) {
            pending.request_deadline_remaining_seconds = this.opts.ttlSeconds ?? 480;
            pending.request_ttl_seconds = this.opts.ttlSeconds ?? 480;
          }
          if (p.node.progress && p.polls <= p.node.progress) {
            const env = encryptJson(
              buildInnerProgress({
                requestId: p.inner.request_id,
                clientPublicKey: p.outerClientKey,
                progress: { sequence: p.polls, phase: 'prefill', total_prompt_tokens: 10, cached_prompt_tokens: 0, processed_prompt_tokens: p.polls, generated_tokens: 0, elapsed_ms: p.polls * 10 },
              }),
              p.outerClientKey,
              { padding: p.node.replyPadding ?? 'pkcs1v15', mode: 'cbc' },
            );
            pending.encrypted_progress = { client_public_key: p.outerClientKey, request_id: p.inner.request_id, protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, ...env };
          }
          return json(202, pending);
        }
        this.pending.delete(String(body.request_id));
        const requestId = p.node.tamper === 'request_id' ? 'f'.repeat(32) : p.inner.request_id;
        const clientKey = p.node.tamper === 'client_key' ? p.node.keys.publicKeyWire : p.inner.client_public_key;
        const reply = p.node.errorCode
          ? buildInnerErrorResponse({ requestId, clientPublicKey: clientKey, error: { code: p.node.errorCode as never, message: 'scripted node error' } })
          : buildInnerSuccessResponse({
              requestId,
              clientPublicKey: clientKey,
              content: `reference answer to: ${String(p.inner.api_v1_request.messages.at(-1)?.content)}`,
              finishReason: 'stop',
              usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 },
            });
        const env = encryptJson(reply, p.outerClientKey, { padding: p.node.replyPadding ?? 'pkcs1v15', mode: 'cbc' });
        if (p.node.tamper === 'ciphertext') env.ciphertext = Buffer.alloc(48, 7).toString('base64');
        return json(200, {
          client_public_key: p.outerClientKey,
          ...toRelayMessageEnvelope(env),
          request_id: p.inner.request_id,
          protocol: PROTOCOL_ID,
          version: PROTOCOL_VERSION,
        });
      }
      case '/api/v1/relay/requests/cancel': {
        this.cancels.push(body);
        const p = this.pending.get(String(body.request_id));
        if (!p) return json(403, { error: { message: 'Missing or invalid cancel proof', code: 403 } });
        p.cancelled = { status: String(body.status), reason: String(body.reason) };
        return json(200, { status: 'cancelled', request_id: body.request_id, removed_from_queue: 1 });
      }
      default:
        return json(404, { error: { message: 'Not Found', code: 404 } });
    }
  };
}
