// One work item from decryption to the posted encrypted answer (token-place-v1.md §2.5 compute
// node steps 3–4): decrypt, bind and validate (§2.3.1), admit, run the provider with control
// polling / deadline / stop aborts, publish progress, encrypt the reply and post it.
import { performance } from 'node:perf_hooks';
import { decryptJson, encryptJson, type RsaKeyPair, type RsaPadding, type UnwrapPadding } from '../crypto';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import type { NodeErrorCode } from '../../src-shared/protocol/error-codes';
import {
  GENERIC_UNPROCESSABLE_ERROR,
  buildInnerErrorResponse,
  buildInnerProgress,
  buildInnerSuccessResponse,
  effectiveOptions,
  messageContentText,
  validateInnerRequest,
  type InnerErrorDetails,
  type InnerRequest,
} from '../../src-shared/protocol/inner-envelope';
import type { NodeResponseBody } from '../../src-shared/protocol/relay-http';
import { admitRequest } from './admission';
import { ProviderAbortedError, ProviderError } from './errors';
import type { ModelCatalogue } from './model-config';
import { usableModelOutput } from './model-output';
import { ProgressPublisher } from './progress-publisher';
import type { ModelProvider, ProviderMessage } from './providers/types';
import type { NodeRelayApi, ReceivedWorkItem } from './relay-api';
import { nodeError } from './reply-errors';

/** The registration a work item arrived on (a node has more than one while rotating keys). */
export interface WorkIdentity {
  readonly keys: RsaKeyPair;
  /** Control credential of the registration (§2.4.5); may be replaced after re-registration. */
  credential(): string | undefined;
  /** relay_capabilities.encrypted_progress_v1 of the registration. */
  progressEnabled(): boolean;
  /** Initial `/servers/control` cadence in seconds (the relay's answers adjust it). */
  controlIntervalSeconds(): number;
}

export interface WorkDeps {
  api: NodeRelayApi;
  catalogue: ModelCatalogue;
  provider: ModelProvider;
  /** Aborts everything (node stop). */
  stopSignal: AbortSignal;
  /**
   * Reply wrap: 'pkcs1v15' (default; browsers can open nothing else), 'oaep-sha256', or 'mirror'
   * (the wrap the request came with: v1.5 for browsers, OAEP for our clients and Python ones,
   * which accept both — cheaper for clients that lack native PKCS#1 v1.5 decryption).
   */
  replyPadding: RsaPadding | 'mirror';
  /**
   * Request unwrap. Default 'legacy-oaep-then-pkcs1v15': our clients send OAEP, browsers and
   * reference clients send PKCS#1 v1.5 (§1.3), and a node must serve both. Failures of either
   * collapse into one DecryptionError, answered generically (§1.9.3/§1.9.4).
   */
  receivePadding: UnwrapPadding;
  /** What undecryptable/unbound items get: one generic encrypted error, or nothing. */
  undecryptableReply: 'generic-error' | 'none';
  /** Shared switch: send server_public_key + control_credential with answers (our relay checks them). */
  responseProof: { enabled: boolean };
  defaultRequestTtlSeconds: number;
  progressIntervalMs: number;
  httpTimeoutMs: number;
  controlAckTimeoutMs: number;
  progressTimeoutMs: number;
  now?: () => number;
}

export type WorkOutcome =
  | 'answered'
  | 'error-replied'
  | 'generic-replied'
  | 'ignored'
  | 'cancelled'
  | 'expired'
  | 'stopped'
  | 'gone'
  | 'undeliverable';

export interface WorkReport {
  requestId?: string;
  outcome: WorkOutcome;
  code?: NodeErrorCode;
  model?: string;
  /** Milliseconds spent in each stage (the node's own overhead excludes providerMs). */
  timings: { totalMs: number; decryptMs: number; validateMs: number; providerMs: number; encryptMs: number; postMs: number };
}

/** Provider usage in wire form; counts that are not non-negative integers are left out. */
function wireUsage(usage: { promptTokens?: number; completionTokens?: number; totalTokens?: number } | undefined) {
  if (!usage) return undefined;
  const out: Record<string, number> = {};
  const put = (key: string, v: number | undefined) => {
    if (v !== undefined && Number.isSafeInteger(v) && v >= 0) out[key] = v;
  };
  put('prompt_tokens', usage.promptTokens);
  put('completion_tokens', usage.completionTokens);
  put('total_tokens', usage.totalTokens);
  return Object.keys(out).length ? out : undefined;
}

