// Minimal encrypted client and compute node speaking API v1 to a relay (tests and bench only):
// client encrypt -> relay -> node decrypt & encrypt -> relay -> client decrypt.
import { randomBytes } from 'node:crypto';
import { decryptJson, encryptJson, generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import type { WorkItem } from '../../src-shared/protocol/relay-http';
import { call, type JsonReply } from './http';

export const CAPABILITIES = {
  api_version: 'v1',
  supported_model_ids: ['qwen3-8b-instruct'],
  active_context_tier: '8k-fast',
  maximum_total_context_tokens: 8192,
  default_output_token_reservation: 1024,
  maximum_output_tokens: 8192,
  max_concurrency: 4,
  backend_class: 'cpu',
};

export class TestNode {
  credential = '';
  protected constructor(
    readonly relayUrl: string,
    readonly keys: RsaKeyPair,
    protected readonly headers: Record<string, string>,
  ) {}

  /** `headers`: sent on every call (e.g. an embedded relay's launch secret, §12). */
  static async create(relayUrl: string, opts: { token?: string; keys?: RsaKeyPair; headers?: Record<string, string> } = {}): Promise<TestNode> {
    return new TestNode(relayUrl, opts.keys ?? (await generateRsaKeyPair()), { ...opts.headers, ...(opts.token && { 'x-relay-server-token': opts.token }) });
  }

  get publicKey(): string {
    return this.keys.publicKeyWire;
  }

  async register(capabilities: object = CAPABILITIES): Promise<JsonReply<{ control_credential?: string }>> {
    const r = await call<{ control_credential?: string }>(this.relayUrl, 'POST', '/api/v1/relay/servers/register', { server_public_key: this.publicKey, capabilities }, this.headers);
    if (r.body?.control_credential) this.credential = r.body.control_credential;
    return r;
  }

  poll(url = this.relayUrl): Promise<JsonReply<WorkItem & { message?: string }>> {
    return call(url, 'POST', '/api/v1/relay/servers/poll', { server_public_key: this.publicKey }, this.headers);
  }

  /** Decrypts the work item's inner request (§2.3.1). */
  open(work: WorkItem): { request_id: string; client_public_key: string; api_v1_request: { messages: { content: string }[] } } {
    return decryptJson({ ciphertext: work.ciphertext, cipherkey: work.cipherkey, iv: work.iv }, this.keys.privateKeyPem, { padding: 'oaep-sha256' }) as never;
  }

  /** Encrypts an answer to the requesting client and posts it (§2.3.2, §2.4.7). */
  answer(work: WorkItem, content: string, extra: Record<string, unknown> = {}, url = this.relayUrl): Promise<JsonReply> {
    const inner = {
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      request_id: work.request_id,
      api_v1_response: { message: { role: 'assistant', content }, finish_reason: 'stop' },
      client_public_key: work.client_public_key,
    };
    const env = encryptJson(inner, work.client_public_key, { padding: 'oaep-sha256' });
    return call(url, 'POST', '/api/v1/relay/responses', {
      client_public_key: work.client_public_key,
      request_id: work.request_id,
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      chat_history: env.ciphertext,
      cipherkey: env.cipherkey,
      iv: env.iv,
      ...extra,
    }, this.headers);
  }

  progress(work: WorkItem, extra: Record<string, unknown> = {}): Promise<JsonReply> {
    const env = encryptJson({ protocol: PROTOCOL_ID, version: 1, request_id: work.request_id, client_public_key: work.client_public_key, api_v1_progress: { schema_version: 1, sequence: 1, phase: 'prefill', total_prompt_tokens: 1, cached_prompt_tokens: 0, processed_prompt_tokens: 1, generated_tokens: 0, elapsed_ms: 1 } }, work.client_public_key, { padding: 'oaep-sha256' });
    return call(this.relayUrl, 'POST', '/api/v1/relay/progress', {
      server_public_key: this.publicKey,
      client_public_key: work.client_public_key,
      request_id: work.request_id,
      control_credential: this.credential,
      protocol: PROTOCOL_ID,
      version: 1,
      ...env,
      ...extra,
    }, this.headers);
  }

  control(requestId: string, acknowledge = false): Promise<JsonReply<{ status: string }>> {
    return call(this.relayUrl, 'POST', '/api/v1/relay/servers/control', { server_public_key: this.publicKey, request_id: requestId, control_credential: this.credential, acknowledge }, this.headers);
  }
}

export interface Submitted {
  requestId: string;
  cancelToken: string;
  reply: JsonReply;
}

export class TestClient {
  private constructor(
    readonly relayUrl: string,
    readonly keys: RsaKeyPair,
    private readonly headers: Record<string, string>,
  ) {}

  /** `headers`: sent on every call (e.g. an embedded relay's launch secret, §12). */
  static async create(relayUrl: string, keys?: RsaKeyPair, headers: Record<string, string> = {}): Promise<TestClient> {
    return new TestClient(relayUrl, keys ?? (await generateRsaKeyPair()), headers);
  }

  get publicKey(): string {
    return this.keys.publicKeyWire;
  }

  async submit(serverPublicKey: string, prompt: string, url = this.relayUrl): Promise<Submitted> {
    const requestId = randomBytes(16).toString('hex');
    const cancelToken = randomBytes(16).toString('hex');
    const inner = {
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      request_id: requestId,
      client_public_key: this.publicKey,
      api_v1_request: { model: 'qwen3-8b-instruct', messages: [{ role: 'user', content: prompt }], options: {}, routing: { context_tier: '8k-fast' } },
    };
    const env = encryptJson(inner, serverPublicKey, { padding: 'oaep-sha256' });
    const reply = await call(url, 'POST', '/api/v1/relay/requests', {
      server_public_key: serverPublicKey,
      client_public_key: this.publicKey,
      request_id: requestId,
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      ciphertext: env.ciphertext,
      cipherkey: env.cipherkey,
      iv: env.iv,
      cancel_token: cancelToken,
    }, this.headers);
    return { requestId, cancelToken, reply };
  }

  retrieve(requestId: string | undefined, waitSeconds?: number, url = this.relayUrl): Promise<JsonReply<Record<string, unknown>>> {
    return call(url, 'POST', '/api/v1/relay/responses/retrieve', {
      client_public_key: this.publicKey,
      ...(requestId !== undefined && { request_id: requestId }),
      ...(waitSeconds !== undefined && { wait_seconds: waitSeconds }),
    }, this.headers);
  }

  cancel(s: Submitted, reason = 'requester_cancelled'): Promise<JsonReply<Record<string, unknown>>> {
    return call(this.relayUrl, 'POST', '/api/v1/relay/requests/cancel', { client_public_key: this.publicKey, request_id: s.requestId, cancel_token: s.cancelToken, reason }, this.headers);
  }

  /** Decrypts a 200 retrieve body and returns the assistant text. */
  open(body: Record<string, unknown>): string {
    const inner = decryptJson({ ciphertext: String(body.ciphertext), cipherkey: String(body.cipherkey), iv: String(body.iv) }, this.keys.privateKeyPem, { padding: 'oaep-sha256' }) as {
      api_v1_response: { message: { content: string } };
    };
    return inner.api_v1_response.message.content;
  }
}
