// The storage primitives the relay's state machine runs on. Two implementations: in-memory
// (default, one process) and Redis (several relay processes sharing state). Handlers and state
// transitions never see storage details; every primitive is atomic on its own, and the state
// machine linearises on compareAndSet of one record (exactly one winner per transition).

export interface Versioned<T> {
  value: T;
  version: number;
}

export interface WindowHit {
  count: number;
  resetInMs: number;
}

export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /** Read a JSON record with its version (null when absent or expired). */
  get<T>(key: string): Promise<Versioned<T> | null>;
  /**
   * Atomically replace `key` when its version still equals `expectedVersion` (null: the key must
   * not exist). `value` null deletes. `ttlMs` (> 0) makes the record expire. False on conflict.
   */
  compareAndSet<T>(key: string, expectedVersion: number | null, value: T | null, ttlMs?: number): Promise<boolean>;
  /** Append to a FIFO list unless it already holds `max` items. */
  pushBounded(list: string, item: string, max: number): Promise<boolean>;
  popFront(list: string): Promise<string | null>;
  removeItem(list: string, item: string): Promise<number>;
  listItems(list: string): Promise<string[]>;
  listLength(list: string): Promise<number>;
  setAdd(set: string, member: string): Promise<void>;
  setRemove(set: string, member: string): Promise<void>;
  setMembers(set: string): Promise<string[]>;
  setSize(set: string): Promise<number>;
  /** Timer index: member becomes due at `atMs` (epoch ms); re-adding moves it. */
  timerSet(index: string, member: string, atMs: number): Promise<void>;
  timerRemove(index: string, member: string): Promise<void>;
  timersDue(index: string, nowMs: number, limit: number): Promise<string[]>;
  /** Fixed-window counter (rate limits): increments and reports the window's count. */
  hit(counter: string, windowMs: number): Promise<WindowHit>;
  /** Wake everyone (in every process) waiting on `channel`. */
  publish(channel: string): Promise<void>;
  /** Resolve true when `channel` is published, false after `timeoutMs` or on abort. */
  waitFor(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Drop expired entries (Redis expires natively). */
  purgeExpired(nowMs: number): Promise<void>;
  /** Number of live keys per structure kind (tests: memory returns to baseline). */
  sizes(): Promise<{ records: number; lists: number; sets: number; timers: number; counters: number; waiters: number }>;
  /** Every stored key and value as text (tests scan relay state for plaintext sentinels). */
  dumpForTests(): Promise<string[]>;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('Relay state store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
