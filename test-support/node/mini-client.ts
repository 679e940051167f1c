// A minimal API v1 relay client built directly on the crypto core, for node tests and the node
// benchmark (loopback only): reference CBC requests, or aead-v1 requests (docs/protocol.md §10)
// when `aead` is set. The product client lives in src-main/client/.
import { randomBytes } from 'node:crypto';
import {
  AEAD_V1_NODE_CIPHERKEY,
  decryptJson,
  encryptJson,
  jsonPlaintext,
  openAeadProgress,
  openAeadReply,
  parseJsonPlaintext,
  sealAeadRequest,
  type AeadV1Session,
  type RsaKeyPair,
  type RsaPadding,
} from '../../src-main/crypto';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import {
  buildInnerRequest,
  parseInnerProgress,
  parseInnerResponse,
  type InnerMessage,
  type InnerOptions,
  type InnerProgressBody,
  type InnerResponseParse,
} from '../../src-shared/protocol/inner-envelope';
import { NextServerResponse, RetrievePending, RetrievedResponse } from '../../src-shared/protocol/relay-http';
import type { ContextTier, E2eeProfile } from '../../src-shared/vocabulary';
import { call } from '../relay/http';

export interface SentRequest {
  requestId: string;
  cancelToken: string;
  serverPublicKey: string;
}

export type AnswerResult =
  /** `profile`: how the reply was encrypted (an aead-v1 request may get the generic CBC reply, §10.7). */
  | {
      kind: 'reply';
      reply: InnerResponseParse;
      progress: InnerProgressBody[];
      profile: E2eeProfile;
      inner: unknown;
      /** The reply as the relay delivered it (attack tests replay it). */
      envelope: { ciphertext: string; cipherkey: string; iv: string };
    }
  | { kind: 'terminal'; status: number; code?: string; reason?: string; progress: InnerProgressBody[] }
  | { kind: 'timeout'; progress: InnerProgressBody[] };

export class MiniClient {
  /** Decrypt progress envelopes found in 202 answers (the benchmark turns this off). */
  readProgress = true;
  /** Seal requests with aead-v1 (§10) instead of the reference CBC profile. */
  aead = false;
  /** Request sessions of aead-v1 requests, by request id. */
  readonly sessions = new Map<string, AeadV1Session>();

  constructor(
    readonly relayUrl: string,
    readonly keys: RsaKeyPair,
    /** How requests are wrapped: 'oaep-sha256' (ours) or 'pkcs1v15' (browser/reference). */
    readonly requestPadding: RsaPadding = 'oaep-sha256',
  ) {}

  async nextServer(model: string, tier: ContextTier = '8k-fast'): Promise<NextServerResponse> {
    const res = await fetch(`${this.relayUrl}/api/v1/relay/servers/next?model=${encodeURIComponent(model)}&context_tier=${tier}`);
    const json = await res.json();
    if (res.status !== 200) throw new Error(`servers/next ${res.status}: ${JSON.stringify(json)}`);
    return NextServerResponse.parse(json);
  }

  /** Encrypts an inner request (or any value, for bad-input tests) and submits it. */
  async submitRaw(
    serverPublicKey: string,
    inner: unknown,
    requestId: string,
    opts: { outerClientKey?: string; encryptTo?: string } = {},
  ): Promise<SentRequest> {
    const outerClientKey = opts.outerClientKey ?? this.keys.publicKeyWire;
    const to = opts.encryptTo ?? serverPublicKey;
    let env: { ciphertext: string; cipherkey: string; iv: string };
    if (this.aead) {
      const sealed = sealAeadRequest(jsonPlaintext(inner), { requestId, clientPublicKey: outerClientKey, nodePublicKey: to });
      this.sessions.set(requestId, sealed.session);
      env = sealed.envelope;
    } else {
      env = encryptJson(inner, to, { padding: this.requestPadding, mode: 'cbc' });
    }
    return this.submitEnvelope(serverPublicKey, env, requestId, outerClientKey);
  }

  /** Submits an already encrypted envelope (tests that tamper with one). */
  async submitEnvelope(
    serverPublicKey: string,
    env: { ciphertext: string; cipherkey: string; iv: string },
    requestId: string,
    outerClientKey = this.keys.publicKeyWire,
  ): Promise<SentRequest> {
    const cancelToken = randomBytes(16).toString('hex');
    const res = await call(this.relayUrl, 'POST', '/api/v1/relay/requests', {
      server_public_key: serverPublicKey,
      client_public_key: outerClientKey,
      request_id: requestId,
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      cancel_token: cancelToken,
      ciphertext: env.ciphertext,
      cipherkey: env.cipherkey,
      iv: env.iv,
    });
    if (res.status !== 200) throw new Error(`submit ${res.status}: ${JSON.stringify(res.body)}`);
    return { requestId, cancelToken, serverPublicKey };
  }

  async send(input: {
    model: string;
    messages: InnerMessage[];
    options?: InnerOptions;
    tier?: ContextTier;
    serverPublicKey?: string;
    /** Ask for a streamed answer (§11.1); aead-v1 requests only. */
    stream?: boolean;
  }): Promise<SentRequest> {
    const serverKey = input.serverPublicKey ?? (await this.nextServer(input.model, input.tier)).server_public_key;
    const requestId = randomBytes(16).toString('hex');
    const inner = buildInnerRequest({
      requestId,
      clientPublicKey: this.keys.publicKeyWire,
      model: input.model,
      messages: input.messages,
      ...(input.options ? { options: input.options } : {}),
      ...(input.tier ? { contextTier: input.tier } : {}),
      ...(input.stream ? { stream: true } : {}),
    });
    return this.submitRaw(serverKey, inner, requestId);
  }