type Terminal = 'cancelled' | 'expired' | 'stopped' | null;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export async function handleWork(deps: WorkDeps, identity: WorkIdentity, item: ReceivedWorkItem): Promise<WorkReport> {
  const now = deps.now ?? performance.now.bind(performance);
  const t0 = now();
  const timings = { totalMs: 0, decryptMs: 0, validateMs: 0, providerMs: 0, encryptMs: 0, postMs: 0 };
  const report = (outcome: WorkOutcome, extra: Partial<WorkReport> = {}): WorkReport => {
    timings.totalMs = now() - t0;
    return { requestId: item.request_id, outcome, timings, ...extra };
  };

  // Reference nodes ignore work whose outer protocol differs (legacy items) — so do we.
  if (item.protocol !== PROTOCOL_ID) return report('ignored');
  const outerRequestId = item.request_id;
  const outerClientKey = item.client_public_key;

  // Generic replies always use one fixed wrap: a wrap that mirrored the request would tell a
  // prober whether decryption succeeded (§1.9.3).
  const genericPadding: RsaPadding = deps.replyPadding === 'mirror' ? 'pkcs1v15' : deps.replyPadding;
  let replyPadding: RsaPadding = deps.replyPadding === 'mirror' ? 'oaep-sha256' : deps.replyPadding;

  async function post(inner: unknown, clientKey: string, requestId: string, padding = replyPadding): Promise<'accepted' | 'gone' | 'undeliverable'> {
    const te = now();
    let envelope;
    try {
      envelope = encryptJson(inner, clientKey, { padding, mode: 'cbc' });
    } catch {
      return 'undeliverable'; // the client key is not a usable RSA key: nobody could read an answer
    } finally {
      timings.encryptMs += now() - te;
    }
    const tp = now();
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const credential = identity.credential();
        const proof = deps.responseProof.enabled && credential !== undefined;
        // Reference clients read `chat_history` (§1.5); our relay stores it under both names.
        const body: NodeResponseBody = {
          client_public_key: outerClientKey,
          request_id: requestId,
          protocol: PROTOCOL_ID,
          version: PROTOCOL_VERSION,
          chat_history: envelope.ciphertext,
          cipherkey: envelope.cipherkey,
          iv: envelope.iv,
          ...(proof ? { server_public_key: identity.keys.publicKeyWire, control_credential: credential } : {}),
        };
        let result;
        try {
          result = await deps.api.respond(body, deps.httpTimeoutMs);
        } catch {
          if (deps.stopSignal.aborted) return 'undeliverable';
          await sleep(200 * (attempt + 1), deps.stopSignal);
          continue;
        }
        if (result === 'accepted' || result === 'duplicate') return 'accepted';
        if (result === 'gone') return 'gone';
        // 400 with the ownership proof: a reference relay (strict allowlist) — stop sending it.
        if (proof && result === 'rejected') {
          deps.responseProof.enabled = false;
          continue;
        }
        return 'undeliverable';
      }
      return 'undeliverable';
    } finally {
      timings.postMs += now() - tp;
    }
  }

  // Decryption and binding failures share one answer (§1.9.3): the generic error, to the outer
  // key and outer request_id, or nothing at all. No detail about which check failed.
  async function genericReply(): Promise<WorkReport> {
    if (deps.undecryptableReply === 'none' || outerRequestId === undefined) return report('ignored');
    const inner = buildInnerErrorResponse({
      requestId: outerRequestId,
      clientPublicKey: outerClientKey.trim(),
      error: { ...GENERIC_UNPROCESSABLE_ERROR },
    });
    const sent = await post(inner, outerClientKey.trim(), outerRequestId, genericPadding);
    return report(sent === 'accepted' ? 'generic-replied' : sent === 'gone' ? 'gone' : 'undeliverable');
  }

  const td = now();
  let decrypted: unknown;
  try {
    const env = { ciphertext: (item.ciphertext ?? item.chat_history)!, cipherkey: item.cipherkey, iv: item.iv };
    const key = identity.keys.privateKeyPem;
    if (deps.replyPadding === 'mirror' && deps.receivePadding === 'legacy-oaep-then-pkcs1v15') {
      // Same order as the legacy mode (OAEP, then v1.5), but we learn which wrap the client used.
      try {
        decrypted = decryptJson(env, key, { padding: 'oaep-sha256', requireMode: 'cbc' });
      } catch {
        decrypted = decryptJson(env, key, { padding: 'pkcs1v15', requireMode: 'cbc' });
        replyPadding = 'pkcs1v15';
      }
    } else {
      decrypted = decryptJson(env, key, { padding: deps.receivePadding, requireMode: 'cbc' });
      if (deps.replyPadding === 'mirror') replyPadding = deps.receivePadding === 'pkcs1v15' ? 'pkcs1v15' : 'oaep-sha256';
    }
  } catch {
    timings.decryptMs = now() - td;
    return genericReply();
  }
  timings.decryptMs = now() - td;

  const tv = now();
  const validation = validateInnerRequest(decrypted, outerClientKey);
  timings.validateMs = now() - tv;
  if (!validation.ok && validation.kind === 'unbound') return genericReply();

  const requestId = validation.ok ? validation.request.request_id : validation.requestId;
  const clientKey = validation.ok ? validation.request.client_public_key : validation.clientPublicKey;
  const routeId = outerRequestId ?? requestId;

  async function errorReply(error: InnerErrorDetails, model?: string): Promise<WorkReport> {
    const sent = await post(buildInnerErrorResponse({ requestId, clientPublicKey: clientKey, error }), clientKey, routeId);
    return report(sent === 'accepted' ? 'error-replied' : sent, { code: error.code, ...(model ? { model } : {}) });
  }

  if (!validation.ok) return errorReply(validation.error);
  const request: InnerRequest = validation.request;
  const admitted = admitRequest(request, validation.contentChars, deps.catalogue);
  if (!admitted.ok) return errorReply(admitted.error);
  const model = admitted.model;

  // ---- lifecycle: deadline, control polling, node stop → one abort signal for the provider
  const generation = new AbortController();
  let terminal: Terminal = null;
  const end = (why: Exclude<Terminal, null>) => {
    if (terminal === null) terminal = why;
    generation.abort();
  };
  const ttlSeconds = item.request_deadline_remaining_seconds ?? item.request_ttl_seconds ?? deps.defaultRequestTtlSeconds;
  const deadlineAt = t0 + ttlSeconds * 1000;
  const deadlineTimer = setTimeout(() => end('expired'), Math.max(0, deadlineAt - now()));
  const onStop = () => end('stopped');
  deps.stopSignal.addEventListener('abort', onStop, { once: true });
  if (deps.stopSignal.aborted) end('stopped');

  const watchDone = new AbortController();
  const controlWatch = outerRequestId === undefined ? Promise.resolve() : watchControl(outerRequestId);

  async function watchControl(id: string): Promise<void> {
    let intervalS = identity.controlIntervalSeconds();
    for (;;) {
      await sleep(intervalS * 1000, watchDone.signal);
      if (watchDone.signal.aborted) return;
      const credential = identity.credential();
      if (credential === undefined) continue;
      let res;
      try {
        res = await deps.api.control(
          { server_public_key: identity.keys.publicKeyWire, request_id: id, control_credential: credential, acknowledge: false },
          deps.httpTimeoutMs,
        );
      } catch {
        continue; // relay briefly unreachable: keep generating, the deadline still bounds us
      }
      if (res.status === 'forbidden') continue;
      intervalS = Math.min(10, Math.max(1, res.next_poll_seconds || intervalS));
      if (res.status === 'cancelled' || res.status === 'expired') {
        end(res.status);
        try {
          await deps.api.control(
            { server_public_key: identity.keys.publicKeyWire, request_id: id, control_credential: credential, acknowledge: true },
            deps.controlAckTimeoutMs,
          );
        } catch {
          /* the tombstone expires on its own */
        }
        return;
      }
    }
  }

  const credentialAtStart = identity.credential();
  const progress =
    identity.progressEnabled() && outerRequestId !== undefined && credentialAtStart !== undefined
      ? new ProgressPublisher(
          async (body) => {
            const credential = identity.credential();
            if (credential === undefined) return 'stop';
            const env = encryptJson(buildInnerProgress({ requestId, clientPublicKey: clientKey, progress: body }), clientKey, {
              padding: replyPadding,
              mode: 'cbc',
            });
            return deps.api.progress(
              {
                server_public_key: identity.keys.publicKeyWire,
                client_public_key: outerClientKey,
                request_id: outerRequestId,
                control_credential: credential,
                protocol: PROTOCOL_ID,
                version: PROTOCOL_VERSION,
                ciphertext: env.ciphertext,
                cipherkey: env.cipherkey,
                iv: env.iv,
              },
              deps.progressTimeoutMs,
            );
          },
          t0,
          deps.progressIntervalMs,
          now,
        )
      : null;
  const totalPrompt = admitted.promptTokensEstimate;
  progress?.update({ phase: 'preparing', totalPromptTokens: totalPrompt });

  const options = effectiveOptions(request.api_v1_request.options);
  const messages: ProviderMessage[] = request.api_v1_request.messages.map((m) => ({
    role: m.role,
    content: messageContentText(m.content),
    ...(m.name !== undefined ? { name: m.name } : {}),
  }));
  if (model.injectNoThink) messages.unshift({ role: 'system', content: '/no_think' });

  const tprov = now();
  let outcome: { ok: true; content: string; finishReason?: string; usage?: { promptTokens?: number; completionTokens?: number; totalTokens?: number } } | { ok: false; error: InnerErrorDetails };
  try {
    const result = await deps.provider.chat(
      {
        model: model.providerModel,
        messages,
        maxTokens: admitted.outputBudget.effective_tokens,
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.top_p !== undefined ? { topP: options.top_p } : {}),
        ...(options.frequency_penalty !== undefined ? { frequencyPenalty: options.frequency_penalty } : {}),
        ...(options.presence_penalty !== undefined ? { presencePenalty: options.presence_penalty } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.stop !== undefined ? { stop: typeof options.stop === 'string' ? [options.stop] : options.stop } : {}),
        timeoutMs: Math.max(1, deadlineAt - now()),
        onProgress: (p) =>
          progress?.update({
            phase: p.phase,
            totalPromptTokens: p.promptTokens ?? totalPrompt,
            processedPromptTokens: p.processedPromptTokens,
            generatedTokens: p.generatedTokens,
          }),
      },
      generation.signal,
    );
    const text = usableModelOutput(result.content, model);
    outcome =
      text === null
        ? { ok: false, error: nodeError('compute_node_invalid_model_output', requestId) }
        : { ok: true, content: text, finishReason: result.finishReason, usage: result.usage };
  } catch (err) {
    if (err instanceof ProviderAbortedError || generation.signal.aborted) {
      outcome = { ok: false, error: nodeError('compute_node_internal_error', requestId) }; // replaced below
    } else if (err instanceof ProviderError) {
      outcome = {
        ok: false,
        error: nodeError(err.code, requestId, {
          internal_reason: err.reason,
          active_context_tier: model.contextTier,
          requested_context_tier: admitted.requestedTier,
          runtime_healthy: err.code !== 'compute_node_runtime_unavailable',
        }),
      };
    } else {
      outcome = { ok: false, error: nodeError('compute_node_internal_error', requestId) };
    }
  } finally {
    timings.providerMs = now() - tprov;
    clearTimeout(deadlineTimer);
    deps.stopSignal.removeEventListener('abort', onStop);
    watchDone.abort();
  }
  // Stop progress, but do not hold the answer for an update still in flight (the relay refuses
  // progress after completion anyway); the handler still waits for it before it ends.
  const progressClosed = progress?.close();
  await controlWatch;

  let result: WorkReport;
  if (terminal !== null) {
    // Suppress submission after a local stop, deadline or cancellation (§2.5 step 4).
    result = report(terminal, { model: model.id });
  } else if (!outcome.ok) {
    result = await errorReply(outcome.error, model.id);
  } else {
    const inner = buildInnerSuccessResponse({
      requestId,
      clientPublicKey: clientKey,
      content: outcome.content,
      finishReason: outcome.finishReason ?? null,
      usage: wireUsage(outcome.usage),
      outputBudget: admitted.outputBudget,
    });
    const sent = await post(inner, clientKey, routeId);
    result = report(sent === 'accepted' ? 'answered' : sent, { model: model.id });
  }
  await progressClosed;
  return result;
}
