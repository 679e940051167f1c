// One work item from decryption to the posted encrypted answer (docs/protocol.md §2.5 compute
// node steps 3–4): decrypt, bind and validate (§2.3.1), admit, run the provider with control
// polling / deadline / stop aborts, publish progress, encrypt the reply and post it — all in the
// profile the request came in (§10.7).
import { performance } from 'node:perf_hooks';
import { AEAD_V1_PROFILE, type RsaKeyPair, type RsaPadding, type UnwrapPadding } from '../crypto';
import { PROTOCOL_ID } from '../../src-shared/protocol/constants';
import type { NodeErrorCode } from '../../src-shared/protocol/error-codes';
import type { AdvertisedE2eeProfile, E2eeProfile } from '../../src-shared/vocabulary';
import {
  GENERIC_UNPROCESSABLE_ERROR,
  advertisesE2eeProfile,
  buildInnerErrorResponse,
  buildInnerSuccessResponse,
  validateInnerRequest,
  type InnerErrorDetails,
} from '../../src-shared/protocol/inner-envelope';
import { admitRequest } from './admission';
import { createAnswerStream, streamTransport, type StreamReport } from './answer-stream';
import type { AeadSpeakers } from './aead-speakers';
import { watchControl } from './control-watch';
import type { ModelCatalogue } from './model-config';
import { keepsReasoning } from './model-output';
import { openWorkItem, workItemProfile } from './open-work-item';
import type { ModelProvider, ProviderUsage } from './providers/types';
import type { NodeRelayApi, ReceivedWorkItem } from './relay-api';
import { createReplyPoster } from './reply-poster';
import type { ReplyProtection } from './reply-protection';
import { createRequestProgress } from './request-progress';
import { providerRequest, runProvider } from './run-provider';

