// §2.5.1 steps 2 and 4 while the relay restarts: before a request is admitted, a relay that this
// client has reached before but that now cannot be reached or answers 5xx (restarting, draining,
// its store briefly gone) is asked again with the back-off of step 5 instead of ending the chat
// at once; a relay that offered nodes in the last minute but now knows none
// (`no_registered_compute_nodes`: its nodes register again on their next poll after it
// restarted) is asked again a few times, briefly. A relay never reached, or one that has had no
// node, fails at once: a mistyped address or an empty network is said without a wait. A busy
// relay is not "away": wait-in-line.ts waits its Retry-After.
import { RELAY_ERROR_CODES } from '../../../src-shared/protocol/error-codes';
import { ChatError } from '../errors';
import type { ChatRun } from './chat-run';
import type { RelayClientSettings } from './settings';
import { TransientBackoff } from './transient-backoff';
import { isBusy, lineDeadline } from './wait-in-line';

/** Asks of a relay that lost its nodes (a few seconds in all: nodes re-register on their next poll). */
const NO_NODE_RETRIES = 4;
/** How recently the relay must have offered a node for "no node" to count as a restart. */
const NODES_RECENT_MS = 60_000;

/** What one client has seen of its relay, across its requests. */
export class RelayHistory {
  private answered = false;
  private nodeSeenAt = -Infinity;

  /** The relay answered a call (any HTTP status). */
  sawAnswer(): void {
    this.answered = true;
  }

  /** The relay offered a node. */
  sawNode(): void {
    this.answered = true;
    this.nodeSeenAt = performance.now();
  }

  get reachedBefore(): boolean {
    return this.answered;
  }

  get hadNodesRecently(): boolean {
    return performance.now() - this.nodeSeenAt < NODES_RECENT_MS;
  }
}

/** Named relay answers (§5.4) that are refusals, not absence — all but the drain of §2.6.5. */
const REFUSALS: ReadonlySet<string> = new Set(RELAY_ERROR_CODES.filter((code) => code !== 'relay_draining'));

/**
 * A network failure, a timeout, or a 5xx that is no named refusal (`no_available_capacity`,
 * `no_matching_compute_node`, …): a relay restarting, draining, or without its store for a moment.
 */
export function isRelayAway(err: unknown): err is ChatError {
  if (!(err instanceof ChatError) || isBusy(err)) return false;
  return err.code === 'server_unreachable' || err.code === 'server_timeout' || ((err.httpStatus ?? 0) >= 500 && !REFUSALS.has(err.code));
}

/** The relay is away, or knows no node yet: worth asking again before the request is admitted. */
export function isRelayNotReady(err: unknown): err is ChatError {
  return isRelayAway(err) || (err instanceof ChatError && err.code === 'no_registered_compute_nodes');
}

/** The pauses of one chat before its request is admitted; each kind of wait has its own budget. */
export class RelayAwayWait {
  private readonly away: TransientBackoff;
  private readonly noNode: TransientBackoff;

  constructor(
    private readonly history: RelayHistory,
    private readonly settings: Pick<RelayClientSettings, 'pollIntervalMs' | 'maxTransientRetrieveFailures' | 'legacyDeadlineMs'>,
    random: () => number = Math.random,
  ) {
    this.away = new TransientBackoff(settings, random);
    this.noNode = new TransientBackoff({ pollIntervalMs: settings.pollIntervalMs, maxTransientRetrieveFailures: NO_NODE_RETRIES }, random);
  }

  /** How long to wait before asking again after `err`, or null: not a wait, its budget or the time is used up. */
  retryMs(err: ChatError, run: ChatRun): number | null {
    const backoff = isRelayAway(err) ? (this.history.reachedBefore ? this.away : null) : this.history.hadNodesRecently ? this.noNode : null;
    const pauseMs = backoff?.nextPauseMs() ?? null;
    if (pauseMs === null) return null;
    return performance.now() + pauseMs < lineDeadline(run, this.settings) ? pauseMs : null;
  }
}
