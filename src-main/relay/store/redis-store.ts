// Redis StateStore: several relay processes share registrations, queues, responses, tombstones
// and rate-limit counters. Long polls wake across processes through pub/sub.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  CommitOptions,
  CommitOutcome,
  Effect,
  StateStore,
  StoreEntryCounts,
  StoreHealth,
  StreamAppend,
  StreamAppendOutcome,
  StreamPosition,
  StreamSlice,
  Versioned,
  WindowHit,
} from './state-store';
import { EMPTY_STREAM, StoreUnavailableError } from './state-store';
import { COMMIT, STREAM_APPEND, STREAM_READ, TAKE_FRONT, WINDOW_HIT } from './redis-scripts';
import { RecentRecords } from './recent-records';
import { redisFailureReason, redisUrlForDisplay } from './redis-failure';
import { WaitHub } from './wait-hub';

type ScriptedRedis = Redis & {
  /** Variadic keys: numkeys first (COMMIT). */
  tpCommit(numKeys: number, ...keysThenArgs: string[]): Promise<number | Exclude<CommitOutcome, 'written'>>;
  tpTakeFront(list: string, recordPrefix: string): Promise<[string, string | null] | null>;
  tpHit(k: string, windowMs: string): Promise<[number, number]>;
  tpStreamAppend(...keysThenArgs: string[]): Promise<[string, number?, number?, number?, number?, number?]>;
  tpStreamRead(...keysThenArgs: string[]): Promise<(string | number)[]>;
};

/** The position fields of a stream script's answer, from `at` on: next, final, chunks, characters. */
function positionAt(reply: readonly unknown[], at: number): StreamPosition {
  return { next: Number(reply[at]), final: Number(reply[at + 1]) === 1, bufferedChunks: Number(reply[at + 2]), bufferedBytes: Number(reply[at + 3]) };
}

/** Key kinds (`<prefix><kind>:<name>`, see k()) by the entryCounts() field that counts them. */
const ENTRY_KINDS = new Map<string, 'records' | 'lists' | 'sets' | 'timers' | 'counters'>([
  ['r', 'records'],
  ['l', 'lists'],
  ['s', 'sets'],
  ['t', 'timers'],
  ['c', 'counters'],
  // §11.9 a stream: its position hash, and the list of its unread chunks while it has any.
  ['x', 'records'],
  ['xl', 'lists'],
]);

export interface RedisStoreOptions {
  url: string;
  /** Key prefix shared by every relay process of one deployment. */
  keyPrefix?: string;
  /** ACL user and password; they win over any in the URL (which need then hold none). */
  username?: string;
  password?: string;
}

