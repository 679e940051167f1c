// A RelayClient's timings and limits: what callers may set, and the defaults of docs/protocol.md §2.4.3.
import { REFERENCE_DEFAULTS } from '../../../src-shared/protocol/constants';
import { MAX_RETRIEVE_WAIT_SECONDS } from '../../../src-shared/protocol/relay-http';
import type { FetchLike } from '../http';
import type { KeyHolder } from '../../crypto';

export interface RelayClientConfig {
  baseUrl: string;
  fetch?: FetchLike;
  /** Sent on every call to this relay (the app's embedded relay wants its launch secret, §12). */
  headers?: Readonly<Record<string, string>>;
  /** Client key pair; one is generated on first use when absent. */
  keys?: KeyHolder;
  /** Poll cadence when the relay has no long poll (§2.4.3: browser 500 ms). */
  pollIntervalMs?: number;
  /** `wait_seconds` asked of our relay's retrieve long poll; 0 disables it. */
  longPollWaitSeconds?: number;
  /** Timeout of each ordinary HTTP call (a long poll gets its wait added). */
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Added to the relay's request TTL for the local give-up time (§2.4.3: 5 s). */
  graceMs?: number;
  /** Give-up time when the relay sends no TTL (§2.4.3: 485 s). */
  legacyDeadlineMs?: number;
  /** Upper bound on failovers; the effective bound is min(this, live nodes − 1) (§2.5 step 4). */
  maxFailovers?: number;
  /**
   * Consecutive transient retrieve failures (5xx, network) tolerated while waiting, with back-off
   * from the poll interval doubling to 5 s (default 10: a relay may be away for 20–40 s).
   */
  maxTransientRetrieveFailures?: number;
}

export interface RelayClientSettings {
  pollIntervalMs: number;
  longPollWaitSeconds: number;
  requestTimeoutMs: number;
  maxResponseBytes: number | undefined;
  graceMs: number;
  legacyDeadlineMs: number;
  maxFailovers: number;
  maxTransientRetrieveFailures: number;
}

const DEFAULTS = {
  pollIntervalMs: 500,
  longPollWaitSeconds: 20,
  requestTimeoutMs: 15_000,
  graceMs: REFERENCE_DEFAULTS.clientResponseGraceSeconds * 1000,
  legacyDeadlineMs: (REFERENCE_DEFAULTS.requestDeadlineSeconds + REFERENCE_DEFAULTS.clientResponseGraceSeconds) * 1000,
  maxFailovers: 3,
  maxTransientRetrieveFailures: 10,
};

export function resolveSettings(config: RelayClientConfig): RelayClientSettings {
  return {
    pollIntervalMs: config.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    longPollWaitSeconds: Math.min(config.longPollWaitSeconds ?? DEFAULTS.longPollWaitSeconds, MAX_RETRIEVE_WAIT_SECONDS),
    requestTimeoutMs: config.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    graceMs: config.graceMs ?? DEFAULTS.graceMs,
    legacyDeadlineMs: config.legacyDeadlineMs ?? DEFAULTS.legacyDeadlineMs,
    maxFailovers: config.maxFailovers ?? DEFAULTS.maxFailovers,
    maxTransientRetrieveFailures: config.maxTransientRetrieveFailures ?? DEFAULTS.maxTransientRetrieveFailures,
  };
}
