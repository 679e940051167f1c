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
import { isRelayAway } from './relay-away';

export async function attemptOnNode(ctx: ClientContext, run: ChatRun, node: ChosenNode, chat: CheckedChat): Promise<AttemptOutcome> {
  const e2ee = bothMemories(run.req.e2ee, ctx.e2ee);
  const profile = e2ee.speaksAead(node.fingerprint) || node.advertisesAead ? 'aead-v1' : 'reference-cbc';
  const sealed = sealRequest(run, node, chat, profile);
  const refusals: { last: AnswerNotAuthenticError | undefined } = { last: undefined };
  const stream = sealed.streams && sealed.session ? new StreamedText(sealed.session) : undefined;
  let submittedHere = false;
  try {
    const submitted = await submitRequest(ctx.calls, run, node, sealed);
    if (submitted.kind === 'node-gone') return { kind: 'failover', error: submitted.error };
    submittedHere = true;
    const outcome = await awaitAnswer(ctx, run, node, sealed, submitted.admitted, e2ee, refusals, stream);
    // Text was shown: another node would start the answer over, so this error ends the request —
    // unless the node is gone and the caller can take the text back (§11.7).
    if (outcome.kind !== 'answer' && stream && stream.parts > 0) {
      if (outcome.kind === 'failover' && run.req.retractable && startsOver(outcome)) return { ...outcome, afterText: true };
      throw outcome.error;
    }
    return outcome;
  } catch (err) {
    // The relay did not take the request (away, §2.5.1 step 4): the failover loop asks again.
    if (!submittedHere && isRelayAway(err)) return { kind: 'relay-not-ready', error: err };
    // Best effort; the original outcome is what we report.
    if (err instanceof ChatTimeoutError) {
      await cancelAtRelay(ctx.calls, sealed, 'client_timeout');
      if (refusals.last) throw refusals.last;
    }
    if (err instanceof ChatCancelledError) {
      await cancelAtRelay(ctx.calls, sealed, 'requester_cancelled');
      throw new ChatCancelledError(cancelCode(run.req.signal));
    }
    // A broken stream was already cancelled at the relay by its reader (ChunksAlongside). A wait
    // given up because the relay stayed away (§2.5.1 step 5) is cancelled there too, best effort,
    // so that a relay back in time does not keep a node working for nobody.
    if (submittedHere && isRelayAway(err)) await cancelAtRelay(ctx.calls, sealed, 'requester_gave_up');
    throw err;
  }
}

/** §11.7 after text: the node is gone, or the relay lost the request — the answer may start over elsewhere. */
function startsOver(outcome: AttemptOutcome & { kind: 'failover' }): boolean {
  return outcome.relayLost === true || outcome.error.details?.reason === 'server_unregistered';
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
  // Chunks are read beside the retrieve loop, which still brings progress (the prefill bar before
  // the first token), the relay's word on a request that ended, and the answer.
  const chunks = sink && node.streamChunks ? new ChunksAlongside(ctx, run, sealed, deadline, sink) : undefined;
  const progressGate = new ProgressGate();
  let lastSequence = 0;
  let firstProgressMs: number | undefined;
  for (;;) {
    let retrieved: Awaited<ReturnType<ReplyWaiter['next']>>;
    try {
      retrieved = await waiter.next();
    } catch (err) {
      // A broken stream cancels the request, which ends the retrieve with the cancel: say why.
      // Otherwise the relay's word stands (a node that stopped), after the chunks it still held.
      await chunks?.drained();
      chunks?.throwIfBroken();
      throw err;
    }
    chunks?.throwIfBroken();
    if (retrieved.kind === 'request-gone') {
      await chunks?.drained();
      chunks?.throwIfBroken();
      // Gone after an answer this client refused: the relay handed that answer out and forgot the
      // request (a reference relay does), which is not a loss to start over from.
      const relayLost = retrieved.error.code === 'request_lost' && !refusals.last;
      // The relay no longer knows a request whose text was streaming: the stream is incomplete,
      // unless the caller can take the text back and the answer start over (§11.7).
      if (relayLost && sink && sink.text.parts > 0 && !run.req.retractable) {
        throw new StreamBrokenError('stream_incomplete', `the relay lost the request after ${sink.text.parts} chunks`);
      }
      return { kind: 'failover', error: refusals.last ?? retrieved.error, ...(relayLost && { relayLost: true as const }) };
    }
    if (retrieved.kind === 'reply') {
      const waitMs = performance.now() - admitted.admittedAt;
      const reply = { requestId, result: retrieved.result, waitMs, firstProgressMs, relayUrl: ctx.calls.baseUrl, retrieveMode: ctx.longPoll.mode };
      const opened = openAnswer(run, node, sealed, reply, e2ee);
      if (opened.kind === 'answer' && sink) {
        // Our node appends its final chunk before it answers (§11.3): the stream is over or nearly.
        // Chunks the relay dropped unread when it delivered the answer come from the answer itself.
        if (chunks && (await chunks.ended()) !== 'final' && sink.text.parts > 0) {
          sink.emit(sink.text.acceptAnswerRest(opened.answer.content), 'chunks');
        }
        return { kind: 'answer', answer: sink.finish(opened.answer) };
      }
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

/** How a stream read beside the retrieve loop ended. */
type ChunksEnd = 'final' | 'none' | 'incomplete' | 'gone';

/**
 * §11.5/§11.7 the chunks of the stream, read from the submit on beside the retrieve loop, each
 * handed out once authenticated. A break (a chunk that does not open as the next one) cancels the
 * request at the relay, which also ends the retrieve loop's long poll, and the loop then throws
 * it. 'none': the relay says the request is over and no chunk came (the node did not stream).
 */
class ChunksAlongside {
  private broken: unknown;
  private readonly end: Promise<ChunksEnd>;

  constructor(
    private readonly ctx: ClientContext,
    run: ChatRun,
    private readonly sealed: SealedRequest,
    deadline: RequestDeadline,
    private readonly sink: DeltaSink,
  ) {
    const reader = new StreamReader(ctx.calls, ctx.settings, run, { requestId: sealed.requestId, clientPublicKey: run.pair.publicKeyWire, deadline });
    this.end = this.read(reader).catch(async (err: unknown) => {
      this.broken = err;
      if (err instanceof StreamBrokenError) await cancelAtRelay(this.ctx.calls, this.sealed, 'requester_cancelled').catch(() => undefined);
      return 'gone' as const;
    });
  }

  private async read(reader: StreamReader): Promise<ChunksEnd> {
    const text = this.sink.text;
    for (;;) {
      const read = await reader.next(text.parts - 1);
      if (read.kind === 'gone') return 'gone';
      for (const chunk of read.chunks) this.sink.emit(text.acceptChunk(chunk), 'chunks');
      if (text.finished) return 'final';
      if (read.done) return text.parts === 0 ? 'none' : 'incomplete';
    }
  }

  /** A broken stream ends the attempt with its own error, whatever the retrieve loop saw. */
  throwIfBroken(): void {
    if (this.broken instanceof StreamBrokenError) throw this.broken;
  }

  /** Waits for the reader to stop (it does once the relay says the request is over). */
  async drained(): Promise<void> {
    await this.end;
  }

  async ended(): Promise<ChunksEnd> {
    const end = await this.end;
    this.throwIfBroken();
    return end;
  }
}
