// Client side of the API v1 relay E2EE protocol (docs/protocol.md §2.5 "Client").
import { randomBytes } from 'node:crypto';
import {
  CONTEXT_TIERS,
  DEFAULT_CONTEXT_TIER,
  PROTOCOL_ID,
  PROTOCOL_VERSION,
  REFERENCE_DEFAULTS,
} from '../../src-shared/protocol/constants';
import { toGenericEnvelope, RelayMessageEnvelopeSchema } from '../../src-shared/protocol/envelope';
import { PICK_ANOTHER_NODE_CODES } from '../../src-shared/protocol/error-codes';
import {
  InnerMessagesSchema,
  InnerOptionsSchema,
  buildInnerRequest,
  parseInnerProgress,
  parseInnerResponse,
  type InnerMessage,
  type InnerOptions,
} from '../../src-shared/protocol/inner-envelope';
import {
  MAX_RETRIEVE_WAIT_SECONDS,
  NextServerResponse,
  RelayErrorBody,
  RetrievePending,
  SubmitAccepted,
  type CancelBody,
  type RetrieveBody,
  type SubmitRequestBody,
} from '../../src-shared/protocol/relay-http';
import { ContextTierSchema, type ContextTier } from '../../src-shared/vocabulary';
import { KeyHolder, encryptJson, keyFingerprint, type RsaKeyPair } from '../crypto';
import {
  ChatCancelledError,
  ChatError,
  ChatTimeoutError,
  InvalidChatRequestError,
  InvalidReplyError,
  InvalidServerResponseError,
  NodeError,
  RelayError,
} from './errors';
import { fetchHealth, fetchModels } from './health';
import { callJson, type FetchLike, type JsonResult } from './http';
import { openReply } from './reply-decrypt';
import { normalizeServerUrl } from './server-url';
import type { ChatAnswer, ChatRequest, ChatStatus, ServerHealth } from './types';

export interface RelayClientConfig {
  baseUrl: string;
  fetch?: FetchLike;
  /** Client key pair; one is generated on first use when absent. */
  keys?: KeyHolder;
  /** Poll cadence when the relay has no long poll (§2.4.3: browser 500 ms). */
  pollIntervalMs?: number;
  /** `wait_seconds` asked of our relay's retrieve long poll; 0 disables it. */
  longPollWaitSeconds?: number;
  /** Timeout of each ordinary HTTP call (a long poll gets its wait added). */
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Added to the relay's request TTL for the local give-up time (§2.4.3: 5 s). */
  graceMs?: number;
  /** Give-up time when the relay sends no TTL (§2.4.3: 485 s). */
  legacyDeadlineMs?: number;
  /** Upper bound on failovers; the effective bound is min(this, live nodes − 1) (§2.5 step 4). */
  maxFailovers?: number;
  /** Consecutive transient retrieve failures (5xx, network) tolerated while waiting. */
  maxTransientRetrieveFailures?: number;
}

const DEFAULTS = {
  pollIntervalMs: 500,
  longPollWaitSeconds: 20,
  requestTimeoutMs: 15_000,
  graceMs: REFERENCE_DEFAULTS.clientResponseGraceSeconds * 1000,
  legacyDeadlineMs: (REFERENCE_DEFAULTS.requestDeadlineSeconds + REFERENCE_DEFAULTS.clientResponseGraceSeconds) * 1000,
  maxFailovers: 3,
  maxTransientRetrieveFailures: 3,
};

/** How long a node that failed stays avoided by later requests of this client. */
const RECENT_FAILURE_MS = 60_000;
/** A long poll answered faster than this (and without progress) was not honoured. */
const LONG_POLL_HONOURED_MIN_MS = 200;
const CANCEL_TIMEOUT_MS = 3_000;
const PICK_ANOTHER: ReadonlySet<string> = new Set(PICK_ANOTHER_NODE_CODES);

