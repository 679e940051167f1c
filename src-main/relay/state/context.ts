import { STREAM_CHUNKS_CAPABILITY } from '../../../src-shared/protocol/stream';
import type { ResolvedRelayConfig } from '../config';
import type { StateStore } from '../store/state-store';

/** Lifecycle events, counted by /metrics (no keys, no payloads). */
export type RequestEvent = 'submitted' | 'dispatched' | 'completed' | 'delivered' | 'cancelled' | 'expired' | 'queue_full';

export type StreamChunkEvent = 'appended' | 'read';

export interface RelayContext {
  store: StateStore;
  config: ResolvedRelayConfig;
  now(): number;
  onEvent(event: RequestEvent): void;
  /** §11 stream chunks stored by appends or handed to readers, counted by /metrics. */
  onStreamChunks?(event: StreamChunkEvent, count: number): void;
  /** Aborted when the relay closes: every long poll returns at once. */
  shutdown: AbortSignal;
  /**
   * Aborted when a graceful drain begins (§2.6.5): long polls return, new requests and node polls
   * are refused (503 relay_draining), answers and retrieves still go through.
   */
  draining?: AbortSignal;
}

/** Long polls re-check this often while waiting, in case a wake-up was missed (e.g. a Redis reconnect). */
export const LONG_POLL_RECHECK_MS = 1000;

export const remainingSeconds = (ctx: RelayContext, deadlineAt: number): number =>
  Math.max(0, (deadlineAt - ctx.now()) / 1000);

/** `Retry-After` of a full queue (§2.4.1, §2.4.2): the poll wait, in whole seconds, at least 1. */
export const queueRetryAfterSeconds = (ctx: RelayContext): number => Math.max(1, Math.ceil(ctx.config.pollWaitSeconds));

/** §2.6.2: control cadence min(10, poll wait, lease/2), at least 1 s. */
export const nextPollSeconds = (ctx: RelayContext): number =>
  Math.min(10, Math.max(1, Math.min(10, ctx.config.pollWaitSeconds || 10, ctx.config.leaseSeconds / 2)));

/** What this relay offers beyond the reference (register §2.4.5, servers/next §11.1): progress and stream chunks. */
export const RELAY_CAPABILITIES = Object.freeze({ encrypted_progress_v1: true, [STREAM_CHUNKS_CAPABILITY]: true });
