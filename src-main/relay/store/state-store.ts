// The storage primitives the relay's state machine runs on. Two implementations: in-memory
// (default, one process) and Redis (several relay processes sharing state). Handlers and state
// transitions never see storage details; every primitive is atomic on its own, and the state
// machine linearises on a compare-and-set commit of one record (exactly one winner per transition).

export interface Versioned<T> {
  value: T;
  version: number;
}

/**
 * An index update or wake-up applied in the same atomic step as a record write (one Redis round
 * trip), only when the write happens. Names are logical keys, as for the other primitives.
 */
export type Effect =
  | { op: 'timerSet'; index: string; member: string; atMs: number }
  | { op: 'timerRemove'; index: string; member: string }
  | { op: 'setAdd'; set: string; member: string }
  | { op: 'setRemove'; set: string; member: string }
  /** Append; with `max`, a list already holding `max` items refuses the whole commit ('full'). */
  | { op: 'listPush'; list: string; item: string; max?: number }
  | { op: 'listRemove'; list: string; item: string }
  /** Unconditional write of another record (new version). */
  | { op: 'recordPut'; key: string; value: unknown; ttlMs?: number }
  /** Deletes another record when it still holds exactly `value`. */
  | { op: 'recordDeleteIf'; key: string; value: unknown }
  | { op: 'publish'; channel: string }
  /** §11.9 the stream's unread chunks leave with its request; its position stays for `ttlMs`. */
  | { op: 'streamDrop'; stream: string; ttlMs: number };

export interface CommitOptions {
  /** > 0: the written record expires. */
  ttlMs?: number;
  /** Checked first: the commit happens only while this other record exists ('missing'). */
  requireRecord?: string;
  effects?: Effect[];
}

/** 'conflict': the version did not match; 'missing'/'full': see CommitOptions and Effect. */
export type CommitOutcome = 'written' | 'conflict' | 'missing' | 'full';

export interface WindowHit {
  count: number;
  resetInMs: number;
}

export interface StoreEntryCounts {
  records: number;
  lists: number;
  sets: number;
  timers: number;
  counters: number;
  /** Long polls of this process waiting for a wake-up. */
  waiters: number;
}

/** §11.9 where one request's stream stands. */
export interface StreamPosition {
  /** The sequence the next new chunk must have. */
  next: number;
  /** The final chunk arrived. */
  final: boolean;
  /** Unread (not yet acknowledged) chunks held, and their `ciphertext` characters. */
  bufferedChunks: number;
  bufferedBytes: number;
}

/** One append (§11.4), judged by the caller on the request record `guard` names. */
export interface StreamAppend {
  stream: string;
  /** The request's admission time: a stream left by an earlier request under the same key is not this one's. */
  epoch: number;
  /** The commit happens only while this record still has this version (else 'conflict'). */
  guard: { key: string; version: number };
  /** Sequence of `chunks[0]`; the chunks are consecutive (the caller checked). */
  firstSequence: number;
  /** Serialised wire chunks (JSON), handed to readers verbatim. */
  chunks: string[];
  /** `ciphertext` characters of each chunk. */
  sizes: number[];
  /** The last chunk is the final one. */
  finalLast: boolean;
  /** Unread chunks / characters one stream may hold, and characters all streams together may hold. */
  maxChunks: number;
  maxBytes: number;
  totalMaxBytes: number;
  /** Lifetime of the stream after this append (it is dropped with its request before that). */
  ttlMs: number;
  /** Published when chunks were stored. */
  channel: string;
}

/**
 * 'appended' (also a pure retry: nothing new), 'conflict' (the guard record changed: judge again),
 * 'sequence' (a gap, or chunks after the final one), 'full' (a bound of §11.4 would be passed).
 */
export type StreamAppendOutcome =
  | { kind: 'appended'; stored: number; position: StreamPosition }
  | { kind: 'conflict' }
  | { kind: 'sequence'; position: StreamPosition }
  | { kind: 'full'; scope: 'request' | 'relay'; position: StreamPosition };

export interface StreamSlice {
  /** The epoch of the stream read (null: none): a caller ignores a stream of another epoch. */
  epoch: number | null;
  position: StreamPosition;
  /** Serialised wire chunks after the acknowledged sequence, in order. */
  chunks: string[];
}

/**
 * Where a logical key lives in a sharded store (Redis Cluster, docs/protocol.md §2.6.6); the relay's
 * key naming says it (state/model.ts `keyPlacement`). 'anchored': with every key of the same anchor
 * (a node's keys), fixed by the anchor. 'placed': with the keys of the commit that creates it, and
 * found by its anchor afterwards (a request's record and stream sit with its node's keys).
 * 'index': one per shard, written in the shard of the commit naming it, read across all shards.
 * `members`: what the entries of a list, set or index name (placed: request keys, which sit in
 * the same shard as the entry).
 */
