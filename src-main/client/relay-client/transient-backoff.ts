// §2.5.1 step 5: consecutive transient failures while waiting (no answer, a reset connection, a
// 5xx — a relay restarting) are ridden out with exponential back-off and jitter, up to a number
// in a row; the caller bounds every pause by the request's give-up time.
import type { RelayClientSettings } from './settings';

/** The longest pause between two tries. */
const MAX_BACKOFF_MS = 5_000;

export class TransientBackoff {
  private failures = 0;

  constructor(
    private readonly settings: Pick<RelayClientSettings, 'pollIntervalMs' | 'maxTransientRetrieveFailures'>,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * One more failure in a row: the pause before the next try (the poll interval, doubling up to
   * 5 s, each between half and all of that), or null when the failures in a row are used up.
   */
  nextPauseMs(): number | null {
    if (++this.failures > this.settings.maxTransientRetrieveFailures) return null;
    const ceiling = Math.min(MAX_BACKOFF_MS, Math.max(1, this.settings.pollIntervalMs) * 2 ** (this.failures - 1));
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  /** An answer came: the next failure starts the back-off anew. */
  reset(): void {
    this.failures = 0;
  }
}
