// Where each logical key lives in Redis (docs/protocol.md §2.6.6). A standalone Redis has one
// shard and today's names (`<prefix><kind>:<name>`). On a Redis Cluster there are 16 shards, each
// one hash tag (`<prefix>{tp3-0}<kind>:<name>`): a node's keys sit in the shard its id hashes to, a
// request's keys in its node's shard (placed there by the submit), and every index (deadlines,
// leases, node index, anonymous lists, version sequence, stream byte total) exists once per shard,
// so every commit touches one slot and the sweeper walks all 16.
import type { KeyPlacement } from './state-store';

/**
 * One hash tag per shard, chosen so that tag i hashes to a slot in [1024·i, 1024·(i+1)): a cluster
 * that splits the 16384 slots into contiguous ranges (as `redis-cli --cluster create` does) gets
 * its shards spread evenly over its masters. The slots are checked by a test against CLUSTER KEYSLOT.
 */
export const SHARD_TAGS: readonly string[] = [
  'tp0-22', 'tp1-21', 'tp2-3', 'tp3-0', 'tp4-41', 'tp5-42', 'tp6-61', 'tp7-62',
  'tp8-11', 'tp9-12', 'tpa-42', 'tpb-10', 'tpc-2', 'tpd-2', 'tpe-21', 'tpf-60',
];

/** Request anchors remembered with their shard (a Map in insertion order; the oldest goes first). */
const MAX_PLACED = 50_000;

/** 32-bit FNV-1a: a cheap, stable spread of anchors over the shards. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class RedisLayout {
  readonly shards: number;
  private readonly placed = new Map<string, number>();

  constructor(
    private readonly prefix: string,
    readonly sharded: boolean,
    readonly placement: (key: string) => KeyPlacement,
  ) {
    this.shards = sharded ? SHARD_TAGS.length : 1;
  }

  /** Every shard, 0 … shards − 1. */
  all(): number[] {
    return Array.from({ length: this.shards }, (_, s) => s);
  }

  /** The physical name of logical `name` of `kind` (r record, l list, s set, t timers, x… stream) in shard `s`. */
  key(s: number, kind: string, name: string): string {
    return this.sharded ? `${this.prefix}{${SHARD_TAGS[s]}}${kind}:${name}` : `${this.prefix}${kind}:${name}`;
  }

  /** A shard's own counters: the version sequence and the stream byte total. */
  counter(s: number, name: 'seq' | 'xbytes'): string {
    return this.sharded ? `${this.prefix}{${SHARD_TAGS[s]}}${name}` : `${this.prefix}${name}`;
  }

  /** The shard an anchored key is in: fixed by its anchor. */
  anchorShard(anchor: string): number {
    return this.shards === 1 ? 0 : fnv1a(anchor) % this.shards;
  }

  /** Where a placed anchor (a request) was last seen; undefined: not known here. */
  placedShard(anchor: string): number | undefined {
    return this.shards === 1 ? 0 : this.placed.get(anchor);
  }

  remember(anchor: string, s: number): void {
    if (this.shards === 1 || this.placed.get(anchor) === s) return;
    this.placed.delete(anchor);
    this.placed.set(anchor, s);
    if (this.placed.size > MAX_PLACED) this.placed.delete(this.placed.keys().next().value!);
  }

  /** Shard of a logical key that is not an index: anchored → fixed; placed → where last seen (undefined: unknown). */
  shardOf(key: string): number | undefined {
    const p = this.placement(key);
    if (p.kind === 'anchored') return this.anchorShard(p.anchor);
    if (p.kind === 'placed') return this.placedShard(p.anchor);
    return undefined;
  }

  /** The shards an index entry `member` may be in: an anchored member's own; a placed member's where seen, else all. */
  memberShards(index: string, member: string): number[] {
    const p = this.placement(index);
    if (p.kind !== 'index') {
      const s = this.shardOf(index);
      return s === undefined ? this.all() : [s];
    }
    if (p.members === 'anchored') return [this.anchorShard(member)];
    const s = this.placedShard(member);
    return s === undefined ? this.all() : [s];
  }

  /** The shards a list, set or timer index is read from: an index walks all, anything else its own. */
  readShards(name: string): number[] {
    const s = this.placement(name).kind === 'index' ? undefined : this.shardOf(name);
    return s === undefined ? this.all() : [s];
  }

  /** After a read of index `name` in shard `s`: its placed members are in `s`. */
  rememberMembers(name: string, s: number, members: readonly string[]): void {
    const p = this.placement(name);
    if (this.shards === 1 || p.kind === 'placed' || p.members !== 'placed') return;
    for (const m of members) this.remember(m, s);
  }
}
