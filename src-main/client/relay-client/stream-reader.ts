// §11.5 read a request's stream chunks from our relay as a long poll (`POST /api/v1/relay/stream/read`
// with `after` = the last sequence held, which also acknowledges it): each next() ends with the
// chunks the relay held after `after` and whether more can come, or word that the relay has no
// such request. A few transient failures are ridden out; the give-up time applies as for retrieve.
import { STREAM_LIMITS, StreamReadResponse, type StreamReadBody, type StreamRequestState } from '../../../src-shared/protocol/stream';
import { ChatError, InvalidServerResponseError, RelayError } from '../errors';
import type { JsonResult } from '../http';
import type { ChatRun } from './chat-run';
import type { RequestDeadline } from './deadline';
import type { RelayCalls } from './relay-calls';
import { relayError } from './relay-error';
import type { RelayClientSettings } from './settings';
import type { WireChunk } from './streamed-text';

export const STREAM_READ_PATH = '/api/v1/relay/stream/read';

export type StreamRead =
  | { kind: 'chunks'; chunks: WireChunk[]; state: StreamRequestState; done: boolean }
  /** 404: the relay has no such request (it was delivered, or lost). */
  | { kind: 'gone'; error: ChatError };

export class StreamReader {
  private transientFailures = 0;

  constructor(
    private readonly calls: RelayCalls,
    private readonly settings: Pick<RelayClientSettings, 'pollIntervalMs' | 'requestTimeoutMs' | 'longPollWaitSeconds' | 'maxTransientRetrieveFailures'>,
    private readonly run: ChatRun,
    private readonly request: { requestId: string; clientPublicKey: string; deadline: RequestDeadline },
  ) {}

  /** The chunks after `after` (the highest sequence held; −1 before the first). */
  async next(after: number): Promise<StreamRead> {
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
        const read = StreamReadResponse.safeParse(r.body);
        if (!read.success) throw new InvalidServerResponseError('invalid_server_response', 'stream/read body', 200);
        const { chunks, state, done } = read.data;
        // Nothing new and the relay answered at once (waitSeconds 0 near the deadline): pause one interval.
        if (chunks.length === 0 && !done && waitSeconds === 0) await run.pause(request.deadline.pauseMs(settings.pollIntervalMs));
        return { kind: 'chunks', chunks, state, done };
      }
      if (r.status === 404) return { kind: 'gone', error: new RelayError('request_lost', { httpStatus: 404 }) };
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
