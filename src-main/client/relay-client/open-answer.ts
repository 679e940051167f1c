// §2.3.2–§2.3.3 open the node's reply: decrypt with the client key, check its binding to this
// request, and map it — an answer for the caller, a node error (some of which send the request to
// another node or a larger tier), or one InvalidReplyError for every way it can be wrong (§1.9).
import { toGenericEnvelope, RelayMessageEnvelopeSchema } from '../../../src-shared/protocol/envelope';
import { PICK_ANOTHER_NODE_CODES } from '../../../src-shared/protocol/error-codes';
import { parseInnerResponse } from '../../../src-shared/protocol/inner-envelope';
import { InvalidReplyError, InvalidServerResponseError, NodeError } from '../errors';
import type { JsonResult } from '../http';
import { openReply } from '../reply-decrypt';
import type { ChatAnswer, ChatUsage } from '../types';
import type { ChatRun } from './chat-run';
import type { ChosenNode } from './choose-node';
import type { AttemptOutcome } from './outcome';

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

export function openAnswer(run: ChatRun, node: ChosenNode, reply: RetrievedReply): AttemptOutcome {
  const { requestId } = reply;
  const t = performance.now();
  const outer = RelayMessageEnvelopeSchema.safeParse(reply.result.body);
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
  const usage = usageOf(r.usage);
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
      relayUrl: reply.relayUrl,
      encryption: { symmetric: 'AES-256-CBC', requestWrap: 'oaep-sha256', replyWrap: opened.padding },
      timings: {
        totalMs: performance.now() - run.startedAt,
        ...run.timings,
        waitMs: reply.waitMs,
        decryptMs,
        ...(reply.firstProgressMs !== undefined ? { firstProgressMs: reply.firstProgressMs } : {}),
      },
      failovers: run.failovers,
      retrieveMode: reply.retrieveMode,
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