interface PickedNode {
  serverKey: string;
  fingerprint: string;
  resolvedModel: string;
  /** tier the relay selected (may be larger: spillover) */
  tier: ContextTier;
  /** tier we asked for; goes into the inner request's routing (§2.3.1) */
  requestedTier: ContextTier;
  liveNodes: number;
}

/** Outcome of one submit-and-wait on one node. */
type Attempt =
  | { kind: 'answer'; answer: ChatAnswer }
  /** This node failed in a way another node may not (404/410, §5.4 pick-another codes). */
  | { kind: 'failover'; error: ChatError }
  /** Automatic tier mode: the 8k node's window was too small; retry on 64k-full (§2.5 browser extra). */
  | { kind: 'escalate-tier'; error: ChatError };

interface ChatRun {
  req: ChatRequest;
  pair: RsaKeyPair;
  startedAt: number;
  userDeadline: number;
  failovers: number;
  timings: { findNodeMs: number; encryptMs: number; submitMs: number };
  status(s: ChatStatus): void;
}

const randomHex16 = () => randomBytes(16).toString('hex');

export class RelayClient {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly cfg: typeof DEFAULTS & { maxResponseBytes: number | undefined };
  private keys: KeyHolder | undefined;
  private keysPending: Promise<KeyHolder> | undefined;
  /** Nodes that failed recently (key → until); the relay's offer of one is declined once. */
  private readonly recentlyFailed = new Map<string, number>();
  /** undefined = not yet known; set after the first retrieve that could tell. */
  private longPollSupported: boolean | undefined;

  constructor(config: RelayClientConfig) {
    this.baseUrl = normalizeServerUrl(config.baseUrl);
    this.fetchImpl = config.fetch ?? fetch;
    this.keys = config.keys;
    this.cfg = {
      pollIntervalMs: config.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      longPollWaitSeconds: Math.min(config.longPollWaitSeconds ?? DEFAULTS.longPollWaitSeconds, MAX_RETRIEVE_WAIT_SECONDS),
      requestTimeoutMs: config.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      graceMs: config.graceMs ?? DEFAULTS.graceMs,
      legacyDeadlineMs: config.legacyDeadlineMs ?? DEFAULTS.legacyDeadlineMs,
      maxFailovers: config.maxFailovers ?? DEFAULTS.maxFailovers,
      maxTransientRetrieveFailures: config.maxTransientRetrieveFailures ?? DEFAULTS.maxTransientRetrieveFailures,
      maxResponseBytes: config.maxResponseBytes,
    };
    if (this.cfg.longPollWaitSeconds <= 0) this.longPollSupported = false;
  }

  /** The client's wire public key (generates the session key pair on first use). */
  async publicKeyWire(): Promise<string> {
    return (await this.keyHolder()).publicKeyWire;
  }

  /** New client key pair; requests already in flight keep the pair they started with. */
  async rotateKeys(): Promise<void> {
    await (await this.keyHolder()).rotateKeys();
  }

  health(): Promise<ServerHealth> {
    return fetchHealth(this.http(), this.baseUrl);
  }

  models(signal?: AbortSignal): Promise<string[]> {
    return fetchModels(this.http(), signal);
  }

