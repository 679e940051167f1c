// §2.4.2–§2.4.4 one attempt on one node: seal and submit the request (aead-v1 when the key speaks
// it, §10), wait for the reply while reporting progress, and open it. A refused answer (not from
// whoever opened the request, §10.5.2) is not shown: the attempt keeps waiting for the genuine one
// until its deadline — then it ends with that refusal, not a timeout — or fails over when the
// relay no longer has the request. Stopped or timed out after (or while) submitting, the request
// is cancelled at the relay (§2.4.4, §2.5 step 7).
// An aead-v1 answer is asked for as a stream (§11.1, §11.7): chunks read from the relay before the
// answer is retrieved, or snapshots in progress updates through a reference relay, handed to the
// caller's onDelta as they are authenticated. Once text arrived the attempt no longer fails over:
// its error ends the request (§11.7 Failover).
import { ChatCancelledError, ChatTimeoutError, StreamBrokenError, type AnswerNotAuthenticError } from '../errors';
import type { ChatAnswer } from '../types';
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
import { StreamReader } from './stream-reader';
import { StreamedText, type StreamTransport } from './streamed-text';
import { sealRequest, submitRequest, type AdmittedRequest, type SealedRequest } from './submit';
import { ReplyWaiter } from './wait';

export async function attemptOnNode(ctx: ClientContext, run: ChatRun, node: ChosenNode, chat: CheckedChat): Promise<AttemptOutcome> {
  const e2ee = bothMemories(run.req.e2ee, ctx.e2ee);
  const profile = e2ee.speaksAead(node.fingerprint) || node.advertisesAead ? 'aead-v1' : 'reference-cbc';
  const sealed = sealRequest(run, node, chat, profile);
  const refusals: { last: AnswerNotAuthenticError | undefined } = { last: undefined };
  const stream = sealed.streams && sealed.session ? new StreamedText(sealed.session) : undefined;
  try {
    const submitted = await submitRequest(ctx.calls, run, node, sealed);
    if (submitted.kind === 'node-gone') return { kind: 'failover', error: submitted.error };
    const outcome = await awaitAnswer(ctx, run, node, sealed, submitted.admitted, e2ee, refusals, stream);
    // Text was shown: another node would start the answer over, so this error ends the request.
    if (outcome.kind !== 'answer' && stream && stream.parts > 0) throw outcome.error;
    return outcome;
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
    // A broken stream is not shown further; the node may still be generating: stop it.
    if (err instanceof StreamBrokenError) await cancelAtRelay(ctx.calls, sealed, 'requester_cancelled');
    throw err;
  }
}

/** Hands authenticated text to the caller (ChatDelta: a chunk's text, or a whole snapshot) and says how the answer arrived. */
class DeltaSink {
  firstTextMs: number | undefined;
  transport: StreamTransport | undefined;

  constructor(
    private readonly run: ChatRun,
    readonly text: StreamedText,
  ) {}

  emit(added: string | null, transport: StreamTransport): void {
    if (!added) return;
    this.firstTextMs ??= this.run.elapsedMs();
    this.transport = transport;
    const snapshot = transport === 'snapshots';
    this.run.delta({ text: snapshot ? this.text.text : added, snapshot, elapsedMs: this.run.elapsedMs() });
  }