export type KeyPlacement =
  | { kind: 'anchored'; anchor: string; members?: 'anchored' | 'placed' }
  | { kind: 'placed'; anchor: string }
  | { kind: 'index'; members: 'anchored' | 'placed' };

/** The store's state as it last saw it (no round trip): what `/healthz` reports (§2.6.1). */
export interface StoreHealth {
  state: 'ok' | 'unavailable';
  /** Why it is unavailable, in words (connection refused, authentication failed, cluster down, …). */
  reason?: string;
}

export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /** Answers at once, from the connection's state: never waits for the store. */
  health(): StoreHealth;
  /** Read a JSON record with its version (null when absent or expired). */
  get<T>(key: string): Promise<Versioned<T> | null>;
  /**
   * The record as this process last read or wrote it, without asking the store: possibly stale,
   * undefined when not held. Only a guess for a commit to validate (state/mutate.ts).
   */
  recall<T>(key: string): Versioned<T> | undefined;
  /**
   * Atomically replace `key` when its version still equals `expectedVersion` (null: the key must
   * not exist) and apply `options.effects`; `value` null deletes. All or nothing: checks
   * (requireRecord, version, bounded pushes) come first, in that order, then every write.
   */
  commit<T>(key: string, expectedVersion: number | null, value: T | null, options?: CommitOptions): Promise<CommitOutcome>;
  popFront(list: string): Promise<string | null>;
  /** popFront plus, in the same atomic step, a read of the record named `recordPrefix + item`. */
  takeFront<T>(list: string, recordPrefix: string): Promise<{ item: string; record: Versioned<T> | null } | null>;
  listItems(list: string): Promise<string[]>;
  listLength(list: string): Promise<number>;
  setRemove(set: string, member: string): Promise<void>;
  setMembers(set: string): Promise<string[]>;
  setSize(set: string): Promise<number>;
  timerRemove(index: string, member: string): Promise<void>;
  timersDue(index: string, nowMs: number, limit: number): Promise<string[]>;
  /** Members of a timer index (what the relay holds under it, for /metrics and diagnostics). */
  timerCount(index: string): Promise<number>;
  /** §11.4 one atomic append: sequence rules, buffer bounds, chunks stored, readers woken. */
  streamAppend(append: StreamAppend): Promise<StreamAppendOutcome>;
  /**
   * §11.5 one atomic read: acknowledges (drops) every chunk up to `after`, then returns up to `max`
   * chunks after it. No stream reads as empty at sequence 0 (epoch null).
   */
  streamRead(stream: string, after: number, max: number): Promise<StreamSlice>;
  /** Where a stream stands, without acknowledging anything. */
  streamPosition(stream: string): Promise<Omit<StreamSlice, 'chunks'>>;
  /** `ciphertext` characters all streams hold now (the relay-wide bound of §11.4; a gauge). */
  streamBufferedBytes(): Promise<number>;
  /** Fixed-window counter (rate limits): increments and reports the window's count. */
  hit(counter: string, windowMs: number): Promise<WindowHit>;
  /** Resolve true when `channel` is published, false after `timeoutMs` or on abort. */
  waitFor(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Drop expired entries (Redis expires natively). */
  purgeExpired(nowMs: number): Promise<void>;
  /**
   * Live entries per structure kind, for the `tokenplace_relay_state_entries` gauge (metrics.ts):
   * an idle relay returns to zero. Redis counts by SCAN, so a scrape costs one pass over the keys.
   */
  entryCounts(): Promise<StoreEntryCounts>;
  close(): Promise<void>;
}

/**
 * The store could not do what was asked. The message names the store (a Redis URL without its
 * password) and the reason, for the operator's log; HTTP answers say only that it is unavailable.
 */
export class StoreUnavailableError extends Error {
  /** Why, in words: 'connection refused', 'authentication failed (WRONGPASS …)', 'cluster down', … */
  readonly reason: string;
  constructor(cause?: unknown, detail: { where?: string; reason?: string } = {}) {
    const reason = detail.reason ?? (cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.name) : 'no reason given');
    super(`Relay state store unavailable${detail.where !== undefined ? ` (${detail.where})` : ''}: ${reason}`, { cause });
    this.name = 'StoreUnavailableError';
    this.reason = reason;
  }
}

/** A stream nothing was appended to yet. */
export const EMPTY_STREAM: Readonly<StreamPosition> = Object.freeze({ next: 0, final: false, bufferedChunks: 0, bufferedBytes: 0 });