  async chat(req: ChatRequest): Promise<ChatAnswer> {
    const messages = parseMessages(req);
    const options = parseOptions(req);
    if (req.contextTier !== undefined && !ContextTierSchema.safeParse(req.contextTier).success) {
      throw new InvalidChatRequestError('unknown context tier');
    }
    if (req.signal?.aborted) throw new ChatCancelledError(cancelCode(req.signal));
    const holder = await this.keyHolder();
    const startedAt = performance.now();
    const run: ChatRun = {
      req,
      pair: holder.current, // snapshot: a rotation during this request does not break its reply
      startedAt,
      userDeadline: req.timeoutMs !== undefined ? startedAt + req.timeoutMs : Infinity,
      failovers: 0,
      timings: { findNodeMs: 0, encryptMs: 0, submitMs: 0 },
      status: (s) => {
        try {
          req.onStatus?.(s);
        } catch {
          // a faulty listener must not break the request
        }
      },
    };
    let tier: ContextTier = req.contextTier ?? DEFAULT_CONTEXT_TIER;
    let escalated = false;
    const failed = new Set<string>();
    let lastError: ChatError | undefined;
    // "live nodes" of the §2.5 failover bound: the most the relay reported during this request
    let maxLiveNodes = 0;
    for (let attemptNo = 1; ; attemptNo++) {
      run.status({ type: 'finding_node', attempt: attemptNo, elapsedMs: performance.now() - startedAt });
      const node = await this.pickNode(run, req.model, tier, failed, lastError);
      const refusal = req.acceptNode?.(node.fingerprint) ?? null;
      const outcome: Attempt = refusal
        ? { kind: 'failover', error: refusal }
        : await this.attempt(run, node, messages, options);
      if (outcome.kind === 'answer') return outcome.answer;
      if (outcome.kind === 'escalate-tier' && !escalated) {
        escalated = true;
        tier = '64k-full';
        continue;
      }
      lastError = outcome.error;
      if (outcome.kind === 'escalate-tier') throw outcome.error;
      failed.add(node.serverKey);
      this.recentlyFailed.set(node.serverKey, performance.now() + RECENT_FAILURE_MS);
      maxLiveNodes = Math.max(maxLiveNodes, node.liveNodes);
      const allowed = Math.min(this.cfg.maxFailovers, Math.max(0, maxLiveNodes - 1));
      if (run.failovers >= allowed) throw outcome.error;
      run.failovers++;
      run.status({
        type: 'failover',
        failedNodeFingerprint: node.fingerprint,
        reason: outcome.error.code,
        failovers: run.failovers,
        elapsedMs: performance.now() - startedAt,
      });
    }
  }

  // ------------------------------------------------------------------ §2.4.1 discover a node

  private async pickNode(
    run: ChatRun,
    model: string | undefined,
    tier: ContextTier,
    failed: ReadonlySet<string>,
    lastError: ChatError | undefined,
  ): Promise<PickedNode> {
    // The relay picks (round robin among equals); ask again a few times when it offers a node
    // that already failed for this request. A node that failed a recent request is declined once:
    // if the relay offers it again, it may well be the only one, so it gets another chance.
    const now = performance.now();
    for (const [key, until] of this.recentlyFailed) if (until <= now) this.recentlyFailed.delete(key);
    let declinedRecent = false;
    for (let ask = 0; ask < 3; ask++) {
      const query = new URLSearchParams({ context_tier: tier });
      if (model) query.set('model', model);
      const t = performance.now();
      const res = await this.call(run, { method: 'GET', path: `/api/v1/relay/servers/next?${query}` });
      run.timings.findNodeMs += performance.now() - t;
      if (res.status !== 200) throw relayError(res);
      const next = NextServerResponse.safeParse(res.body);
      if (!next.success) throw new InvalidServerResponseError('invalid_server_response', 'servers/next body', res.status);
      const n = next.data;
      if (CONTEXT_TIERS[n.selected_context_tier] < CONTEXT_TIERS[tier]) {
        throw new ChatError('context_tier_mismatch', { detail: `asked ${tier}, relay selected ${n.selected_context_tier}` });
      }
      if (failed.has(n.server_public_key)) continue;
      if (!declinedRecent && this.recentlyFailed.has(n.server_public_key)) {
        declinedRecent = true;
        continue;
      }
      let fingerprint: string;
      try {
        fingerprint = keyFingerprint(n.server_public_key);
      } catch {
        throw new InvalidServerResponseError('invalid_server_response', 'servers/next offered a key that is not an RSA public key', res.status);
      }
      return {
        serverKey: n.server_public_key,
        fingerprint,
        resolvedModel: n.resolved_model,
        tier: n.selected_context_tier,
        requestedTier: tier,
        liveNodes: n.eligible_node_count,
      };
    }
    throw lastError ?? new ChatError('no_node_after_failover');
  }

