// §2.3.2–§2.3.3 open the node's reply and map it — an answer for the caller, a node error (some of
// which send the request to another node or a larger tier), or a refusal.
//   reference-cbc request (§1.4): decrypt with the client key and check the binding; every way it
//     can be wrong is one InvalidReplyError (§1.9). Our node lists `aead-v1` in the inner response
//     (§10.6): the key is remembered, and later requests to it are aead-v1.
//   aead-v1 request (§10.5.2): only an answer sealed with this request's own key K opens (tag, AAD
//     with both fingerprints and the request id). Anything else — a forged or replayed answer, or
//     CBC from a key that speaks aead-v1 (no downgrade) — is refused, and the caller keeps waiting
//     for the genuine one. The one exception is the node's generic "could not process" error as a
//     CBC envelope (N1 policy): that node cannot serve this request, so another one is tried.
import { toGenericEnvelope, RelayMessageEnvelopeSchema } from '../../../src-shared/protocol/envelope';
import { PICK_ANOTHER_NODE_CODES } from '../../../src-shared/protocol/error-codes';
import { GENERIC_UNPROCESSABLE_ERROR, parseInnerResponse, type InnerResponseParse } from '../../../src-shared/protocol/inner-envelope';
import { AEAD_V1_PROFILE, envelopeProfile, openAeadReply, parseJsonPlaintext, type AeadV1Session, type HybridEnvelope } from '../../crypto';
import { AnswerNotAuthenticError, InvalidReplyError, InvalidServerResponseError, NodeError } from '../errors';
import type { JsonResult } from '../http';
import { openReply } from '../reply-decrypt';
import type { ChatAnswer, ChatEncryption, ChatUsage } from '../types';
import type { ChatRun } from './chat-run';
import type { ChosenNode } from './choose-node';
import type { E2eeMemory } from './e2ee-memory';
import type { AttemptOutcome } from './outcome';
import type { SealedRequest } from './submit';

const PICK_ANOTHER: ReadonlySet<string> = new Set(PICK_ANOTHER_NODE_CODES);

/** The retrieved reply and what the answer reports about how it was waited for. */
export interface RetrievedReply {
  requestId: string;
  result: JsonResult;
  /** from accepted submit to the reply being retrieved */
  waitMs: number;
  firstProgressMs: number | undefined;
  relayUrl: string;
  retrieveMode: ChatAnswer['retrieveMode'];
}

/** An attempt's outcome, or: this reply was refused (not from whoever opened the request); keep waiting. */
export type AnswerOpening = AttemptOutcome | { kind: 'refused'; error: AnswerNotAuthenticError };

type Parsed = Extract<InnerResponseParse, { ok: true }>;

export function openAnswer(run: ChatRun, node: ChosenNode, sealed: SealedRequest, reply: RetrievedReply, e2ee: E2eeMemory): AnswerOpening {
  const t = performance.now();
  const outer = RelayMessageEnvelopeSchema.safeParse(reply.result.body);
  if (!outer.success) throw new InvalidServerResponseError('invalid_server_response', 'retrieve 200 body', 200);
  const envelope = toGenericEnvelope(outer.data);
  const binding = { requestId: sealed.requestId, clientPublicKey: run.pair.publicKeyWire };

  if (sealed.session) {
    if (envelopeProfile(envelope) === 'aead-v1') {
      const parsed = openAuthenticated(sealed.session, envelope, binding);
      const decryptMs = performance.now() - t;
      if (!parsed) return refused('aead-v1 answer failed authentication');
      e2ee.learnAead(node.fingerprint);
      return mapParsed(run, node, reply, parsed, decryptMs, {
        profile: 'aead-v1',
        authenticated: true,
        symmetric: 'AES-256-GCM',
        requestWrap: 'oaep-sha256',
        replyWrap: 'oaep-sha256',
      });
    }
    // CBC to an aead-v1 request proves nothing about who sent it.
    if (isGenericUnprocessable(envelope, run.pair.privateKeyPem, binding)) {
      return { kind: 'failover', error: new NodeError(GENERIC_UNPROCESSABLE_ERROR.code, { detail: 'the node could not open the aead-v1 request' }) };
    }
    return refused('CBC answer to an aead-v1 request');
  }

  const opened = openReply(envelope, run.pair.privateKeyPem);
  const parsed = opened ? parseInnerResponse(opened.value, binding) : null;
  const decryptMs = performance.now() - t;
  if (!opened || !parsed || !parsed.ok) throw new InvalidReplyError();
  if (advertisesAead(opened.value)) e2ee.learnAead(node.fingerprint);
  return mapParsed(run, node, reply, parsed, decryptMs, {
    profile: 'reference-cbc',
    authenticated: false,
    symmetric: 'AES-256-CBC',
    requestWrap: 'oaep-sha256',
    replyWrap: opened.padding,
  });
}

const refused = (detail: string): AnswerOpening => ({ kind: 'refused', error: new AnswerNotAuthenticError(detail) });

/** The bound inner response of an aead-v1 answer, or null for every way it can fail. */
function openAuthenticated(session: AeadV1Session, envelope: HybridEnvelope, binding: { requestId: string; clientPublicKey: string }): Parsed | null {
  try {
    const parsed = parseInnerResponse(parseJsonPlaintext(openAeadReply(session, envelope)), binding);
    return parsed.ok ? parsed : null;
  } catch {
    return null;
  }
}

function isGenericUnprocessable(envelope: HybridEnvelope, privateKeyPem: string, binding: { requestId: string; clientPublicKey: string }): boolean {
  const opened = openReply(envelope, privateKeyPem);
  const parsed = opened ? parseInnerResponse(opened.value, binding) : null;
  return (
    parsed?.ok === true &&
    parsed.kind === 'error' &&
    parsed.error.code === GENERIC_UNPROCESSABLE_ERROR.code &&
    parsed.error.message === GENERIC_UNPROCESSABLE_ERROR.message
  );
}

/** §10.6: our node lists the profiles it speaks at the top of its CBC inner response. */
function advertisesAead(inner: unknown): boolean {
  if (typeof inner !== 'object' || inner === null) return false;
  const list = (inner as { e2ee_profiles?: unknown }).e2ee_profiles;
  return Array.isArray(list) && list.length <= 8 && list.includes(AEAD_V1_PROFILE);
}

function mapParsed(run: ChatRun, node: ChosenNode, reply: RetrievedReply, parsed: Parsed, decryptMs: number, encryption: ChatEncryption): AttemptOutcome {
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
  const usage = usageOf(r.usage);
  return {
    kind: 'answer',
    answer: {
      content,
      ...(r.finish_reason ? { finishReason: r.finish_reason } : {}),
      ...(usage ? { usage } : {}),
      model: node.resolvedModel,
      contextTier: node.tier,
      requestId: reply.requestId,
      nodeFingerprint: node.fingerprint,
      relayUrl: reply.relayUrl,
      encryption,
      timings: {
        totalMs: performance.now() - run.startedAt,
        ...run.timings,
        waitMs: reply.waitMs,
        decryptMs,
        ...(reply.firstProgressMs !== undefined ? { firstProgressMs: reply.firstProgressMs } : {}),
      },
      failovers: run.failovers,
      retrieveMode: reply.retrieveMode,
      delivery: 'whole',
      firstTextMs: performance.now() - run.startedAt,
    },
  };
}

function usageOf(u: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null | undefined): ChatUsage | undefined {
  if (!u || (u.prompt_tokens === undefined && u.completion_tokens === undefined)) return undefined;
  return {
    promptTokens: u.prompt_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
    totalTokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
  };
}
