// §11.5 read a request's stream chunks from our relay: as Server-Sent Events (`POST
// /api/v1/relay/stream/events`, one response for the whole stream, each chunk the moment the relay
// has it), or as a long poll (`POST /api/v1/relay/stream/read` with `after` = the last sequence
// held, which also acknowledges it) when the events route is absent, refused or breaks off — the
// long poll then goes on from the last chunk held. Each next() ends with the chunks that came after
// `after` and whether more can come, or word that the relay has no such request. A few transient
// failures and a few 429s (after their Retry-After) are ridden out; the give-up time applies as for
// retrieve.
import { STREAM_LIMITS, StreamReadResponse, type StreamReadBody, type StreamRequestState } from '../../../src-shared/protocol/stream';
import { ChatError, InvalidServerResponseError, RelayError } from '../errors';
import type { JsonResult } from '../http';
import type { ChatRun } from './chat-run';
import type { RequestDeadline } from './deadline';
import type { RelayCalls } from './relay-calls';
import { relayError } from './relay-error';
import type { RelayClientSettings } from './settings';
import { STREAM_EVENTS_PATH, StreamEvents, type StreamEventsBody } from './stream-events';
import type { WireChunk } from './streamed-text';

export const STREAM_READ_PATH = '/api/v1/relay/stream/read';

export type StreamRead =
  | { kind: 'chunks'; chunks: WireChunk[]; state: StreamRequestState; done: boolean }
  /** 404: the relay has no such request (it was delivered, or lost). */
  | { kind: 'gone'; error: ChatError };

/** 429s in a row from stream/read ridden out (each after its Retry-After) before the reader gives up. */
export const MAX_STREAM_READ_BUSY_RETRIES = 5;
/** The wait after a 429 that names no Retry-After. */
const BUSY_RETRY_DEFAULT_MS = 1000;

export class StreamReader {
  private transientFailures = 0;
  private busyRetries = 0;
  /** The events response being read; null once it ended or failed (the long poll from then on). */
  private events: StreamEvents | undefined | null;
  /** The relay's `done` from the events response: nothing more will come. */
  private ended: StreamRequestState | undefined;

  constructor(
    private readonly calls: RelayCalls,
    private readonly settings: Pick<RelayClientSettings, 'pollIntervalMs' | 'requestTimeoutMs' | 'longPollWaitSeconds' | 'maxTransientRetrieveFailures'>,
    private readonly run: ChatRun,
    private readonly request: { requestId: string; clientPublicKey: string; deadline: RequestDeadline },
  ) {}

  /** The chunks after `after` (the highest sequence held; −1 before the first). */
  async next(after: number): Promise<StreamRead> {
    if (this.ended) return { kind: 'chunks', chunks: [], state: this.ended, done: true };
    if (this.events !== null) {
      const read = await this.nextEvents(after);
      if (read) return read;
      this.events?.close();
      this.events = null;
    }
    return this.poll(after);
  }

  /** Stops reading (the attempt is over): an open events response is closed. */
  close(): void {
    this.events?.close();
    this.events = null;
  }

  /** The next events, or null when the events route is not usable (the long poll takes over from `after`). */
  private async nextEvents(after: number): Promise<StreamRead | null> {
    const { run, request } = this;
    if (!this.events) {
      const body: StreamEventsBody = { client_public_key: request.clientPublicKey, request_id: request.requestId, after };
      let opened;
      try {
        opened = await this.calls.streamForRun(run, { path: STREAM_EVENTS_PATH, body, deadline: request.deadline.giveUpAt(), accept: 'text/event-stream' });
      } catch (err) {
        if (err instanceof ChatError && err.code === 'server_unreachable') return null;
        throw this.timedOutOr(err);
      }
      if (!StreamEvents.accepts(opened)) {
        // Not this route (an older relay), refused (429 no free long-poll slot, 404 unknown
        // request) or failing: the long poll says which, with its own rules.
        await opened.res.body?.cancel().catch(() => undefined);
        return null;
      }
      this.events = new StreamEvents(opened);
    }
    let batch;
    try {
      batch = await this.events.next();
    } catch (err) {
      throw this.timedOutOr(err);
    }
    if (!batch) return null;
    const chunks: WireChunk[] = [];
    for (const event of batch) {
      if (event.kind === 'chunk') chunks.push(event.chunk);
      else this.ended = event.state;
    }
    return { kind: 'chunks', chunks, state: this.ended ?? 'in_flight', done: this.ended !== undefined };
  }

  /** An events call cut short by the give-up time is the chat's timeout, as with the long poll. */
  private timedOutOr(err: unknown): unknown {
    const giveUpAt = this.request.deadline.giveUpAt();
    if (err instanceof ChatError && err.code === 'server_timeout' && performance.now() >= giveUpAt - 5) return this.run.timedOut(giveUpAt);
    return err;
  }

  /** §11.5 long poll: the chunks after `after`. */
  private async poll(after: number): Promise<StreamRead> {
    const { run, settings, request } = this;
    for (;;) {
      const giveUpAt = request.deadline.giveUpAt();
      const remainingMs = giveUpAt - performance.now();
      if (remainingMs <= 0) throw run.timedOut(giveUpAt);
      const waitSeconds = Math.max(0, Math.min(settings.longPollWaitSeconds, STREAM_LIMITS.maxReadWaitSeconds, Math.floor(remainingMs / 1000)));
      const body: StreamReadBody = { client_public_key: request.clientPublicKey, request_id: request.requestId, after, wait_seconds: waitSeconds };
      let r: JsonResult;
      try {
        r = await this.calls.forRun(run, {
          method: 'POST',
          path: STREAM_READ_PATH,
          body,
          timeoutMs: Math.min(waitSeconds * 1000 + settings.requestTimeoutMs, Math.max(remainingMs, 1)),
          deadline: giveUpAt,
        });
      } catch (err) {
        if (err instanceof ChatError && (err.code === 'server_unreachable' || err.code === 'server_timeout') && this.transientFailureAllowed()) {
          await run.pause(request.deadline.pauseMs(settings.pollIntervalMs));
          continue;
        }
        throw err;
      }
      if (r.status === 200) {
        this.transientFailures = 0;
        this.busyRetries = 0;
        const read = StreamReadResponse.safeParse(r.body);
        if (!read.success) throw new InvalidServerResponseError('invalid_server_response', 'stream/read body', 200);
        const { chunks, state, done } = read.data;
        // Nothing new and the relay answered at once (waitSeconds 0 near the deadline): pause one interval.
        if (chunks.length === 0 && !done && waitSeconds === 0) await run.pause(request.deadline.pauseMs(settings.pollIntervalMs));
        return { kind: 'chunks', chunks, state, done };
      }
      if (r.status === 404) return { kind: 'gone', error: new RelayError('request_lost', { httpStatus: 404 }) };
      if (r.status === 429) {
        // Busy: wait as told, a bounded number of times and only while the deadline allows, then say so.
        const waitMs = r.retryAfterMs ?? BUSY_RETRY_DEFAULT_MS;
        if (++this.busyRetries > MAX_STREAM_READ_BUSY_RETRIES || performance.now() + waitMs >= request.deadline.giveUpAt()) throw relayError(r);
        await run.pause(waitMs);
        continue;
      }
      if (r.status >= 500 && this.transientFailureAllowed()) {
        await run.pause(request.deadline.pauseMs(settings.pollIntervalMs));
        continue;
      }
      throw relayError(r);
    }
  }

  private transientFailureAllowed(): boolean {
    return ++this.transientFailures <= this.settings.maxTransientRetrieveFailures;
  }
}
