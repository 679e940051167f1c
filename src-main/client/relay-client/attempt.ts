// §2.4.2–§2.4.4 one attempt on one node: seal and submit the request (aead-v1 when the key speaks
// it, §10), wait for the reply while reporting progress, and open it. A refused answer (not from
// whoever opened the request, §10.5.2) is not shown: the attempt keeps waiting for the genuine one
// until its deadline — then it ends with that refusal, not a timeout — or fails over when the
// relay no longer has the request. Stopped or timed out after (or while) submitting, the request
// is cancelled at the relay (§2.4.4, §2.5 step 7).
import { ChatCancelledError, ChatTimeoutError, type AnswerNotAuthenticError } from '../errors';
import { cancelAtRelay } from './cancel';
import type { CheckedChat } from './chat-request';
import { cancelCode, type ChatRun } from './chat-run';
import type { ChosenNode } from './choose-node';
import type { ClientContext } from './context';
import { bothMemories, type E2eeMemory } from './e2ee-memory';
import { RequestDeadline } from './deadline';
import { openAnswer } from './open-answer';
import { openProgress, progressStatus } from './open-progress';
import type { AttemptOutcome } from './outcome';
import { ProgressGate } from './progress-gate';
import { sealRequest, submitRequest, type AdmittedRequest, type SealedRequest } from './submit';
import { ReplyWaiter } from './wait';

export async function attemptOnNode(ctx: ClientContext, run: ChatRun, node: ChosenNode, chat: CheckedChat): Promise<AttemptOutcome> {
  const e2ee = bothMemories(run.req.e2ee, ctx.e2ee);
  const profile = e2ee.speaksAead(node.fingerprint) || node.advertisesAead ? 'aead-v1' : 'reference-cbc';
  const sealed = sealRequest(run, node, chat, profile);
  const refusals: { last: AnswerNotAuthenticError | undefined } = { last: undefined };
  try {
    const submitted = await submitRequest(ctx.calls, run, node, sealed);
    if (submitted.kind === 'node-gone') return { kind: 'failover', error: submitted.error };
    return await awaitAnswer(ctx, run, node, sealed, submitted.admitted, e2ee, refusals);
  } catch (err) {
    // Best effort; the original outcome is what we report.
    if (err instanceof ChatTimeoutError) {
      await cancelAtRelay(ctx.calls, sealed, 'client_timeout');
      if (refusals.last) throw refusals.last;
    }
    if (err instanceof ChatCancelledError) {
      await cancelAtRelay(ctx.calls, sealed, 'requester_cancelled');
      throw new ChatCancelledError(cancelCode(run.req.signal));
    }
    throw err;
  }
}

async function awaitAnswer(
  ctx: ClientContext,
  run: ChatRun,
  node: ChosenNode,
  sealed: SealedRequest,
  admitted: AdmittedRequest,
  e2ee: E2eeMemory,
  refusals: { last: AnswerNotAuthenticError | undefined },
): Promise<AttemptOutcome> {
  const { requestId } = sealed;
  const deadline = new RequestDeadline(run, admitted, ctx.settings);
  const waiter = new ReplyWaiter(ctx.calls, ctx.longPoll, ctx.settings, run, { requestId, clientPublicKey: run.pair.publicKeyWire, deadline });
  const progressGate = new ProgressGate();
  let lastSequence = 0;
  let firstProgressMs: number | undefined;
  let announcedQueued = false;
  for (;;) {
    const retrieved = await waiter.next();
    if (retrieved.kind === 'request-gone') return { kind: 'failover', error: refusals.last ?? retrieved.error };
    if (retrieved.kind === 'reply') {
      const waitMs = performance.now() - admitted.admittedAt;
      const reply = { requestId, result: retrieved.result, waitMs, firstProgressMs, relayUrl: ctx.calls.baseUrl, retrieveMode: ctx.longPoll.mode };
      const opened = openAnswer(run, node, sealed, reply, e2ee);
      if (opened.kind !== 'refused') return opened;
      refusals.last = opened.error;
      run.status({ type: 'answer_refused', requestId, elapsedMs: run.elapsedMs() });
      waiter.nothingNew();
      continue;
    }
    const envelope = retrieved.progress;
    const progress = envelope && progressGate.admit(envelope) ? openProgress(envelope, run.pair, requestId, lastSequence, sealed.session) : null;
    if (envelope && !progress) waiter.nothingNew();
    if (progress) {
      lastSequence = progress.sequence;
      const elapsedMs = run.elapsedMs();
      firstProgressMs ??= performance.now() - admitted.admittedAt;
      run.status(progressStatus(progress, requestId, elapsedMs));
    }
    if (!announcedQueued && lastSequence === 0) {
      announcedQueued = true;
      run.status({ type: 'queued', requestId, elapsedMs: run.elapsedMs(), deadlineInMs: deadline.relayDeadlineInMs() });
    }
  }
}