  // ------------------------------------------------------------------ §2.4.2–§2.4.4 one node

  private async attempt(run: ChatRun, node: PickedNode, messages: InnerMessage[], options: InnerOptions): Promise<Attempt> {
    const { pair } = run;
    const requestId = randomHex16();
    const cancelToken = randomHex16();
    const t = performance.now();
    const envelope = encryptJson(
      buildInnerRequest({ requestId, clientPublicKey: pair.publicKeyWire, model: node.resolvedModel, messages, options, contextTier: node.requestedTier }),
      node.serverKey,
      { mode: 'cbc', padding: 'oaep-sha256' },
    );
    run.timings.encryptMs += performance.now() - t;
    const submit: SubmitRequestBody = {
      server_public_key: node.serverKey,
      client_public_key: pair.publicKeyWire,
      ciphertext: envelope.ciphertext,
      cipherkey: envelope.cipherkey,
      iv: envelope.iv,
      request_id: requestId,
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      cancel_token: cancelToken,
    };
    const cancel = (reason: 'client_timeout' | 'requester_cancelled') =>
      this.cancel({ client_public_key: pair.publicKeyWire, request_id: requestId, cancel_token: cancelToken, status: reason === 'client_timeout' ? 'expired' : 'cancelled', reason });

    try {
      return await this.submitAndWait(run, node, submit);
    } catch (err) {
      // Stopped or timed out after (or while) submitting: the relay may hold the request, so
      // cancel it (§2.4.4, §2.5 step 7). Best effort; the original outcome is what we report.
      if (err instanceof ChatTimeoutError) await cancel('client_timeout');
      if (err instanceof ChatCancelledError) {
        await cancel('requester_cancelled');
        throw new ChatCancelledError(cancelCode(run.req.signal));
      }
      throw err;
    }
  }

