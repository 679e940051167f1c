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
  | { op: 'publish'; channel: string };

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

export interface StateStore {
  readonly kind: 'memory' | 'redis';
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

export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('Relay state store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