  /** §11.7: a success answer after chunks must be the streamed text; the answer says how it streamed. */
  finish(answer: ChatAnswer): ChatAnswer {
    if (!this.transport) return answer;
    if (this.transport === 'chunks' && answer.content !== this.text.text) throw new StreamBrokenError('stream_not_authentic', 'the answer differs from the streamed text');
    return { ...answer, delivery: this.transport, ...(this.firstTextMs !== undefined && { firstTextMs: this.firstTextMs }) };
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
  stream: StreamedText | undefined,
): Promise<AttemptOutcome> {
  const { requestId } = sealed;
  const deadline = new RequestDeadline(run, admitted, ctx.settings);
  const waiter = new ReplyWaiter(ctx.calls, ctx.longPoll, ctx.settings, run, { requestId, clientPublicKey: run.pair.publicKeyWire, deadline });
  const sink = stream ? new DeltaSink(run, stream) : undefined;
  let announcedQueued = false;
  const announceQueued = () => {
    if (announcedQueued) return;
    announcedQueued = true;
    run.status({ type: 'queued', requestId, elapsedMs: run.elapsedMs(), deadlineInMs: deadline.relayDeadlineInMs() });
  };
  if (sink && node.streamChunks) {
    const early = await readChunks(ctx, run, sealed, deadline, waiter, sink, announceQueued);
    if (early) return early;
  }
  const progressGate = new ProgressGate();
  let lastSequence = 0;
  let firstProgressMs: number | undefined;
  for (;;) {
    const retrieved = await waiter.next();
    if (retrieved.kind === 'request-gone') return { kind: 'failover', error: refusals.last ?? retrieved.error };
    if (retrieved.kind === 'reply') {
      const waitMs = performance.now() - admitted.admittedAt;
      const reply = { requestId, result: retrieved.result, waitMs, firstProgressMs, relayUrl: ctx.calls.baseUrl, retrieveMode: ctx.longPoll.mode };
      const opened = openAnswer(run, node, sealed, reply, e2ee);
      if (opened.kind === 'answer' && sink) return { kind: 'answer', answer: sink.finish(opened.answer) };
      if (opened.kind !== 'refused') return opened;
      refusals.last = opened.error;
      run.status({ type: 'answer_refused', requestId, elapsedMs: run.elapsedMs() });
      waiter.nothingNew();
      continue;
    }
    const envelope = retrieved.progress;
    const opened = envelope && progressGate.admit(envelope) ? openProgress(envelope, run.pair, requestId, lastSequence, sealed.session) : null;
    if (envelope && !opened) waiter.nothingNew();
    if (opened) {
      lastSequence = opened.progress.sequence;
      firstProgressMs ??= performance.now() - admitted.admittedAt;
      run.status(progressStatus(opened.progress, requestId, run.elapsedMs()));
      // §11.6 a snapshot only while no chunk came: chunks are the stream when there are any.
      if (sink && opened.snapshot && sink.transport !== 'chunks') sink.emit(sink.text.acceptSnapshot(opened.snapshot.text), 'snapshots');
    }
    if (lastSequence === 0) announceQueued();
  }
}

/**
 * §11.5/§11.7 the chunks of the stream, up to the final one; then the caller retrieves the answer.
 * Returns an outcome only to fail over before any text came (the relay lost the request); a
 * stream that ends without chunks means the node did not stream, and the answer is retrieved.
 */
async function readChunks(
  ctx: ClientContext,
  run: ChatRun,
  sealed: SealedRequest,
  deadline: RequestDeadline,
  waiter: ReplyWaiter,
  sink: DeltaSink,
  announceQueued: () => void,
): Promise<AttemptOutcome | null> {
  const reader = new StreamReader(ctx.calls, ctx.settings, run, { requestId: sealed.requestId, clientPublicKey: run.pair.publicKeyWire, deadline });
  const text = sink.text;
  for (;;) {
    const read = await reader.next(text.parts - 1);
    if (read.kind === 'gone') {
      if (text.parts === 0) return { kind: 'failover', error: read.error };
      throw read.error;
    }
    for (const chunk of read.chunks) sink.emit(text.acceptChunk(chunk), 'chunks');
    if (text.finished) return null;
    if (!read.done) {
      if (text.parts === 0) announceQueued();
      continue;
    }
    if (text.parts === 0) return null;
    // Over before the final chunk: the relay says why (a node that stopped, an expired request) on retrieve.
    const why = await waiter.next();
    if (why.kind === 'request-gone') throw why.error;
    throw new StreamBrokenError('stream_incomplete', `the stream ended after ${text.parts} chunks without the final one`);
  }
}