  private async submitAndWait(run: ChatRun, node: PickedNode, submit: SubmitRequestBody): Promise<Attempt> {
    const { pair } = run;
    const requestId = submit.request_id!;
    const t = performance.now();
    const res = await this.call(run, { method: 'POST', path: '/api/v1/relay/requests', body: submit });
    run.timings.submitMs += performance.now() - t;
    if (res.status === 404 || res.status === 410) return { kind: 'failover', error: relayError(res) };
    if (res.status !== 200) throw relayError(res);
    const admittedAt = performance.now();
    const accepted = SubmitAccepted.safeParse(res.body);
    // §2.4.3 deadline rule: admission + TTL + grace; legacy relays without TTL metadata: 485 s.
    let deadline = accepted.success
      ? admittedAt + accepted.data.request_ttl_seconds * 1000 + this.cfg.graceMs
      : admittedAt + this.cfg.legacyDeadlineMs;
    run.status({ type: 'submitted', requestId, nodeFingerprint: node.fingerprint, contextTier: node.tier, elapsedMs: admittedAt - run.startedAt });

    // One poll interval, cut short by the give-up time (read when called: 202s may shorten `deadline`).
    const pollPause = () =>
      this.sleep(run, Math.min(this.cfg.pollIntervalMs, Math.max(0, Math.min(deadline, run.userDeadline) - performance.now())));

    let lastSequence = 0;
    let firstProgressMs: number | undefined;
    let transientFailures = 0;
    let announcedQueued = false;
    for (;;) {
      const giveUpAt = Math.min(deadline, run.userDeadline);
      const remainingMs = giveUpAt - performance.now();
      if (remainingMs <= 0) {
        throw new ChatTimeoutError(giveUpAt === run.userDeadline ? 'local timeout' : 'relay deadline (§2.4.3) passed');
      }
      const waitSeconds = this.longPollSupported === false ? 0 : Math.min(this.cfg.longPollWaitSeconds, Math.floor(remainingMs / 1000));
      const body: RetrieveBody = { client_public_key: pair.publicKeyWire, request_id: requestId };
      if (waitSeconds > 0) body.wait_seconds = waitSeconds;
      let r: JsonResult;
      try {
        r = await this.call(run, {
          method: 'POST',
          path: '/api/v1/relay/responses/retrieve',
          body,
          timeoutMs: Math.min(waitSeconds * 1000 + this.cfg.requestTimeoutMs, Math.max(remainingMs, 1)),
          deadline: giveUpAt,
        });
      } catch (err) {
        if (err instanceof ChatError && (err.code === 'server_unreachable' || err.code === 'server_timeout') && ++transientFailures <= this.cfg.maxTransientRetrieveFailures) {
          await pollPause();
          continue;
        }
        throw err;
      }
      // Any answer the relay held back proves the long poll (the reference relay answers at once).
      if (waitSeconds > 0 && r.elapsedMs >= LONG_POLL_HONOURED_MIN_MS) this.longPollSupported = true;
      if (r.status === 200) {
        const waitMs = performance.now() - admittedAt;
        return this.openAnswer(run, node, requestId, r, { waitMs, firstProgressMs });
      }
      if (r.status === 202) {
        transientFailures = 0;
        const pending = RetrievePending.safeParse(r.body);
        if (!pending.success) throw new InvalidServerResponseError('invalid_server_response', 'retrieve 202 body', 202);
        const p = pending.data;
        if (p.request_deadline_remaining_seconds !== undefined) {
          // Each 202 may only shorten the give-up time (§2.4.3).
          deadline = Math.min(deadline, performance.now() + p.request_deadline_remaining_seconds * 1000 + this.cfg.graceMs);
        }
        if (waitSeconds > 0 && this.longPollSupported === undefined && !p.encrypted_progress) {
          // "pending" with nothing new, answered at once: wait_seconds was ignored (§2.4.3 reference relay).
          this.longPollSupported = r.elapsedMs >= Math.min(LONG_POLL_HONOURED_MIN_MS, waitSeconds * 500);
        }
        if (p.encrypted_progress) {
          const progress = this.openProgress(p.encrypted_progress, pair, requestId, lastSequence);
          if (progress) {
            lastSequence = progress.sequence;
            const elapsedMs = performance.now() - run.startedAt;
            firstProgressMs ??= performance.now() - admittedAt;
            run.status({
              type: 'progress',
              requestId,
              phase: progress.phase,
              sequence: progress.sequence,
              processedPromptTokens: progress.processed_prompt_tokens,
              totalPromptTokens: progress.total_prompt_tokens,
              cachedPromptTokens: progress.cached_prompt_tokens,
              generatedTokens: progress.generated_tokens,
              nodeElapsedMs: progress.elapsed_ms,
              elapsedMs,
            });
          }
        }
        if (!announcedQueued && lastSequence === 0) {
          announcedQueued = true;
          run.status({ type: 'queued', requestId, elapsedMs: performance.now() - run.startedAt, deadlineInMs: deadline - performance.now() });
        }
        // Poll cadence unless the relay is holding requests; a "pending" with nothing new that came
        // back at once never leads to a tight loop, whatever the relay claims to support.
        const returnedAtOnce = !p.encrypted_progress && r.elapsedMs < LONG_POLL_HONOURED_MIN_MS;
        if (waitSeconds === 0 || this.longPollSupported === false || returnedAtOnce) {
          await pollPause();
        }
        continue;
      }
      if (r.status === 400 && waitSeconds > 0 && this.longPollSupported === undefined) {
        // A strict relay may refuse the unknown `wait_seconds` key: poll without it from now on.
        this.longPollSupported = false;
        continue;
      }
      if (r.status === 404) return { kind: 'failover', error: new RelayError('request_lost', { httpStatus: 404 }) };
      if (r.status === 410) {
        const err = relayError(r);
        if (err.details?.reason === 'server_unregistered') return { kind: 'failover', error: err };
        throw err;
      }
      if (r.status >= 500 && ++transientFailures <= this.cfg.maxTransientRetrieveFailures) {
        await this.sleep(run, this.cfg.pollIntervalMs);
        continue;
      }
      throw relayError(r);
    }
  }