/** The registration a work item arrived on (a node has more than one while rotating keys). */
export interface WorkIdentity {
  readonly keys: RsaKeyPair;
  /** Control credential of the registration (§2.4.5); may be replaced after re-registration. */
  credential(): string | undefined;
  /** relay_capabilities.encrypted_progress_v1 of the registration. */
  progressEnabled(): boolean;
  /** relay_capabilities.stream_chunks_v1 of the registration (§11.1). */
  streamChunksEnabled(): boolean;
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
   * Reply wrap: 'mirror' (the node's default: the wrap the request came with — v1.5 for browsers,
   * which can open nothing else, OAEP for our clients and Python ones, which accept both and are
   * spared a PKCS#1 v1.5 decryption they lack natively), 'pkcs1v15' or 'oaep-sha256'.
   */
  replyPadding: RsaPadding | 'mirror';
  /**
   * Request unwrap. Default 'legacy-oaep-then-pkcs1v15': our clients send OAEP, browsers and
   * reference clients send PKCS#1 v1.5 (§1.3), and a node must serve both. Failures of either
   * collapse into one DecryptionError, answered generically (§1.9.3/§1.9.4).
   */
  receivePadding: UnwrapPadding;
  /**
   * What undecryptable/unbound items get: one generic encrypted error, or nothing. The generic
   * error is always CBC: for an aead-v1 request the node has no usable request key (§10.7).
   */
  undecryptableReply: 'generic-error' | 'none';
  /** Shared switch: send server_public_key + control_credential with answers (our relay checks them). */
  responseProof: { enabled: boolean };
  /** Client keys that spoke aead-v1 to this node: their CBC requests are refused (§10.6). */
  aeadSpeakers: AeadSpeakers;
  defaultRequestTtlSeconds: number;
  progressIntervalMs: number;
  /** §11.6 at most one new snapshot per this many ms. */
  snapshotIntervalMs?: number;
  httpTimeoutMs: number;
  controlAckTimeoutMs: number;
  progressTimeoutMs: number;
  now?: () => number;
}

export type WorkOutcome =
  | 'answered'
  | 'error-replied'
  | 'generic-replied'
  | 'downgrade-refused'
  | 'ignored'
  | 'cancelled'
  | 'expired'
  | 'stopped'
  | 'gone'
  | 'undeliverable';

export interface WorkReport {
  requestId?: string;
  outcome: WorkOutcome;
  /** The request's e2ee profile (from its IV, §10.7), whether or not it could be opened. */
  profile: E2eeProfile;
  code?: NodeErrorCode;
  model?: string;
  /** A streamed answer (§11): how it went out. */
  stream?: StreamReport;
  /** Milliseconds spent in each stage (the node's own overhead excludes providerMs). */
  timings: { totalMs: number; decryptMs: number; validateMs: number; providerMs: number; encryptMs: number; postMs: number };
}

/** Provider usage in wire form; counts that are not non-negative integers are left out. */
function wireUsage(usage: ProviderUsage | undefined) {
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

type Terminal = 'cancelled' | 'expired' | 'stopped';

export async function handleWork(deps: WorkDeps, identity: WorkIdentity, item: ReceivedWorkItem): Promise<WorkReport> {
  const now = deps.now ?? performance.now.bind(performance);
  const t0 = now();
  const timings = { totalMs: 0, decryptMs: 0, validateMs: 0, providerMs: 0, encryptMs: 0, postMs: 0 };
  const report = (outcome: WorkOutcome, extra: Partial<WorkReport> = {}): WorkReport => {
    timings.totalMs = now() - t0;
    return { requestId: item.request_id, outcome, profile, timings, ...extra };
  };
  const profile = workItemProfile(item);

  // Reference nodes ignore work whose outer protocol differs (legacy items) — so do we.
  if (item.protocol !== PROTOCOL_ID) return report('ignored');
  const outerRequestId = item.request_id;
  const outerClientKey = item.client_public_key;
  const serverPublicKey = identity.keys.publicKeyWire;
  const credential = () => identity.credential();

  const postReply = createReplyPoster({
    api: deps.api,
    serverPublicKey,
    credential,
    responseProof: deps.responseProof,
    outerClientKey,
    httpTimeoutMs: deps.httpTimeoutMs,
    stopSignal: deps.stopSignal,
    onTiming: (stage, ms) => (timings[stage] += ms),
    now,
  });

  // Decryption and binding failures share one answer (§1.9.3): the generic error, to the outer
  // key and outer request_id, CBC with one fixed wrap (a mirrored wrap would tell whether
  // decryption succeeded) — or nothing at all. An aead-v1 request (which only our clients send,
  // and they open OAEP natively) gets OAEP; the choice depends only on the public IV (§10.7).
  async function genericReply(): Promise<WorkReport> {
    const padding: RsaPadding =
      profile === 'aead-v1' ? 'oaep-sha256' : deps.replyPadding === 'mirror' ? 'pkcs1v15' : deps.replyPadding;
    return sendGenericError(padding, 'generic-replied');
  }

  /** The one generic error (§1.9.3), CBC under `padding`, to the outer key and request id (or nothing). */
  async function sendGenericError(
    padding: RsaPadding,
    outcome: 'generic-replied' | 'downgrade-refused',
    e2eeProfiles: AdvertisedE2eeProfile[] = [],
  ): Promise<WorkReport> {
    if (deps.undecryptableReply === 'none' || outerRequestId === undefined) return report('ignored');
    const key = outerClientKey.trim();
    const inner = buildInnerErrorResponse({ requestId: outerRequestId, clientPublicKey: key, error: { ...GENERIC_UNPROCESSABLE_ERROR }, e2eeProfiles });
    const sent = await postReply(inner, key, outerRequestId, { profile: 'reference-cbc', padding });
    return report(sent === 'accepted' ? outcome : sent);
  }

  // No downgrade (§10.6): a client key that spoke aead-v1 here gets no CBC service. Decided on
  // the public outer key before anything is decrypted; the refusal is the generic error, CBC with
  // OAEP (only our clients speak aead-v1), and it says the node speaks aead-v1.
  if (profile === 'reference-cbc' && deps.aeadSpeakers.has(outerClientKey)) {
    return sendGenericError('oaep-sha256', 'downgrade-refused', [AEAD_V1_PROFILE]);
  }

  const td = now();
  const opened = await openWorkItem(item, identity.keys, deps.receivePadding, deps.replyPadding);
  timings.decryptMs = now() - td;
  if (!opened) return genericReply();

  const tv = now();
  const validation = validateInnerRequest(opened.value, outerClientKey);
  timings.validateMs = now() - tv;
  if (!validation.ok && validation.kind === 'unbound') return genericReply();

  const requestId = validation.ok ? validation.request.request_id : validation.requestId;
  const clientKey = validation.ok ? validation.request.client_public_key : validation.clientPublicKey;
  // aead-v1 binds the outer request id (§10.2); the inner one must be the same (§10.7).
  if (profile === 'aead-v1' && requestId !== outerRequestId) return genericReply();
  if (profile === 'aead-v1') deps.aeadSpeakers.remember(outerClientKey);
  const routeId = outerRequestId ?? requestId;
  const protection: ReplyProtection = opened.protection;
  // A CBC request that says it speaks aead-v1 hears that we do too (§10.6).
  const e2eeProfiles: AdvertisedE2eeProfile[] =
    protection.profile === 'reference-cbc' && advertisesE2eeProfile(opened.value, AEAD_V1_PROFILE) ? [AEAD_V1_PROFILE] : [];

  async function errorReply(error: InnerErrorDetails, model?: string): Promise<WorkReport> {
    const inner = buildInnerErrorResponse({ requestId, clientPublicKey: clientKey, error, e2eeProfiles });
    const sent = await postReply(inner, clientKey, routeId, protection);
    return report(sent === 'accepted' ? 'error-replied' : sent, { code: error.code, ...(model ? { model } : {}) });
  }

  if (!validation.ok) return errorReply(validation.error);
  const request = validation.request;
  const admitted = admitRequest(request, validation.contentChars, deps.catalogue);
  if (!admitted.ok) return errorReply(admitted.error);
  const model = admitted.model;

  // ---- lifecycle: deadline, control polling and node stop end the generation (one signal)
  const generation = new AbortController();
  let terminal: Terminal | null = null;
  const end = (why: Terminal) => {
    terminal ??= why;
    generation.abort();
  };
  const ttlSeconds = item.request_deadline_remaining_seconds ?? item.request_ttl_seconds ?? deps.defaultRequestTtlSeconds;
  const deadlineAt = t0 + ttlSeconds * 1000;
  const deadlineTimer = setTimeout(() => end('expired'), Math.max(0, deadlineAt - now()));
  const onStop = () => end('stopped');
  deps.stopSignal.addEventListener('abort', onStop, { once: true });
  if (deps.stopSignal.aborted) end('stopped');

  const watchDone = new AbortController();
  const controlWatch =
    outerRequestId === undefined
      ? Promise.resolve()
      : watchControl({
          api: deps.api,
          serverPublicKey,
          credential,
          requestId: outerRequestId,
          initialIntervalSeconds: identity.controlIntervalSeconds(),
          httpTimeoutMs: deps.httpTimeoutMs,
          ackTimeoutMs: deps.controlAckTimeoutMs,
          done: watchDone.signal,
          onTerminal: end,
        });

  const progress =
    identity.progressEnabled() && outerRequestId !== undefined && credential() !== undefined
      ? createRequestProgress({
          api: deps.api,
          serverPublicKey,
          credential,
          outerClientKey,
          outerRequestId,
          requestId,
          clientKey,
          protection,
          startedAt: t0,
          intervalMs: deps.progressIntervalMs,
          ...(deps.snapshotIntervalMs !== undefined && { snapshotIntervalMs: deps.snapshotIntervalMs }),
          timeoutMs: deps.progressTimeoutMs,
          now,
        })
      : null;
  progress?.update({ phase: 'preparing', totalPromptTokens: admitted.promptTokensEstimate });

  // §11.1: an aead-v1 request that asks to stream does, by chunks or snapshots as the relay allows.
  const transport = streamTransport({
    requested: request.stream === true,
    profile: protection.profile,
    chunkRoutes: identity.streamChunksEnabled() && outerRequestId !== undefined && credential() !== undefined,
    progress: progress !== null,
  });
  const keepReasoning = keepsReasoning(request, admitted.model);
  const stream =
    transport && protection.profile === 'aead-v1'
      ? createAnswerStream({
          transport,
          session: protection.session,
          progress,
          api: deps.api,
          serverPublicKey,
          credential,
          outerClientKey,
          outerRequestId: routeId,
          deadlineAt,
          httpTimeoutMs: deps.httpTimeoutMs,
          signal: AbortSignal.any([generation.signal, deps.stopSignal]),
          onGone: () => end('cancelled'),
          now,
          keepReasoning,
        })
      : null;

  const tprov = now();
  const providerCall = providerRequest(request, admitted, Math.max(1, deadlineAt - now()), progress ? (p) => progress.update(p) : undefined, stream?.onDelta);
  const outcome = await runProvider(deps.provider, providerCall, admitted, requestId, generation.signal, keepReasoning);
  timings.providerMs = now() - tprov;
  clearTimeout(deadlineTimer);
  deps.stopSignal.removeEventListener('abort', onStop);
  watchDone.abort();
  // Stop progress, but do not hold the answer for an update still in flight (the relay refuses
  // progress after completion anyway); the handler still waits for it before it ends.
  const progressClosed = progress?.close();
  await controlWatch;

  let result: WorkReport;
  const ended = terminal as Terminal | null;
  if (ended !== null || ('aborted' in outcome && outcome.aborted)) {
    // Suppress submission after a local stop, deadline or cancellation (§2.5 step 4).
    stream?.stop();
    result = report(ended ?? 'stopped', { model: model.id });
  } else if ('error' in outcome) {
    await stream?.fail(); // §11.8: the stream ends with finish_reason error, then the error answer
    result = await errorReply(outcome.error, model.id);
  } else if (outcome.ok) {
    const usage = wireUsage(outcome.usage);
    // §11.3: the final chunk first; the answer carries exactly the streamed text.
    const content = stream ? await stream.finish(outcome.content, outcome.finishReason, usage) : outcome.content;
    const inner = buildInnerSuccessResponse({
      requestId,
      clientPublicKey: clientKey,
      content,
      finishReason: outcome.finishReason ?? null,
      usage,
      outputBudget: admitted.outputBudget,
      e2eeProfiles,
    });
    const sent = await postReply(inner, clientKey, routeId, protection);
    result = report(sent === 'accepted' ? 'answered' : sent, { model: model.id });
  } else {
    result = report('stopped', { model: model.id });
  }
  await progressClosed;
  return stream ? { ...result, stream: stream.report() } : result;
}
