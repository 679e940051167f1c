// §2.4.3 wait for the answer: retrieve with a long poll where the relay holds requests, else at
// the poll cadence; ride out transient failures (a relay restart) with back-off; stop at the give-up time. Each next() ends
// with what the relay had: the reply, a pending answer (maybe with encrypted progress), or word
// that the request is gone. What was sent is opened by the caller, not here.
import { RetrievePending, type EncryptedProgress, type RetrieveBody } from '../../../src-shared/protocol/relay-http';
import { ChatError, InvalidServerResponseError, RelayError } from '../errors';
import type { JsonResult } from '../http';
import type { ChatRun } from './chat-run';
import type { RequestDeadline } from './deadline';
import type { LongPollSupport } from './long-poll';
import type { RelayCalls } from './relay-calls';
import { relayError } from './relay-error';
import type { RelayClientSettings } from './settings';
import { TransientBackoff } from './transient-backoff';

export type Retrieved =
  /** 200: the node's encrypted reply (not yet opened or checked). */
  | { kind: 'reply'; result: JsonResult }
  /** 202: still waiting; a node's progress update when the relay holds one. */
  | { kind: 'pending'; progress: EncryptedProgress | undefined }
  /** The relay lost the request or its node unregistered: another node may serve (§2.5). */
  | { kind: 'request-gone'; error: ChatError };

export interface WaitFor {
  requestId: string;
  clientPublicKey: string;
  deadline: RequestDeadline;
}

export class ReplyWaiter {
  private readonly backoff: TransientBackoff;
  private pauseFirst = false;

  constructor(
    private readonly calls: RelayCalls,
    private readonly longPoll: LongPollSupport,
    private readonly settings: Pick<RelayClientSettings, 'pollIntervalMs' | 'requestTimeoutMs' | 'maxTransientRetrieveFailures'>,
    private readonly run: ChatRun,
    private readonly request: WaitFor,
  ) {
    this.backoff = new TransientBackoff(settings);
  }

  async next(): Promise<Retrieved> {
    const { run, settings, request } = this;
    // One poll interval, cut short by the give-up time (read when called: 202s may shorten it).
    const pollPause = () => run.pause(request.deadline.pauseMs(settings.pollIntervalMs));
    if (this.pauseFirst) {
      this.pauseFirst = false;
      await pollPause();
    }
    for (;;) {
      const giveUpAt = request.deadline.giveUpAt();
      const remainingMs = giveUpAt - performance.now();
      if (remainingMs <= 0) throw run.timedOut(giveUpAt);
      const waitSeconds = this.longPoll.waitSecondsFor(remainingMs);
      const body: RetrieveBody = { client_public_key: request.clientPublicKey, request_id: request.requestId };
      if (waitSeconds > 0) body.wait_seconds = waitSeconds;
      let r: JsonResult;
      try {
        r = await this.calls.forRun(run, {
          method: 'POST',
          path: '/api/v1/relay/responses/retrieve',
          body,
          timeoutMs: Math.min(waitSeconds * 1000 + settings.requestTimeoutMs, Math.max(remainingMs, 1)),
          deadline: giveUpAt,
        });
      } catch (err) {
        if (err instanceof ChatError && (err.code === 'server_unreachable' || err.code === 'server_timeout') && (await this.backOff())) continue;
        throw err;
      }
      const seen = { askedSeconds: waitSeconds, elapsedMs: r.elapsedMs };
      this.longPoll.sawAnswer(seen);
      if (r.status === 200) return { kind: 'reply', result: r };
      if (r.status < 500) this.backoff.reset();
      if (r.status === 202) {
        const pending = RetrievePending.safeParse(r.body);
        if (!pending.success) throw new InvalidServerResponseError('invalid_server_response', 'retrieve 202 body', 202);
        const p = pending.data;
        if (p.request_deadline_remaining_seconds !== undefined) request.deadline.shortenTo(p.request_deadline_remaining_seconds);
        this.pauseFirst = this.longPoll.sawPending(seen, p.encrypted_progress !== undefined);
        return { kind: 'pending', progress: p.encrypted_progress };
      }
      if (this.longPoll.refusedWaitSeconds(seen, r.status)) continue;
      if (r.status === 404) return { kind: 'request-gone', error: new RelayError('request_lost', { httpStatus: 404 }) };
      if (r.status === 410) {
        const err = relayError(r);
        if (err.details?.reason === 'server_unregistered') return { kind: 'request-gone', error: err };
        throw err;
      }
      if (r.status >= 500 && (await this.backOff())) continue;
      throw relayError(r);
    }
  }

  /**
   * The last pending answer brought nothing the caller could use (progress that was skipped or
   * did not open): the next retrieve waits a poll interval first, so a relay that answers every
   * retrieve at once with such progress gets no tight loop (§2.3.4).
   */
  nothingNew(): void {
    this.pauseFirst = true;
  }

  /**
   * A transient failure (5xx, network): pauses with back-off, within the give-up time, and says
   * whether to try again (false once the failures in a row are used up).
   */
  private async backOff(): Promise<boolean> {
    const pauseMs = this.backoff.nextPauseMs();
    if (pauseMs === null) return false;
    await this.run.pause(this.request.deadline.pauseMs(pauseMs));
    return true;
  }
}