  private openAnswer(
    run: ChatRun,
    node: PickedNode,
    requestId: string,
    res: JsonResult,
    waited: { waitMs: number; firstProgressMs: number | undefined },
  ): Attempt {
    const t = performance.now();
    const outer = RelayMessageEnvelopeSchema.safeParse(res.body);
    if (!outer.success) throw new InvalidServerResponseError('invalid_server_response', 'retrieve 200 body', 200);
    const opened = openReply(toGenericEnvelope(outer.data), run.pair.privateKeyPem);
    const parsed = opened ? parseInnerResponse(opened.value, { requestId, clientPublicKey: run.pair.publicKeyWire }) : null;
    const decryptMs = performance.now() - t;
    if (!opened || !parsed || !parsed.ok) throw new InvalidReplyError();
    if (parsed.kind === 'error') {
      const { code, message: _message, ...details } = parsed.error;
      const error = new NodeError(code, { detail: 'node error reply', details });
      if (PICK_ANOTHER.has(code)) return { kind: 'failover', error };
      if (code === 'compute_node_context_window_exceeded' && !run.req.contextTier && node.tier === '8k-fast') {
        return { kind: 'escalate-tier', error };
      }
      throw error;
    }
    const r = parsed.response.api_v1_response;
    const content = r.message.content ?? '';
    // The browser refuses empty content and the literal "stub" (§2.3.2).
    if (content.length === 0 || content === 'stub') throw new NodeError('compute_node_invalid_model_output', { detail: 'empty answer' });
    const u = r.usage;
    const usage =
      u && (u.prompt_tokens !== undefined || u.completion_tokens !== undefined)
        ? {
            promptTokens: u.prompt_tokens ?? 0,
            completionTokens: u.completion_tokens ?? 0,
            totalTokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
          }
        : undefined;
    return {
      kind: 'answer',
      answer: {
        content,
        ...(r.finish_reason ? { finishReason: r.finish_reason } : {}),
        ...(usage ? { usage } : {}),
        model: node.resolvedModel,
        contextTier: node.tier,
        requestId,
        nodeFingerprint: node.fingerprint,
        relayUrl: this.baseUrl,
        encryption: { symmetric: 'AES-256-CBC', requestWrap: 'oaep-sha256', replyWrap: opened.padding },
        timings: {
          totalMs: performance.now() - run.startedAt,
          ...run.timings,
          waitMs: waited.waitMs,
          decryptMs,
          ...(waited.firstProgressMs !== undefined ? { firstProgressMs: waited.firstProgressMs } : {}),
        },
        failovers: run.failovers,
        retrieveMode: this.longPollSupported === undefined ? 'undetermined' : this.longPollSupported ? 'long-poll' : 'poll',
      },
    };
  }

  private openProgress(env: { ciphertext: string; cipherkey: string; iv: string }, pair: RsaKeyPair, requestId: string, lastSequence: number) {
    const opened = openReply({ ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv }, pair.privateKeyPem);
    // Invalid updates are ignored, never fatal (§2.3.4).
    return opened ? parseInnerProgress(opened.value, { requestId, clientPublicKey: pair.publicKeyWire, lastSequence }) : null;
  }

  /** §2.4.4 best effort: a failure to cancel never hides the original outcome. */
  private async cancel(body: CancelBody): Promise<void> {
    try {
      await callJson(this.fetchImpl, {
        method: 'POST',
        url: `${this.baseUrl}/api/v1/relay/requests/cancel`,
        body,
        timeoutMs: CANCEL_TIMEOUT_MS,
        maxBytes: 64 * 1024,
      });
    } catch {
      // unreachable relay: the request expires there on its own deadline
    }
  }

