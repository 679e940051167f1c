// Whether the relay holds a retrieve until there is news (`wait_seconds`, our relay) or answers at
// once (the reference relay ignores it, §2.4.3), learnt from how retrieves come back, once per client.
import type { ChatAnswer } from '../types';

/** A long poll answered faster than this (and without progress) was not honoured. */
const LONG_POLL_HONOURED_MIN_MS = 200;

/** What one retrieve asked and how it came back. */
export interface RetrieveSeen {
  /** `wait_seconds` the retrieve asked for (0: a plain poll). */
  askedSeconds: number;
  elapsedMs: number;
}

export class LongPollSupport {
  /** undefined = not yet known; set after the first retrieve that could tell. */
  private supported: boolean | undefined;

  constructor(private readonly waitSeconds: number) {
    if (waitSeconds <= 0) this.supported = false;
  }

  /** `wait_seconds` for the next retrieve, within the time left; 0 = poll without it. */
  waitSecondsFor(remainingMs: number): number {
    return this.supported === false ? 0 : Math.min(this.waitSeconds, Math.floor(remainingMs / 1000));
  }

  /** Any answer the relay held back proves the long poll (the reference relay answers at once). */
  sawAnswer(r: RetrieveSeen): void {
    if (r.askedSeconds > 0 && r.elapsedMs >= LONG_POLL_HONOURED_MIN_MS) this.supported = true;
  }

  /** A "pending" answer; returns whether to wait a poll interval before the next retrieve. */
  sawPending(r: RetrieveSeen, withProgress: boolean): boolean {
    if (r.askedSeconds > 0 && this.supported === undefined && !withProgress) {
      // "pending" with nothing new, answered at once: wait_seconds was ignored (§2.4.3 reference relay).
      this.supported = r.elapsedMs >= Math.min(LONG_POLL_HONOURED_MIN_MS, r.askedSeconds * 500);
    }
    // Poll cadence unless the relay is holding requests; a "pending" with nothing new that came
    // back at once never leads to a tight loop, whatever the relay claims to support.
    const returnedAtOnce = !withProgress && r.elapsedMs < LONG_POLL_HONOURED_MIN_MS;
    return r.askedSeconds === 0 || this.supported === false || returnedAtOnce;
  }

  /** A strict relay may refuse the unknown `wait_seconds` key (400): returns whether to poll without it from now on. */
  refusedWaitSeconds(r: RetrieveSeen, status: number): boolean {
    if (status !== 400 || r.askedSeconds === 0 || this.supported !== undefined) return false;
    this.supported = false;
    return true;
  }

  get mode(): ChatAnswer['retrieveMode'] {
    return this.supported === undefined ? 'undetermined' : this.supported ? 'long-poll' : 'poll';
  }
}
