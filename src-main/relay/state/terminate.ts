// Terminal transitions (cancel, expiry, node loss) of one request: the state change and its index
// clean-up are one commit (one winner); the owner tombstone follows.
import type { RelayContext } from './context';
import { keys, requestIdHash, type NodeRecord, type RequestRecord, type Tombstone } from './model';
import type { Effect } from '../store/state-store';
import { mutate } from './mutate';
import { releaseOwnership } from './ownership';

export type EndStatus = 'cancelled' | 'expired';

/**
 * Moves a queued/in-flight request to cancelled/expired unless `allow` refuses the current record.
 * Returns the previous state when this call won, null otherwise.
 */
export async function endRequest(
  ctx: RelayContext,
  reqKey: string,
  status: EndStatus,
  reason: string,
  allow: (r: RequestRecord) => boolean = () => true,
  /** Credential digest for the tombstone when the node record is already gone (unregister/evict). */
  ownerCredentialDigest?: string,
): Promise<RequestRecord | null> {
  const won = await mutate<RequestRecord, RequestRecord | null>(ctx.store, keys.request(reqKey), (r) => {
    if (!r || (r.state !== 'queued' && r.state !== 'in_flight') || !allow(r)) return { keep: true, result: null };
    const next: RequestRecord = { ...r, state: status, reason, work: null, progress: null, leaseExpiresAt: null };
    const effects = [...leavingEffects(reqKey, r, true), streamDrop(ctx, reqKey)];
    return { write: next, ttlMs: ctx.config.terminalTtlSeconds * 1000, effects, result: r };
  });
  if (won) {
    if (won.state === 'in_flight') await leaveTombstone(ctx, won, { status, reason, ownerCredentialDigest });
    ctx.onEvent(status);
  }
  return won;
}

/**
 * Index updates and wake-ups that go with a request leaving queued/in_flight (`ended`: cancelled
 * or expired, else completed); they commit together with the record's transition.
 */
export function leavingEffects(reqKey: string, previous: RequestRecord, ended: boolean): Effect[] {
  const effects: Effect[] = [{ op: 'timerRemove', index: keys.deadlines, member: reqKey }];
  if (previous.state === 'queued') effects.push({ op: 'listRemove', list: keys.queue(previous.nodeId), item: reqKey });
  if (previous.state === 'in_flight') {
    effects.push(
      { op: 'setRemove', set: keys.inFlight(previous.nodeId), member: reqKey },
      { op: 'timerRemove', index: keys.leases, member: reqKey },
    );
    if (previous.requestId !== null) effects.push(releaseOwnership(previous.nodeId, previous.requestId, reqKey));
  }
  if (previous.requestId === null && ended) effects.push({ op: 'listRemove', list: keys.anonymous(previous.clientKeyHash), item: reqKey });
  effects.push({ op: 'publish', channel: keys.requestChannel(reqKey) });
  if (previous.requestId === null) effects.push({ op: 'publish', channel: keys.anonChannel(previous.clientKeyHash) });
  return effects;
}

/**
 * completed -> delivered (one-shot delivery) or expired (undelivered answer dropped): the answer
 * leaves the store together with its deadline timer and legacy-queue entry.
 */
export function closeCompleted(
  ctx: RelayContext,
  reqKey: string,
  r: RequestRecord,
  state: 'delivered' | 'expired',
): { write: RequestRecord; ttlMs: number; effects: Effect[] } {
  const effects: Effect[] = [{ op: 'timerRemove', index: keys.deadlines, member: reqKey }, streamDrop(ctx, reqKey)];
  if (r.requestId === null) effects.push({ op: 'listRemove', list: keys.anonymous(r.clientKeyHash), item: reqKey });
  return {
    write: { ...r, state, response: null, responseExpiresAt: null, ...(state === 'expired' && { reason: 'expired' }) },
    ttlMs: ctx.config.terminalTtlSeconds * 1000,
    effects,
  };
}

/**
 * §11.9 the stream leaves with its request (delivered, cancelled, expired): its unread chunks go
 * now, its position (what a late reader is told) lives as long as the request's outcome.
 */
function streamDrop(ctx: RelayContext, reqKey: string): Effect {
  return { op: 'streamDrop', stream: keys.stream(reqKey), ttlMs: ctx.config.terminalTtlSeconds * 1000 };
}

/** §2.4.6 owner tombstone: tells the node (via /servers/control) to abort. */
async function leaveTombstone(
  ctx: RelayContext,
  r: RequestRecord,
  t: { status: EndStatus; reason: string; ownerCredentialDigest?: string },
): Promise<void> {
  if (r.requestId === null) return;
  const node = t.ownerCredentialDigest === undefined ? await ctx.store.get<NodeRecord>(keys.node(r.nodeId)) : null;
  const stone: Tombstone = {
    status: t.status,
    reason: t.reason,
    deadlineAt: r.deadlineAt,
    credentialDigest: t.ownerCredentialDigest ?? node?.value.credentialDigest ?? '',
  };
  await mutate<Tombstone, void>(ctx.store, keys.tombstone(r.nodeId, requestIdHash(r.requestId)), () => ({
    write: stone,
    ttlMs: ctx.config.tombstoneTtlSeconds * 1000,
    result: undefined,
  }));
}