export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly hub = new WaitHub();
  private readonly recent = new RecentRecords();
  /**
   * Sent as the message of every publish: this process wakes its own waiters as soon as a commit
   * returns and skips its own messages when pub/sub delivers them; other processes wake from them.
   */
  private readonly origin = randomBytes(8).toString('hex');
  /** The last connection error either connection reported (cleared when the command connection is ready again). */
  private connectionError: unknown;

  private constructor(
    private readonly redis: ScriptedRedis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    /** 'Redis redis://host:port' (no password), named in every StoreUnavailableError. */
    private readonly where: string,
  ) {}

  static async connect(opts: RedisStoreOptions): Promise<RedisStateStore> {
    const prefix = opts.keyPrefix ?? 'tokenplace:relay:';
    const where = `Redis ${redisUrlForDisplay(opts.url)}`;
    const common = {
      maxRetriesPerRequest: 2,
      lazyConnect: true,
      connectTimeout: 5000,
      ...(opts.username !== undefined && { username: opts.username }),
      ...(opts.password !== undefined && { password: opts.password }),
    };
    // One command connection for the whole process, opened once. Independent commands are issued
    // together (Promise.all) and share a round trip on it. No enableAutoPipelining: it holds every
    // command back to the next event-loop turn, which measured ~0.9 ms slower per relay round trip
    // now that each state transition is a single command.
    // ioredis is loaded only here: a relay on the memory store does without it (~8 MB RSS, issue 15 §3).
    const { Redis } = await import('ioredis');
    const redis = new Redis(opts.url, common) as ScriptedRedis;
    const subscriber = new Redis(opts.url, common);
    // Connection errors surface as rejected commands (-> 503); keep them off the process. The
    // first one while connecting is the cause worth reporting (a refused login says WRONGPASS or
    // NOAUTH there; connect() itself then only says the connection closed).
    let refusal: unknown;
    const keepFirst = (err: unknown) => void (refusal ??= err);
    redis.on('error', keepFirst);
    subscriber.on('error', keepFirst);
    try {
      await Promise.all([redis.connect(), subscriber.connect()]);
    } catch (err) {
      redis.disconnect();
      subscriber.disconnect();
      throw new StoreUnavailableError(refusal ?? err, { where, reason: redisFailureReason(refusal ?? err) });
    }
    redis.off('error', keepFirst);
    subscriber.off('error', keepFirst);
    redis.defineCommand('tpCommit', { lua: COMMIT });
    redis.defineCommand('tpTakeFront', { numberOfKeys: 1, lua: TAKE_FRONT });
    redis.defineCommand('tpHit', { numberOfKeys: 1, lua: WINDOW_HIT });
    redis.defineCommand('tpStreamAppend', { numberOfKeys: 5, lua: STREAM_APPEND });
    redis.defineCommand('tpStreamRead', { numberOfKeys: 4, lua: STREAM_READ });
    const store = new RedisStateStore(redis, subscriber, prefix, where);
    const remember = (err: unknown) => void (store.connectionError = err);
    redis.on('error', remember);
    subscriber.on('error', remember);
    // After a reconnect the server may have restarted empty and reissue versions: forget the copies.
    redis.on('ready', () => {
      store.recent.clear();
      store.connectionError = undefined;
    });
    const evPrefix = `${prefix}ev:`;
    await subscriber.psubscribe(`${evPrefix}*`);
    subscriber.on('pmessage', (_pattern: string, channel: string, origin: string) => {
      if (origin !== store.origin) store.hub.notify(channel.slice(evPrefix.length));
    });
    return store;
  }

  private k(kind: string, key: string): string {
    return `${this.prefix}${kind}:${key}`;
  }

  health(): StoreHealth {
    if (this.redis.status === 'ready') return { state: 'ok' };
    const cause = this.connectionError !== undefined ? redisFailureReason(this.connectionError) : this.redis.status;
    return { state: 'unavailable', reason: `connection lost (${cause})` };
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(err, { where: this.where, reason: redisFailureReason(err, this.connectionError) });
    }
  }

  async get<T>(key: string): Promise<Versioned<T> | null> {
    return this.parseRecord<T>(key, await this.run(() => this.redis.get(this.k('r', key))));
  }

  recall<T>(key: string): Versioned<T> | undefined {
    return this.recent.recall<T>(key);
  }

  /** Records are stored as "<version>|<json>"; every read also refreshes the recent copy. */
  private parseRecord<T>(key: string, raw: string | null | undefined): Versioned<T> | null {
    if (raw === null || raw === undefined) {
      this.recent.forget(key);
      return null;
    }
    const sep = raw.indexOf('|');
    const version = Number(raw.slice(0, sep));
    const json = raw.slice(sep + 1);
    this.recent.remember(key, version, json);
    return { version, value: JSON.parse(json) as T };
  }

  async commit<T>(key: string, expected: number | null, value: T | null, options: CommitOptions = {}): Promise<CommitOutcome> {
    const extraKeys: string[] = [];
    /** KEYS index (1-based; KEYS[1] record, KEYS[2] sequence) of one more key. */
    const slot = (fullKey: string) => String(extraKeys.push(fullKey) + 2);
    const ttl = (ms: number | undefined) => String(ms !== undefined && ms > 0 ? Math.ceil(ms) : 0);
    const require = options.requireRecord !== undefined ? slot(this.k('r', options.requireRecord)) : '';
    const encode = (e: Effect): string[] => {
      switch (e.op) {
        case 'timerSet':
          return ['zadd', slot(this.k('t', e.index)), e.member, String(e.atMs)];
        case 'timerRemove':
          return ['zrem', slot(this.k('t', e.index)), e.member];
        case 'setAdd':
          return ['sadd', slot(this.k('s', e.set)), e.member];
        case 'setRemove':
          return ['srem', slot(this.k('s', e.set)), e.member];
        case 'listPush':
          return ['push', slot(this.k('l', e.list)), e.item, e.max === undefined ? '' : String(e.max)];
        case 'listRemove':
          return ['lrem', slot(this.k('l', e.list)), e.item];
        case 'recordPut':
          return ['put', slot(this.k('r', e.key)), JSON.stringify(e.value), ttl(e.ttlMs)];
        case 'recordDeleteIf':
          return ['delif', slot(this.k('r', e.key)), JSON.stringify(e.value)];
        case 'publish':
          return ['pub', this.k('ev', e.channel), this.origin];
        case 'streamDrop': {
          const [position, chunks, total, sizes] = this.streamKeys(e.stream);
          return ['xdrop', slot(position), slot(chunks), slot(total), slot(sizes), ttl(e.ttlMs)];
        }
      }
    };
    const effects = JSON.stringify((options.effects ?? []).map(encode));
    const keys = [this.k('r', key), `${this.prefix}seq`, ...extraKeys];
    const json = value === null ? '' : JSON.stringify(value);
    const outcome = await this.run(() =>
      this.redis.tpCommit(
        keys.length,
        ...keys,
        expected === null ? '' : String(expected),
        value === null ? 'del' : 'set',
        json,
        ttl(options.ttlMs),
        require,
        effects,
      ),
    );
    if (typeof outcome !== 'number') {
      this.recent.forget(key);
      return outcome;
    }
    if (value === null) this.recent.forget(key);
    else this.recent.remember(key, outcome, json);
    for (const e of options.effects ?? []) if (e.op === 'publish') this.notifyLocally(e.channel);
    return 'written';
  }

  /** §11.9 a stream's keys: position hash, chunk list, total counter, size list. */
  private streamKeys(stream: string): [string, string, string, string] {
    return [this.k('x', stream), this.k('xl', stream), `${this.prefix}xbytes`, this.k('xs', stream)];
  }

  async streamAppend(a: StreamAppend): Promise<StreamAppendOutcome> {
    const [position, chunks, total, sizes] = this.streamKeys(a.stream);
    const reply = await this.run(() =>
      this.redis.tpStreamAppend(
        this.k('r', a.guard.key), position, chunks, sizes, total,
        String(a.guard.version), String(a.epoch), String(a.firstSequence), a.finalLast ? '1' : '0',
        String(a.maxChunks), String(a.maxBytes), String(a.totalMaxBytes), String(Math.max(1, Math.ceil(a.ttlMs))),
        this.k('ev', a.channel), this.origin, String(a.chunks.length),
        ...a.chunks, ...a.sizes.map(String),
      ),
    );
    switch (reply[0]) {
      case 'conflict':
        return { kind: 'conflict' };
      case 'sequence':
        return { kind: 'sequence', position: positionAt(reply, 2) };
      case 'full':
        return { kind: 'full', scope: reply[1] === 2 ? 'relay' : 'request', position: positionAt(reply, 2) };
      default: {
        const stored = Number(reply[1]);
        if (stored > 0) this.notifyLocally(a.channel);
        return { kind: 'appended', stored, position: positionAt(reply, 2) };
      }
    }
  }

  async streamRead(stream: string, after: number, max: number): Promise<StreamSlice> {
    const [position, chunks, total, sizes] = this.streamKeys(stream);
    const reply = await this.run(() => this.redis.tpStreamRead(position, chunks, sizes, total, String(after), String(max)));
    if (reply[0] === 'none') return { epoch: null, position: { ...EMPTY_STREAM }, chunks: [] };
    return { epoch: Number(reply[0]), position: positionAt(reply, 1), chunks: reply.slice(5).map(String) };
  }

  async streamPosition(stream: string): Promise<Omit<StreamSlice, 'chunks'>> {
    const m = await this.run(() => this.redis.hmget(this.streamKeys(stream)[0], 'e', 'n', 'f', 'c', 'b'));
    if (m[0] === null) return { epoch: null, position: { ...EMPTY_STREAM } };
    return { epoch: Number(m[0]), position: positionAt(m, 1) };
  }

  async streamBufferedBytes(): Promise<number> {
    return Number((await this.run(() => this.redis.get(this.streamKeys('')[2]))) ?? 0);
  }

  async popFront(list: string): Promise<string | null> {
    return this.run(() => this.redis.lpop(this.k('l', list)));
  }

  async takeFront<T>(list: string, recordPrefix: string): Promise<{ item: string; record: Versioned<T> | null } | null> {
    const taken = await this.run(() => this.redis.tpTakeFront(this.k('l', list), this.k('r', recordPrefix)));
    return taken === null ? null : { item: taken[0], record: this.parseRecord<T>(recordPrefix + taken[0], taken[1]) };
  }

  async listItems(list: string): Promise<string[]> {
    return this.run(() => this.redis.lrange(this.k('l', list), 0, -1));
  }

  async listLength(list: string): Promise<number> {
    return this.run(() => this.redis.llen(this.k('l', list)));
  }

  async setRemove(set: string, member: string): Promise<void> {
    await this.run(() => this.redis.srem(this.k('s', set), member));
  }

  async setMembers(set: string): Promise<string[]> {
    return this.run(() => this.redis.smembers(this.k('s', set)));
  }

  async setSize(set: string): Promise<number> {
    return this.run(() => this.redis.scard(this.k('s', set)));
  }

  async timerRemove(index: string, member: string): Promise<void> {
    await this.run(() => this.redis.zrem(this.k('t', index), member));
  }

  async timersDue(index: string, nowMs: number, limit: number): Promise<string[]> {
    return this.run(() => this.redis.zrangebyscore(this.k('t', index), '-inf', nowMs, 'LIMIT', 0, limit));
  }

  async timerCount(index: string): Promise<number> {
    return this.run(() => this.redis.zcard(this.k('t', index)));
  }

  async hit(counter: string, windowMs: number): Promise<WindowHit> {
    const [count, ttl] = await this.run(() => this.redis.tpHit(this.k('c', counter), String(Math.ceil(windowMs))));
    return { count: Number(count), resetInMs: Number(ttl) };
  }

  /**
   * Deferred past the current I/O callback: a long poll whose check was answered in the same
   * socket read as this commit reaches its wait only in the microtasks that follow; waking now
   * would miss it (it would then sleep until its recheck).
   */
  private notifyLocally(channel: string): void {
    setImmediate(() => this.hub.notify(channel));
  }

  waitFor(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.hub.wait(channel, timeoutMs, signal);
  }

  async purgeExpired(): Promise<void> {
    // Redis expires keys itself.
  }

  /** Every key matching `pattern` (SCAN, in batches). */
  private async scanKeys(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.run(() => this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  }

  async entryCounts(): Promise<StoreEntryCounts> {
    const counts: StoreEntryCounts = { records: 0, lists: 0, sets: 0, timers: 0, counters: 0, waiters: this.hub.size };
    // One SCAN pass over the deployment's keys.
    for (const key of await this.scanKeys(`${this.prefix}*`)) {
      const kind = ENTRY_KINDS.get(key.slice(this.prefix.length).split(':', 1)[0] ?? '');
      if (kind === 'timers') counts.timers += await this.run(() => this.redis.zcard(key));
      else if (kind) counts[kind] += 1;
    }
    return counts;
  }

  async close(): Promise<void> {
    this.recent.clear();
    this.redis.disconnect();
    this.subscriber.disconnect();
  }
}
