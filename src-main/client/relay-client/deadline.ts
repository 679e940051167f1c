// §2.4.3 deadline rule: a submitted request is given up at admission + the relay's request TTL +
// grace (legacy relays without TTL metadata: 485 s), or earlier when a pending answer says less
// time remains — whichever comes first, together with the caller's own limit.
import type { ChatRun } from './chat-run';
import type { AdmittedRequest } from './submit';
import type { RelayClientSettings } from './settings';

export class RequestDeadline {
  private relayDeadline: number;

  constructor(
    private readonly run: ChatRun,
    admitted: AdmittedRequest,
    private readonly settings: Pick<RelayClientSettings, 'graceMs' | 'legacyDeadlineMs'>,
  ) {
    this.relayDeadline =
      admitted.requestTtlSeconds !== undefined
        ? admitted.admittedAt + (admitted.requestTtlSeconds * 1000 + settings.graceMs)
        : admitted.admittedAt + settings.legacyDeadlineMs;
  }

  /** A pending answer's `request_deadline_remaining_seconds`: each may only shorten the give-up time. */
  shortenTo(remainingSeconds: number): void {
    this.relayDeadline = Math.min(this.relayDeadline, performance.now() + remainingSeconds * 1000 + this.settings.graceMs);
  }

  /** The earlier of the relay deadline and the caller's own limit. */
  giveUpAt(): number {
    return Math.min(this.relayDeadline, this.run.userDeadline);
  }

  /** Time left until the relay deadline alone (what a "queued" status reports). */
  relayDeadlineInMs(): number {
    return this.relayDeadline - performance.now();
  }

  /** One poll interval, cut short by the give-up time. */
  pauseMs(intervalMs: number): number {
    return Math.min(intervalMs, Math.max(0, this.giveUpAt() - performance.now()));
  }
}
