// §2.4.1/§2.4.2 busy is not a failure: when every matching node's queue is full (503
// `no_available_capacity` from servers/next, `queue_full` on submit) the client waits the relay's
// Retry-After and asks again — "queued" to the caller — for as long as a request may take (the
// caller's limit, else the relay's request deadline with grace, §2.4.3).
import { ChatError } from '../errors';
import type { ChatRun } from './chat-run';
import type { RelayClientSettings } from './settings';

const BUSY_CODES: ReadonlySet<string> = new Set(['no_available_capacity', 'queue_full']);
/** Without a Retry-After, and at least, between two asks; and at most, whatever the relay says. */
const DEFAULT_RETRY_MS = 1_000;
const MIN_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;

/** The time in line ends here: the caller's limit, else the legacy request deadline (485 s). */
export function lineDeadline(run: ChatRun, settings: Pick<RelayClientSettings, 'legacyDeadlineMs'>): number {
  return Math.min(run.userDeadline, run.startedAt + settings.legacyDeadlineMs);
}

/** How long to wait before asking again after `err`, or null when it is no "busy" or the time in line is up. */
/** Every matching node's queue is full (503 `no_available_capacity`, `queue_full`). */
export const isBusy = (err: unknown): boolean => err instanceof ChatError && BUSY_CODES.has(err.code);

export function capacityRetryMs(err: unknown, run: ChatRun, settings: Pick<RelayClientSettings, 'legacyDeadlineMs'>): number | null {
  if (!(err instanceof ChatError) || !BUSY_CODES.has(err.code)) return null;
  const asked = err.details?.retry_after_seconds;
  const waitMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, typeof asked === 'number' ? asked * 1000 : DEFAULT_RETRY_MS));
  return performance.now() + waitMs < lineDeadline(run, settings) ? waitMs : null;
}