  // ------------------------------------------------------------------ plumbing

  private http() {
    return (call: { method: 'GET' | 'POST'; path: string; body?: unknown; signal?: AbortSignal; timeoutMs?: number }) =>
      callJson(this.fetchImpl, {
        method: call.method,
        url: `${this.baseUrl}${call.path}`,
        body: call.body,
        ...(call.signal ? { signal: call.signal } : {}),
        timeoutMs: call.timeoutMs ?? this.cfg.requestTimeoutMs,
        ...(this.cfg.maxResponseBytes !== undefined ? { maxBytes: this.cfg.maxResponseBytes } : {}),
      });
  }

  /** One HTTP call of a chat run: stops on the caller's signal, and on the run's local deadline. */
  private async call(
    run: ChatRun,
    c: { method: 'GET' | 'POST'; path: string; body?: unknown; timeoutMs?: number; deadline?: number },
  ): Promise<JsonResult> {
    const localDeadline = Math.min(c.deadline ?? Infinity, run.userDeadline);
    const untilDeadline = localDeadline - performance.now();
    if (untilDeadline <= 0) throw new ChatTimeoutError('local timeout');
    const timeoutMs = Math.min(c.timeoutMs ?? this.cfg.requestTimeoutMs, untilDeadline);
    try {
      return await this.http()({ method: c.method, path: c.path, body: c.body, ...(run.req.signal ? { signal: run.req.signal } : {}), timeoutMs });
    } catch (err) {
      // Our own deadline cut the call short: that is a timeout of the chat, not of the server.
      if (err instanceof ChatError && err.code === 'server_timeout' && performance.now() >= localDeadline - 5) {
        throw new ChatTimeoutError(localDeadline === run.userDeadline ? 'local timeout' : 'relay deadline (§2.4.3) passed');
      }
      throw err;
    }
  }

  private sleep(run: ChatRun, ms: number): Promise<void> {
    const signal = run.req.signal;
    if (signal?.aborted) return Promise.reject(new ChatCancelledError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ChatCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async keyHolder(): Promise<KeyHolder> {
    if (this.keys) return this.keys;
    this.keysPending ??= KeyHolder.create();
    this.keys = await this.keysPending;
    return this.keys;
  }
}

function parseMessages(req: ChatRequest): InnerMessage[] {
  const r = InnerMessagesSchema.safeParse(req.messages);
  if (!r.success) throw new InvalidChatRequestError(`messages: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

function parseOptions(req: ChatRequest): InnerOptions {
  const r = InnerOptionsSchema.safeParse(req.options ?? {});
  if (!r.success) throw new InvalidChatRequestError(`options.${String(r.error.issues[0]?.path[0] ?? '')}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

function cancelCode(signal: AbortSignal | undefined): 'requester_cancelled' | 'server_switched' {
  const reason: unknown = signal?.reason;
  return reason instanceof ChatCancelledError && reason.code === 'server_switched' ? 'server_switched' : 'requester_cancelled';
}

/** Relay HTTP error → typed error with the §5.4 code when the body names one. */
export function relayError(res: JsonResult): ChatError {
  const parsed = RelayErrorBody.safeParse(res.body);
  const e = parsed.success ? parsed.data.error : undefined;
  const stringCode = typeof e?.code === 'string' ? e.code : undefined;
  const code = stringCode ?? `http_${res.status}`;
  const details: Record<string, unknown> = {};
  if (e?.reason) details.reason = e.reason;
  if (e?.status) details.status = e.status;
  return new RelayError(code, { httpStatus: res.status, detail: e?.message ?? `HTTP ${res.status}`, ...(Object.keys(details).length ? { details } : {}) });
}
