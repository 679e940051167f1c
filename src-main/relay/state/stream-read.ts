// §11.5 reading a stream: each step acknowledges what the reader holds (up to `after`), which
// frees the buffer, and hands out what follows, with the request's state as the reader may know
// it. A long poll holds until a chunk is appended or the request leaves in_flight (both publish
// on the request's channel, also from other relay processes, §11.9).
import { STREAM_LIMITS, type StreamRequestState } from '../../../src-shared/protocol/stream';
import { StreamRejectedError } from '../errors';
import type { StreamPosition } from '../store/state-store';
import { EMPTY_STREAM } from '../store/state-store';
import { LONG_POLL_RECHECK_MS, type RelayContext } from './context';
import { clientHashOf, keys, requestKeyOf, type RequestRecord, type RequestState } from './model';
import { endRequest } from './terminate';

/** The stream of one (client key, request id), as a reader names it. */
export interface StreamTarget {
  reqKey: string;
  requestId: string;
}

export const streamTargetOf = (clientPublicKey: string, requestId: string): StreamTarget => ({
  reqKey: requestKeyOf(clientHashOf(clientPublicKey), requestId),
  requestId,
});

export interface StreamStep {
  /** Serialised wire chunks after `after`, in order; the first has sequence `firstSequence`. */
  chunks: string[];
  firstSequence: number;
  position: StreamPosition;
  state: StreamRequestState;
  /** §11.5 nothing more will come: the final chunk was handed out or the request ended, and no chunk after `after` is held. */
  done: boolean;
  deadlineAt: number;
  /** The request's `createdAt`: the epoch its stream carries (§11.9). */
  epoch: number;
}

const READER_STATE: Record<RequestState, StreamRequestState> = {
  queued: 'queued',
  in_flight: 'in_flight',
  completed: 'completed',
  delivered: 'completed',
  cancelled: 'cancelled',
  expired: 'expired',
};

const active = (state: StreamRequestState) => state === 'queued' || state === 'in_flight';

/** One read step: acknowledge up to `after`, take up to `max` chunks after it. */
export async function readStreamOnce(ctx: RelayContext, target: StreamTarget, after: number, max: number): Promise<StreamStep> {
  // The request is read before the stream (one round trip on Redis, in this order): when it has
  // ended, every chunk it will ever have is already in the stream the read sees.
  const [request, slice] = await Promise.all([
    ctx.store.get<RequestRecord>(keys.request(target.reqKey)),
    ctx.store.streamRead(keys.stream(target.reqKey), after, max),
  ]);
  const r = request?.value;
  if (!r) throw new StreamRejectedError(404, `Unknown request_id: ${target.requestId}`);
  const state = READER_STATE[r.state];
  if (active(state) && r.deadlineAt <= ctx.now()) {
    // Overdue but not yet swept: expire it now, so the reader learns at once.
    await endRequest(ctx, target.reqKey, 'expired', 'provider_timeout', (x) => x.deadlineAt <= ctx.now());
    return readStreamOnce(ctx, target, after, max);
  }
  // A stream left by an earlier request under the same id is not this one's.
  const own = slice.epoch === r.createdAt;
  const position = own ? slice.position : { ...EMPTY_STREAM };
  const chunks = own ? slice.chunks : [];
  return {
    chunks,
    firstSequence: position.next - position.bufferedChunks,
    position,
    state,
    done: chunks.length === 0 && (position.final || !active(state)),
    deadlineAt: r.deadlineAt,
    epoch: r.createdAt,
  };
}

/** §11.5 long poll: waits up to `waitMs` while there is nothing to hand out and more may come. */
export async function readStream(ctx: RelayContext, target: StreamTarget, after: number, waitMs: number, signal: AbortSignal): Promise<StreamStep> {
  const until = ctx.now() + waitMs;
  for (;;) {
    const step = await readStreamOnce(ctx, target, after, STREAM_LIMITS.maxChunksPerRead);
    const left = until - ctx.now();
    if (step.chunks.length > 0 || step.done || left <= 0 || signal.aborted) {
      if (step.chunks.length > 0) ctx.onStreamChunks?.('read', step.chunks.length);
      return step;
    }
    await ctx.store.waitFor(keys.requestChannel(target.reqKey), Math.min(left, LONG_POLL_RECHECK_MS), signal);
  }
}

/** What an events response (§11.5) writes; each promise settles once the text was handed to the connection. */
export interface StreamSink {
  chunks(firstSequence: number, chunks: string[]): Promise<void>;
  done(state: StreamRequestState, nextSequence: number): Promise<void>;
  keepAlive(): Promise<void>;
}

/**
 * §11.5 Server-Sent Events: hands out chunks as they come until nothing more will come (done),
 * the request's deadline passes (it is then expired, and done follows), or `signal` aborts. A chunk
 * is acknowledged by the next step, once its write settled.
 */
export async function followStream(ctx: RelayContext, target: StreamTarget, after: number, sink: StreamSink, signal: AbortSignal): Promise<void> {
  let held = after;
  let keepAliveAt = ctx.now() + ctx.config.streamKeepAliveMs;
  /** The followed request's epoch once a full step read it: chunks of that epoch are its own. */
  let epoch: number | undefined;
  const handOut = async (firstSequence: number, chunks: string[]) => {
    await sink.chunks(firstSequence, chunks);
    ctx.onStreamChunks?.('read', chunks.length);
    held = firstSequence + chunks.length - 1;
    keepAliveAt = ctx.now() + ctx.config.streamKeepAliveMs;
  };
  while (!signal.aborted) {
    if (epoch !== undefined) {
      // Woken by an append: its chunks go out without reading the request record again (which
      // holds the whole prompt envelope). Only when nothing is held is the request read: whether
      // it ended, expired, or is another request under the same id.
      const slice = await ctx.store.streamRead(keys.stream(target.reqKey), held, STREAM_LIMITS.maxChunksPerRead);
      if (signal.aborted) return;
      if (slice.epoch === epoch && slice.chunks.length > 0) {
        await handOut(slice.position.next - slice.position.bufferedChunks, slice.chunks);
        continue;
      }
    }
    const step = await readStreamOnce(ctx, target, held, STREAM_LIMITS.maxChunksPerRead);
    if (signal.aborted) return;
    epoch = step.epoch;
    if (step.chunks.length > 0) {
      await handOut(step.firstSequence, step.chunks);
      continue;
    }
    if (step.done) {
      await sink.done(step.state, step.position.next);
      return;
    }
    const now = ctx.now();
    if (now >= keepAliveAt) {
      await sink.keepAlive();
      keepAliveAt = now + ctx.config.streamKeepAliveMs;
    }
    // Wakes at the latest at the deadline (the next step then expires the request) and the next keep-alive.
    const wait = Math.max(1, Math.min(LONG_POLL_RECHECK_MS, keepAliveAt - now, step.deadlineAt - now));
    await ctx.store.waitFor(keys.requestChannel(target.reqKey), wait, signal);
  }
}
