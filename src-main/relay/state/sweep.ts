// Background sweeper (§2.6.2, replaces the reference's lazy pruning): request deadlines, expiry of
// undelivered answers, in-flight lease lapses and node eviction. Safe to run in every relay
// process at once: each transition is a compare-and-set with one winner.
import type { RelayContext } from './context';
import { keys, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';
import { evictNode, isStale } from './nodes';
import { closeCompleted, endRequest } from './terminate';

const BATCH = 500;

export async function sweepOnce(ctx: RelayContext): Promise<void> {
  const { store } = ctx;
  const now = ctx.now();

  for (const reqKey of await store.timersDue(keys.deadlines, now, BATCH)) {
    const r = (await store.get<RequestRecord>(keys.request(reqKey)))?.value;
    if (!r) {
      await store.timerRemove(keys.deadlines, reqKey);
      continue;
    }
    if (r.state === 'queued' || r.state === 'in_flight') {
      if (r.deadlineAt <= now) await endRequest(ctx, reqKey, 'expired', 'provider_timeout', (x) => x.deadlineAt <= now);
    } else if (r.state === 'completed') {
      await expireUndelivered(ctx, reqKey, now);
    } else {
      await store.timerRemove(keys.deadlines, reqKey);
    }
  }

  // A lapsed in-flight lease stops counting against the node's capacity; it is not terminal while
  // its node lives. On a node that is gone, or stale with no live lease left, the request ends now
  // (`server_unregistered`, §2.6.1) so its client fails over instead of waiting for the deadline.
  for (const reqKey of await store.timersDue(keys.leases, now, BATCH)) {
    const r = (await store.get<RequestRecord>(keys.request(reqKey)))?.value;
    if (r?.state === 'in_flight' && r.leaseExpiresAt !== null && r.leaseExpiresAt > now) continue;
    if (r?.state !== 'in_flight') {
      await store.timerRemove(keys.leases, reqKey);
      if (r) await store.setRemove(keys.inFlight(r.nodeId), reqKey);
      continue;
    }
    await store.setRemove(keys.inFlight(r.nodeId), reqKey);
    await settleLapsedLease(ctx, reqKey, r, now);
  }

  for (const nodeId of await store.setMembers(keys.nodeIndex)) {
    const n = (await store.get<NodeRecord>(keys.node(nodeId)))?.value;
    if (!n) {
      await store.setRemove(keys.nodeIndex, nodeId);
      continue;
    }
    const stale = (x: NodeRecord) => isStale(ctx, x, now);
    if (stale(n) && (await store.setSize(keys.inFlight(nodeId))) === 0) await evictNode(ctx, nodeId, stale);
  }
  await store.purgeExpired(now);
}

/**
 * An in-flight request whose accounting lease lapsed: ended when its node is gone or stale with no
 * live lease left (eviction follows in the same sweep); otherwise looked at again when the node
 * could next turn stale, so it is never forgotten (the in-flight set no longer names it).
 */
async function settleLapsedLease(ctx: RelayContext, reqKey: string, r: RequestRecord, now: number): Promise<void> {
  const node = (await ctx.store.get<NodeRecord>(keys.node(r.nodeId)))?.value ?? null;
  const nodeGone = node === null || (isStale(ctx, node, now) && (await ctx.store.setSize(keys.inFlight(r.nodeId))) === 0);
  const lapsed = (x: RequestRecord) => x.state === 'in_flight' && x.leaseExpiresAt !== null && x.leaseExpiresAt <= now;
  if (nodeGone) {
    await endRequest(ctx, reqKey, 'cancelled', 'server_unregistered', lapsed, node?.credentialDigest ?? r.dispatchedTo?.credentialDigest ?? '');
    return;
  }
  const recheckAt = Math.max(now, node.lastSeenAt + ctx.config.leaseSeconds * 1000, node.pollingUntil);
  await mutate<RequestRecord, void>(ctx.store, keys.request(reqKey), (x) =>
    x && lapsed(x)
      ? { write: x, effects: [{ op: 'timerSet', index: keys.leases, member: reqKey, atMs: Math.min(recheckAt, x.deadlineAt) }], result: undefined }
      : { keep: true, result: undefined },
  );
}

/** Undelivered answers expire (the reference keeps them forever, §2.6.4); the client then sees 410 expired. */
async function expireUndelivered(ctx: RelayContext, reqKey: string, now: number): Promise<void> {
  // A decision to keep is always taken on a fresh read (mutate.ts), so 'gone' needs no second look.
  const outcome = await mutate<RequestRecord, 'expired' | 'not_due' | 'gone'>(ctx.store, keys.request(reqKey), (r) => {
    if (!r || r.state !== 'completed') return { keep: true, result: 'gone' };
    if ((r.responseExpiresAt ?? 0) > now) return { keep: true, result: 'not_due' };
    return { ...closeCompleted(ctx, reqKey, r, 'expired'), result: 'expired' };
  });
  if (outcome === 'expired') ctx.onEvent('expired');
  else if (outcome === 'gone') await ctx.store.timerRemove(keys.deadlines, reqKey);
}

/** Starts the periodic sweep; the timer is unref'd and never overlaps itself. */
export function startSweeper(ctx: RelayContext, onError: (err: unknown) => void): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepOnce(ctx)
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }, ctx.config.sweepIntervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