  decrypt(env: { ciphertext: string; cipherkey: string; iv: string }, padding: RsaPadding | 'legacy-oaep-then-pkcs1v15' = 'legacy-oaep-then-pkcs1v15'): unknown {
    return decryptJson(env, this.keys.privateKeyPem, { padding, requireMode: 'cbc' });
  }

  /** Opens a reply: aead-v1 when it carries the aead-v1 cipherkey and the request was sealed so, else CBC. */
  openReply(requestId: string, env: { ciphertext: string; cipherkey: string; iv: string }, padding: RsaPadding | 'legacy-oaep-then-pkcs1v15') {
    const session = this.sessions.get(requestId);
    if (session && env.cipherkey === AEAD_V1_NODE_CIPHERKEY) {
      return { inner: parseJsonPlaintext(openAeadReply(session, env)), profile: 'aead-v1' as const };
    }
    return { inner: this.decrypt(env, padding), profile: 'reference-cbc' as const };
  }

  private openProgress(requestId: string, env: { ciphertext: string; cipherkey: string; iv: string }, padding: RsaPadding | 'legacy-oaep-then-pkcs1v15'): unknown {
    const session = this.sessions.get(requestId);
    if (session) return parseJsonPlaintext(openAeadProgress(session, env).plaintext); // aead-v1 requests: only aead-v1 progress
    return this.decrypt(env, padding);
  }

  /** Polls responses/retrieve (long-poll `wait_seconds`) until an answer, a terminal status or the timeout. */
  async waitForAnswer(
    requestId: string,
    timeoutMs = 10_000,
    replyPadding: RsaPadding | 'legacy-oaep-then-pkcs1v15' = 'legacy-oaep-then-pkcs1v15',
    /** Awaited before the answer is decrypted (the benchmark keeps client CPU out of node timings). */
    beforeDecrypt?: () => Promise<unknown>,
  ): Promise<AnswerResult> {
    const progress: InnerProgressBody[] = [];
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const wait = Math.max(0, Math.min(1, (until - Date.now()) / 1000));
      const res = await call(this.relayUrl, 'POST', '/api/v1/relay/responses/retrieve', {
        client_public_key: this.keys.publicKeyWire,
        request_id: requestId,
        wait_seconds: wait,
      });
      if (res.status === 200) {
        const env = RetrievedResponse.parse(res.body);
        await beforeDecrypt?.();
        const envelope = { ciphertext: env.chat_history, cipherkey: env.cipherkey, iv: env.iv };
        const { inner, profile } = this.openReply(requestId, envelope, replyPadding);
        const reply = parseInnerResponse(inner, { requestId, clientPublicKey: this.keys.publicKeyWire });
        return { kind: 'reply', reply, progress, profile, inner, envelope };
      }
      if (res.status === 202) {
        const pending = RetrievePending.parse(res.body);
        if (pending.encrypted_progress && this.readProgress) {
          const inner = this.openProgress(requestId, pending.encrypted_progress, replyPadding);
          const p = parseInnerProgress(inner, {
            requestId,
            clientPublicKey: this.keys.publicKeyWire,
            lastSequence: progress.at(-1)?.sequence ?? 0,
          });
          if (p) progress.push(p);
        }
        continue;
      }
      const err = (res.body as { error?: { code?: unknown; reason?: unknown } } | undefined)?.error;
      return {
        kind: 'terminal',
        status: res.status,
        ...(typeof err?.code === 'string' ? { code: err.code } : {}),
        ...(typeof err?.reason === 'string' ? { reason: err.reason } : {}),
        progress,
      };
    }
    return { kind: 'timeout', progress };
  }

  async cancel(sent: SentRequest, reason = 'requester_cancelled'): Promise<number> {
    const res = await call(this.relayUrl, 'POST', '/api/v1/relay/requests/cancel', {
      client_public_key: this.keys.publicKeyWire,
      request_id: sent.requestId,
      cancel_token: sent.cancelToken,
      reason,
    });
    return res.status;
  }
}

/** Status and error code of `servers/next` for `model`: why a client is offered no node. */
export async function nextServerStatus(relayUrl: string, model: string): Promise<{ status: number; code?: string }> {
  const res = await call<{ error?: { code?: string } } | undefined>(relayUrl, 'GET', `/api/v1/relay/servers/next?model=${encodeURIComponent(model)}`);
  const code = res.body?.error?.code;
  return { status: res.status, ...(code ? { code } : {}) };
}

/** The assistant text of a reply, or throws with what came instead. */
export function replyText(result: AnswerResult): string {
  if (result.kind === 'reply' && result.reply.ok && result.reply.kind === 'message') {
    return result.reply.response.api_v1_response.message.content ?? '';
  }
  throw new Error(`expected an answer, got ${JSON.stringify(result.kind === 'reply' ? result.reply : result)}`);
}

/** The error code of an encrypted error reply, or throws. */
export function replyErrorCode(result: AnswerResult): string {
  if (result.kind === 'reply' && result.reply.ok && result.reply.kind === 'error') return result.reply.error.code;
  throw new Error(`expected an error reply, got ${JSON.stringify(result.kind === 'reply' ? result.reply : result)}`);
}
