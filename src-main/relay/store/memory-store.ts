// In-memory StateStore (default). Every method body runs synchronously (the async primitives
// resolve without awaiting anything), so each primitive, commit() included, is atomic in Node's
// single thread. Records are kept as written, deep-frozen, and handed out as they are: no
// serialisation per read or write (a request record carries its whole envelope), and no reader
// can change what the store holds (transitions build new records, mutate.ts).
import { MemoryStreams } from './memory-streams';
import type {
  CommitOptions,
  CommitOutcome,
  Effect,
  StateStore,
  StoreEntryCounts,
  StoreHealth,
  StreamAppend,
  StreamAppendOutcome,
  StreamSlice,
  Versioned,
  WindowHit,
} from './state-store';
import { WaitHub } from './wait-hub';

interface Entry {
  /** Deep-frozen. */
  value: unknown;
  version: number;
  expiresAt: number; // epoch ms, Infinity = never
}

/** Freezes `value` and every object it holds (those already frozen, shared with older records, are skipped). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly records = new Map<string, Entry>();
  private readonly lists = new Map<string, string[]>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly timers = new Map<string, Map<string, number>>();
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly hub = new WaitHub();
  private readonly streams: MemoryStreams;
  private versionSeq = 0;

  /** `maxCounters`: rate-limit counters kept at most; the least recently charged goes first (§5.1). */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxCounters = Infinity,
  ) {
    this.streams = new MemoryStreams(now);
  }

  private live(key: string): Entry | undefined {
    const e = this.records.get(key);
    if (e && e.expiresAt <= this.now()) {
      this.records.delete(key);
      return undefined;
    }
    return e;
  }

  async get<T>(key: string): Promise<Versioned<T> | null> {
    const e = this.live(key);
    return e ? { value: e.value as T, version: e.version } : null;
  }

  health(): StoreHealth {
    return { state: 'ok' };
  }

  recall(): undefined {
    return undefined; // get() is as cheap: nothing to spare
  }

  async commit<T>(key: string, expected: number | null, value: T | null, options: CommitOptions = {}): Promise<CommitOutcome> {
    if (options.requireRecord !== undefined && !this.live(options.requireRecord)) return 'missing';
    if ((this.live(key)?.version ?? null) !== expected) return 'conflict';
    const effects = options.effects ?? [];
    for (const e of effects) {
      if (e.op === 'listPush' && e.max !== undefined && (this.lists.get(e.list)?.length ?? 0) >= e.max) return 'full';
    }
    this.put(key, value, options.ttlMs);
    for (const e of effects) this.apply(e);
    return 'written';
  }

  private put(key: string, value: unknown, ttlMs: number | undefined): void {
    if (value === null) {
      this.records.delete(key);
      return;
    }
    const expiresAt = ttlMs !== undefined && ttlMs > 0 ? this.now() + ttlMs : Infinity;
    deepFreeze(value);
    this.records.set(key, { value, version: ++this.versionSeq, expiresAt });
  }

  /** Applies one effect synchronously (the caller already checked every precondition). */
  private apply(e: Effect): void {
    switch (e.op) {
      case 'timerSet':
        return this.timerSet(e.index, e.member, e.atMs);
      case 'timerRemove':
        return void this.timerRemove(e.index, e.member);
      case 'setAdd':
        return this.setAdd(e.set, e.member);
      case 'setRemove':
        return void this.setRemove(e.set, e.member);
      case 'listPush':
        return this.listPush(e.list, e.item);
      case 'listRemove':
        return this.listRemove(e.list, e.item);
      case 'recordPut':
        return this.put(e.key, e.value, e.ttlMs);
      case 'recordDeleteIf':
        if (JSON.stringify(this.live(e.key)?.value) === JSON.stringify(e.value)) this.records.delete(e.key);
        return;
      case 'publish':
        return this.hub.notify(e.channel);
      case 'streamDrop':
        return this.streams.drop(e.stream, e.ttlMs);
    }
  }

  async streamAppend(append: StreamAppend): Promise<StreamAppendOutcome> {
    if (this.live(append.guard.key)?.version !== append.guard.version) return { kind: 'conflict' };
    const outcome = this.streams.append(append);
    if (outcome.kind === 'appended' && outcome.stored > 0) this.hub.notify(append.channel);
    return outcome;
  }

  async streamRead(stream: string, after: number, max: number): Promise<StreamSlice> {
    return this.streams.read(stream, after, max);
  }

  async streamPosition(stream: string): Promise<Omit<StreamSlice, 'chunks'>> {
    return this.streams.position(stream);
  }

  async streamBufferedBytes(): Promise<number> {
    return this.streams.bufferedBytes;
  }

  private listPush(list: string, item: string): void {
    const l = this.lists.get(list) ?? [];
    l.push(item);
    this.lists.set(list, l);
  }

  async popFront(list: string): Promise<string | null> {
    const l = this.lists.get(list);
    if (!l || l.length === 0) return null;
    const item = l.shift() ?? null;
    if (l.length === 0) this.lists.delete(list);
    return item;
  }

  async takeFront<T>(list: string, recordPrefix: string): Promise<{ item: string; record: Versioned<T> | null } | null> {
    const item = await this.popFront(list);
    return item === null ? null : { item, record: await this.get<T>(recordPrefix + item) };
  }

  private listRemove(list: string, item: string): void {
    const l = this.lists.get(list);
    if (!l) return;
    const kept = l.filter((x) => x !== item);
    if (kept.length === 0) this.lists.delete(list);
    else this.lists.set(list, kept);
  }

  async listItems(list: string): Promise<string[]> {
    return [...(this.lists.get(list) ?? [])];
  }

  async listLength(list: string): Promise<number> {
    return this.lists.get(list)?.length ?? 0;
  }

  private setAdd(set: string, member: string): void {
    const s = this.sets.get(set) ?? new Set<string>();
    s.add(member);
    this.sets.set(set, s);
  }

  async setRemove(set: string, member: string): Promise<void> {
    const s = this.sets.get(set);
    if (!s) return;
    s.delete(member);
    if (s.size === 0) this.sets.delete(set);
  }

  async setMembers(set: string): Promise<string[]> {
    return [...(this.sets.get(set) ?? [])];
  }

  async setSize(set: string): Promise<number> {
    return this.sets.get(set)?.size ?? 0;
  }

  private timerSet(index: string, member: string, atMs: number): void {
    const t = this.timers.get(index) ?? new Map<string, number>();
    t.set(member, atMs);
    this.timers.set(index, t);
  }

  async timerRemove(index: string, member: string): Promise<void> {
    const t = this.timers.get(index);
    if (!t) return;
    t.delete(member);
    if (t.size === 0) this.timers.delete(index);
  }

  async timersDue(index: string, nowMs: number, limit: number): Promise<string[]> {
    const t = this.timers.get(index);
    if (!t) return [];
    const due: [string, number][] = [];
    for (const [m, at] of t) if (at <= nowMs) due.push([m, at]);
    due.sort((a, b) => a[1] - b[1]);
    return due.slice(0, limit).map(([m]) => m);
  }

  async timerCount(index: string): Promise<number> {
    return this.timers.get(index)?.size ?? 0;
  }

  async hit(counter: string, windowMs: number): Promise<WindowHit> {
    const now = this.now();
    let c = this.counters.get(counter);
    // Re-inserted on every hit: the Map's order is then least recently charged first.
    this.counters.delete(counter);
    if (!c || c.resetAt <= now) c = { count: 0, resetAt: now + windowMs };
    this.counters.set(counter, c);
    if (this.counters.size > this.maxCounters) this.counters.delete(this.counters.keys().next().value!);
    c.count += 1;
    return { count: c.count, resetInMs: c.resetAt - now };
  }

  waitFor(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.hub.wait(channel, timeoutMs, signal);
  }

  async purgeExpired(nowMs: number): Promise<void> {
    for (const [k, e] of this.records) if (e.expiresAt <= nowMs) this.records.delete(k);
    for (const [k, c] of this.counters) if (c.resetAt <= nowMs) this.counters.delete(k);
    this.streams.purgeExpired(nowMs);
  }

  async entryCounts(): Promise<StoreEntryCounts> {
    await this.purgeExpired(this.now());
    let timers = 0;
    for (const t of this.timers.values()) timers += t.size;
    // A stream counts as a record (its position) and, while it holds unread chunks, a list, as on Redis.
    const streams = this.streams.counts();
    return {
      records: this.records.size + streams.streams,
      lists: this.lists.size + streams.withChunks,
      sets: this.sets.size,
      timers,
      counters: this.counters.size,
      waiters: this.hub.size,
    };
  }

  async close(): Promise<void> {
    this.records.clear();
    this.lists.clear();
    this.sets.clear();
    this.timers.clear();
    this.counters.clear();
    this.streams.clear();
  }
}
