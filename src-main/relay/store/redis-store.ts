// Redis StateStore: several relay processes share registrations, queues, responses, tombstones
// and rate-limit counters. Long polls wake across processes through pub/sub. On a standalone
// Redis every key has the name it always had; on a Redis Cluster the keys are spread over 16
// shards so that each commit stays in one slot (redis-layout.ts, docs/protocol.md §2.6.6).
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type {
  CommitOptions,
  CommitOutcome,
  Effect,
  KeyPlacement,
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
import { COMMIT, STREAM_APPEND, STREAM_READ, WINDOW_HIT } from './redis-scripts';
import { MasterErrors } from './cluster-health';
import { openRedis } from './redis-connect';
import { redisFailureReason } from './redis-failure';
import { RedisLayout } from './redis-layout';
import { RecentRecords } from './recent-records';
import { WaitHub } from './wait-hub';

/** The command connection: a Redis or a Cluster (same commands; typed as Redis, the Cluster routes by key). */
type ScriptedRedis = Redis & {
  /** Variadic keys: numkeys first (COMMIT). */
  tpCommit(numKeys: number, ...keysThenArgs: string[]): Promise<number | Exclude<CommitOutcome, 'written'>>;
  tpHit(k: string, windowMs: string): Promise<[number, number]>;
  tpStreamAppend(...keysThenArgs: string[]): Promise<[string, number?, number?, number?, number?, number?]>;
  tpStreamRead(...keysThenArgs: string[]): Promise<(string | number)[]>;
};

/** The position fields of a stream script's answer, from `at` on: next, final, chunks, characters. */
function positionAt(reply: readonly unknown[], at: number): StreamPosition {
  return { next: Number(reply[at]), final: Number(reply[at + 1]) === 1, bufferedChunks: Number(reply[at + 2]), bufferedBytes: Number(reply[at + 3]) };
}

/** Key kinds (`<prefix>[{tag}]<kind>:<name>`, see RedisLayout.key) by the entryCounts() field that counts them. */
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

/** How old the other shards' stream byte totals may be when an append checks the relay-wide bound (cluster only). */
const STREAM_TOTALS_MAX_AGE_MS = 200;

export interface RedisStoreOptions {
  url: string;
  /** Key prefix shared by every relay process of one deployment. */
  keyPrefix?: string;
  /** ACL user and password; they win over any in the URL (which need then hold none). */
  username?: string;
  password?: string;
  /** Where each logical key lives on a Redis Cluster (state/model.ts keyPlacement); needed only there. */
  placement?: (key: string) => KeyPlacement;
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
  /** Cluster: each master's last connection error, for `health()`. */
  private readonly masterErrors = new MasterErrors();
  /** Cluster: the stream byte totals of all shards as last read, for the relay-wide bound (§11.4). */
  private streamTotals: { at: number; bytes: number[] } | null = null;

  private constructor(
    private readonly redis: ScriptedRedis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly layout: RedisLayout,
    /** 'Redis redis://host:port' (no password), named in every StoreUnavailableError. */
    private readonly where: string,
  ) {}

  /** A Redis Cluster is used when `url` names a node of one (checked at start). */
  static async connect(opts: RedisStoreOptions): Promise<RedisStateStore> {
    const prefix = opts.keyPrefix ?? 'tokenplace:relay:';
    // One command connection for the whole process, opened once. Independent commands are issued
    // together (Promise.all) and share a round trip on it. No enableAutoPipelining: it holds every
    // command back to the next event-loop turn, which measured ~0.9 ms slower per relay round trip
    // now that each state transition is a single command.
    const opened = await openRedis({ url: opts.url, ...(opts.username !== undefined && { username: opts.username }), ...(opts.password !== undefined && { password: opts.password }) });
    const { cluster, where } = opened;
    const command = opened.command as unknown as ScriptedRedis;
    const subscriber = opened.subscriber as unknown as Redis;
    if (cluster && (/[{}]/.test(prefix) || opts.placement === undefined)) {
      command.disconnect();
      subscriber.disconnect();
      throw new Error(
        opts.placement === undefined
          ? 'a Redis Cluster store needs the key placement of the relay (state/model.ts keyPlacement)'
          : `--redis-prefix ${prefix} holds { or }: on a Redis Cluster the relay places its own hash tags; use a prefix without braces`,
      );
    }
    const redis = command;
    redis.defineCommand('tpCommit', { lua: COMMIT });
    redis.defineCommand('tpHit', { numberOfKeys: 1, lua: WINDOW_HIT });
    redis.defineCommand('tpStreamAppend', { numberOfKeys: 5, lua: STREAM_APPEND });
    redis.defineCommand('tpStreamRead', { numberOfKeys: 4, lua: STREAM_READ });
    const layout = new RedisLayout(prefix, cluster, opts.placement ?? ((key) => ({ kind: 'anchored', anchor: key })));
    const store = new RedisStateStore(redis, subscriber, prefix, layout, where);
    const remember = (err: unknown) => void (store.connectionError = err);
    redis.on('error', remember).on('node error', remember);
    if (cluster) store.masterErrors.listen(opened.command as Cluster);
    subscriber.on('error', remember).on('node error', remember);
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

  /** Whether this store spreads its keys over the shards of a Redis Cluster. */
  get clustered(): boolean {
    return this.layout.sharded;
  }

  health(): StoreHealth {
    if (this.redis.status === 'ready') {
      const down = this.layout.sharded ? this.masterErrors.downMaster() : null;
      return down === null ? { state: 'ok' } : { state: 'unavailable', reason: down };
    }
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

  /** Runs `op` once per shard in `shards`, together (one round trip to each master). */
  private each<T>(shards: readonly number[], op: (s: number) => Promise<T>): Promise<T[]> {
    return this.run(() => Promise.all(shards.map(op)));
  }

  /** The shard of a fixed-placed list, set or record (a node's keys). */
  private fixedShard(name: string): number {
    const s = this.layout.shardOf(name);
    if (s === undefined) throw new Error(`${name} has no fixed shard`);
    return s;
  }

  /**
   * The shard holding a placed key of `kind` (a request's record or stream): where this process
   * last saw its anchor, else asked of every shard at once. Undefined: in none.
   */
  private async locate(kind: string, key: string): Promise<number | undefined> {
    const known = this.layout.shardOf(key);
    if (known !== undefined) return known;
    const found = (await this.each(this.layout.all(), (s) => this.redis.exists(this.layout.key(s, kind, key)))).findIndex((n) => n > 0);
    if (found < 0) return undefined;
    this.rememberPlaced(key, found);
    return found;
  }

  private rememberPlaced(key: string, s: number): void {
    const p = this.layout.placement(key);
    if (p.kind === 'placed') this.layout.remember(p.anchor, s);
  }

  async get<T>(key: string): Promise<Versioned<T> | null> {
    const known = this.layout.shardOf(key);
    if (known !== undefined) {
      const raw = await this.run(() => this.redis.get(this.layout.key(known, 'r', key)));
      // A placed record missing where it was last seen may have been made anew in another shard.
      if (raw !== null || this.layout.placement(key).kind !== 'placed' || this.layout.shards === 1) return this.parseRecord<T>(key, raw);
    }
    const raws = await this.each(this.layout.all(), (s) => this.redis.get(this.layout.key(s, 'r', key)));
    const found = raws.findIndex((raw) => raw !== null);
    if (found >= 0) this.rememberPlaced(key, found);
    return this.parseRecord<T>(key, found >= 0 ? raws[found] : null);
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

  /** The logical keys a commit names besides its record (to place it: the first anchored one decides). */
  private static namedBy(options: CommitOptions): string[] {
    const named: string[] = options.requireRecord !== undefined ? [options.requireRecord] : [];
    for (const e of options.effects ?? []) {
      if (e.op === 'timerSet' || e.op === 'timerRemove') named.push(e.index);
      else if (e.op === 'setAdd' || e.op === 'setRemove') named.push(e.set);
      else if (e.op === 'listPush' || e.op === 'listRemove') named.push(e.list);
      else if (e.op === 'recordPut' || e.op === 'recordDeleteIf') named.push(e.key);
    }
    return named;
  }

  /**
   * The one shard a commit runs in. A record made anew that is placed (a request) goes with the
   * first anchored key its commit names (its node's queue) and must not exist in another shard
   * ('conflict': like a duplicate in the same shard). Undefined: the record to change is gone.
   */
  private async commitShard(key: string, expected: number | null, options: CommitOptions): Promise<number | 'conflict' | undefined> {
    const p = this.layout.placement(key);
    if (p.kind !== 'placed' || this.layout.shards === 1) return this.layout.shardOf(key) ?? 0;
    if (expected !== null) return this.locate('r', key);
    const anchored = RedisStateStore.namedBy(options).find((name) => this.layout.placement(name).kind === 'anchored');
    const target = anchored !== undefined ? this.fixedShard(anchored) : (this.layout.placedShard(p.anchor) ?? this.layout.anchorShard(p.anchor));
    const others = this.layout.all().filter((s) => s !== target);
    const held = await this.each(others, (s) => this.redis.exists(this.layout.key(s, 'r', key)));
    return held.some((n) => n > 0) ? 'conflict' : target;
  }

  async commit<T>(key: string, expected: number | null, value: T | null, options: CommitOptions = {}): Promise<CommitOutcome> {
    const shard = await this.commitShard(key, expected, options);
    if (shard === undefined || shard === 'conflict') {
      this.recent.forget(key);
      return 'conflict';
    }
    const extraKeys: string[] = [];
    /** KEYS index (1-based; KEYS[1] record, KEYS[2] sequence) of one more key. */
    const slot = (fullKey: string) => String(extraKeys.push(fullKey) + 2);
    /** A logical key of this commit, in its shard: a key fixed elsewhere is a layout error, never a silent cross-slot write. */
    const here = (kind: string, name: string) => {
      const p = this.layout.placement(name);
      if (p.kind === 'anchored' && this.layout.anchorShard(p.anchor) !== shard) throw new Error(`cross-shard commit: ${name} is not in the shard of ${key}`);
      if (p.kind === 'placed') this.layout.remember(p.anchor, shard);
      return slot(this.layout.key(shard, kind, name));
    };
    const ttl = (ms: number | undefined) => String(ms !== undefined && ms > 0 ? Math.ceil(ms) : 0);
    const require = options.requireRecord !== undefined ? here('r', options.requireRecord) : '';
    const encode = (e: Effect): string[] => {
      switch (e.op) {
        case 'timerSet':
          return ['zadd', here('t', e.index), e.member, String(e.atMs)];
        case 'timerRemove':
          return ['zrem', here('t', e.index), e.member];
        case 'setAdd':
          return ['sadd', here('s', e.set), e.member];
        case 'setRemove':
          return ['srem', here('s', e.set), e.member];
        case 'listPush':
          return ['push', here('l', e.list), e.item, e.max === undefined ? '' : String(e.max)];
        case 'listRemove':
          return ['lrem', here('l', e.list), e.item];
        case 'recordPut':
          return ['put', here('r', e.key), JSON.stringify(e.value), ttl(e.ttlMs)];
        case 'recordDeleteIf':
          return ['delif', here('r', e.key), JSON.stringify(e.value)];
        case 'publish':
          return ['pub', `${this.prefix}ev:${e.channel}`, this.origin];
        case 'streamDrop': {
          const [position, chunks, total, sizes] = this.streamKeys(shard, e.stream);
          this.rememberPlaced(e.stream, shard); // a stream sits with its request
          return ['xdrop', slot(position), slot(chunks), slot(total), slot(sizes), ttl(e.ttlMs)];
        }
      }
    };
    const effects = JSON.stringify((options.effects ?? []).map(encode));
    const keys = [this.layout.key(shard, 'r', key), this.layout.counter(shard, 'seq'), ...extraKeys];
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
        // Versions are unique across shards (sequence · shards + shard): a record made anew in
        // another shard never reuses a version a process may still hold a copy of.
        String(this.layout.shards),
        String(shard),
      ),
    );
    if (typeof outcome !== 'number') {
      this.recent.forget(key);
      return outcome;
    }
    this.rememberPlaced(key, shard);
    if (value === null) this.recent.forget(key);
    else this.recent.remember(key, outcome, json);
    for (const e of options.effects ?? []) if (e.op === 'publish') this.notifyLocally(e.channel);
    return 'written';
  }

  /** §11.9 a stream's keys in shard `s`: position hash, chunk list, the shard's total counter, size list. */
  private streamKeys(s: number, stream: string): [string, string, string, string] {
    return [this.layout.key(s, 'x', stream), this.layout.key(s, 'xl', stream), this.layout.counter(s, 'xbytes'), this.layout.key(s, 'xs', stream)];
  }

  /**
   * §11.4 what shard `s` may still hold for the relay-wide bound: the bound less what the other
   * shards hold (read at most STREAM_TOTALS_MAX_AGE_MS ago; one shard: the bound itself).
   */
  private async streamRoom(s: number, totalMaxBytes: number): Promise<number> {
    if (this.layout.shards === 1) return totalMaxBytes;
    const now = Date.now();
    if (this.streamTotals === null || now - this.streamTotals.at > STREAM_TOTALS_MAX_AGE_MS) {
      const bytes = await this.each(this.layout.all(), async (shard) => Number((await this.redis.get(this.layout.counter(shard, 'xbytes'))) ?? 0));
      this.streamTotals = { at: now, bytes };
    }
    const others = this.streamTotals.bytes.reduce((sum, b, shard) => (shard === s ? sum : sum + b), 0);
    return Math.max(0, totalMaxBytes - others);
  }

  async streamAppend(a: StreamAppend): Promise<StreamAppendOutcome> {
    const shard = await this.locate('r', a.guard.key);
    if (shard === undefined) return { kind: 'conflict' };
    const [position, chunks, total, sizes] = this.streamKeys(shard, a.stream);
    const room = await this.streamRoom(shard, a.totalMaxBytes);
    const reply = await this.run(() =>
      this.redis.tpStreamAppend(
        this.layout.key(shard, 'r', a.guard.key), position, chunks, sizes, total,
        String(a.guard.version), String(a.epoch), String(a.firstSequence), a.finalLast ? '1' : '0',
        String(a.maxChunks), String(a.maxBytes), String(room), String(Math.max(1, Math.ceil(a.ttlMs))),
        `${this.prefix}ev:${a.channel}`, this.origin, String(a.chunks.length),
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
    const shard = await this.locate('x', stream);
    if (shard === undefined) return { epoch: null, position: { ...EMPTY_STREAM }, chunks: [] };
    const [position, chunks, total, sizes] = this.streamKeys(shard, stream);
    const reply = await this.run(() => this.redis.tpStreamRead(position, chunks, sizes, total, String(after), String(max)));
    if (reply[0] === 'none') return { epoch: null, position: { ...EMPTY_STREAM }, chunks: [] };
    return { epoch: Number(reply[0]), position: positionAt(reply, 1), chunks: reply.slice(5).map(String) };
  }

  async streamPosition(stream: string): Promise<Omit<StreamSlice, 'chunks'>> {
    const shard = await this.locate('x', stream);
    const m = shard === undefined ? [null] : await this.run(() => this.redis.hmget(this.streamKeys(shard, stream)[0], 'e', 'n', 'f', 'c', 'b'));
    if (m[0] === null) return { epoch: null, position: { ...EMPTY_STREAM } };
    return { epoch: Number(m[0]), position: positionAt(m, 1) };
  }

  async streamBufferedBytes(): Promise<number> {
    const totals = await this.each(this.layout.all(), (s) => this.redis.get(this.layout.counter(s, 'xbytes')));
    return totals.reduce((sum, t) => sum + Number(t ?? 0), 0);
  }

  async popFront(list: string): Promise<string | null> {
    const s = this.fixedShard(list);
    const item = await this.run(() => this.redis.lpop(this.layout.key(s, 'l', list)));
    if (item !== null) this.layout.rememberMembers(list, s, [item]);
    return item;
  }

  /**
   * The queue entry, then the record it names (two commands: a script may touch only the keys it
   * declares, and the record's name comes from the entry). The record sits in the queue's shard.
   */
  async takeFront<T>(list: string, recordPrefix: string): Promise<{ item: string; record: Versioned<T> | null } | null> {
    const s = this.fixedShard(list);
    const item = await this.run(() => this.redis.lpop(this.layout.key(s, 'l', list)));
    if (item === null) return null;
    this.layout.rememberMembers(list, s, [item]);
    const key = recordPrefix + item;
    return { item, record: this.parseRecord<T>(key, await this.run(() => this.redis.get(this.layout.key(s, 'r', key)))) };
  }

  async listItems(list: string): Promise<string[]> {
    return this.readEach(list, (s) => this.redis.lrange(this.layout.key(s, 'l', list), 0, -1));
  }

  async listLength(list: string): Promise<number> {
    return this.sumEach(list, (s) => this.redis.llen(this.layout.key(s, 'l', list)));
  }

  async setRemove(set: string, member: string): Promise<void> {
    await this.each(this.layout.memberShards(set, member), (s) => this.redis.srem(this.layout.key(s, 's', set), member));
  }

  async setMembers(set: string): Promise<string[]> {
    return this.readEach(set, (s) => this.redis.smembers(this.layout.key(s, 's', set)));
  }

  async setSize(set: string): Promise<number> {
    return this.sumEach(set, (s) => this.redis.scard(this.layout.key(s, 's', set)));
  }

  async timerRemove(index: string, member: string): Promise<void> {
    await this.each(this.layout.memberShards(index, member), (s) => this.redis.zrem(this.layout.key(s, 't', index), member));
  }

  /** The earliest due entries of every shard's copy of `index`, merged by time. */
  async timersDue(index: string, nowMs: number, limit: number): Promise<string[]> {
    const shards = this.layout.readShards(index);
    const due = await this.each(shards, (s) => this.redis.zrangebyscore(this.layout.key(s, 't', index), '-inf', nowMs, 'WITHSCORES', 'LIMIT', 0, limit));
    const merged: { member: string; at: number }[] = [];
    due.forEach((flat, i) => {
      const members: string[] = [];
      for (let j = 0; j + 1 < flat.length; j += 2) {
        members.push(flat[j]!);
        merged.push({ member: flat[j]!, at: Number(flat[j + 1]) });
      }
      this.layout.rememberMembers(index, shards[i]!, members);
    });
    return merged.sort((x, y) => x.at - y.at).slice(0, limit).map((e) => e.member);
  }

  /** A list or set read from each shard it may be in, concatenated (members remembered with their shard). */
  private async readEach(name: string, read: (s: number) => Promise<string[]>): Promise<string[]> {
    const shards = this.layout.readShards(name);
    const parts = await this.each(shards, read);
    parts.forEach((members, i) => this.layout.rememberMembers(name, shards[i]!, members));
    return parts.flat();
  }

  private async sumEach(name: string, count: (s: number) => Promise<number>): Promise<number> {
    return (await this.each(this.layout.readShards(name), count)).reduce((a, b) => a + b, 0);
  }

  async timerCount(index: string): Promise<number> {
    return this.sumEach(index, (s) => this.redis.zcard(this.layout.key(s, 't', index)));
  }

  async hit(counter: string, windowMs: number): Promise<WindowHit> {
    // One key on its own: on a cluster it goes to whichever slot its name hashes to.
    const [count, ttl] = await this.run(() => this.redis.tpHit(`${this.prefix}c:${counter}`, String(Math.ceil(windowMs))));
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

  /** Every key matching `pattern` (SCAN, in batches; on a cluster on every master). */
  private async scanKeys(pattern: string): Promise<string[]> {
    const found: string[] = [];
    const servers: Redis[] = this.layout.sharded ? (this.redis as unknown as Cluster).nodes('master') : [this.redis];
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await this.run(() => server.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
    }
    return found;
  }

  async entryCounts(): Promise<StoreEntryCounts> {
    const counts: StoreEntryCounts = { records: 0, lists: 0, sets: 0, timers: 0, counters: 0, waiters: this.hub.size };
    // One SCAN pass over the deployment's keys.
    for (const key of await this.scanKeys(`${this.prefix}*`)) {
      const kind = ENTRY_KINDS.get(key.slice(this.prefix.length).replace(/^\{[^}]*\}/, '').split(':', 1)[0] ?? '');
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
