// §2.4.5 poll: hand the oldest live queued request of this node to it (queued -> in_flight), or
// wait (bounded) until one is enqueued — in any relay process sharing the store.
import type { WorkItem } from '../../../src-shared/protocol/relay-http';
import type { Effect } from '../store/state-store';
import { LONG_POLL_RECHECK_MS, remainingSeconds, type RelayContext } from './context';
import { wireEnvelopeOf } from './envelope';
import { keys, type DispatchHolder, type NodeRecord, type RequestRecord, type StoredEnvelope } from './model';
import { mutate } from './mutate';
import { ownership, releaseOwnership } from './ownership';
import { endRequest } from './terminate';

async function takeOne(
  ctx: RelayContext,
  nodeId: string,
  holder: DispatchHolder,
): Promise<{ reqKey: string; item: WorkItem; work: StoredEnvelope } | null> {
  const { store } = ctx;
  for (;;) {
    // The queue entry and the record it names come back in one round trip.
    const front = await store.takeFront<RequestRecord>(keys.queue(nodeId), keys.request(''));
    if (front === null) return null;
    const { item: reqKey, record: snapshot } = front;
    const now = ctx.now();
    const taken = await mutate<RequestRecord, { work: StoredEnvelope; record: RequestRecord } | 'expired' | null>(
      store,
      keys.request(reqKey),
      (r) => {
        if (!r || r.state !== 'queued' || r.nodeId !== nodeId || !r.work) return { keep: true, result: null };
        if (r.deadlineAt <= now) return { keep: true, result: 'expired' };
        const leaseExpiresAt = Math.min(now + ctx.config.inFlightTtlSeconds * 1000, r.deadlineAt);
        const next: RequestRecord = { ...r, state: 'in_flight', work: null, leaseExpiresAt, dispatchedTo: holder };
        const effects: Effect[] = [
          { op: 'setAdd', set: keys.inFlight(nodeId), member: reqKey },
          { op: 'timerSet', index: keys.leases, member: reqKey, atMs: leaseExpiresAt },
        ];
        if (r.requestId !== null) effects.push(ownership(nodeId, r.requestId, reqKey, r.deadlineAt - now + ctx.config.terminalTtlSeconds * 1000));
        return { write: next, effects, result: { work: r.work, record: next } };
      },
      snapshot,
    );
    if (taken === 'expired') {
      await endRequest(ctx, reqKey, 'expired', 'provider_timeout');
      continue;
    }
    if (taken === null) continue;
    const { work, record } = taken;
    ctx.onEvent('dispatched');
    const remaining = remainingSeconds(ctx, record.deadlineAt);
    const item: WorkItem = {
      ...wireEnvelopeOf(work),
      e2ee_v1: true,
      request_deadline_remaining_seconds: remaining,
      request_ttl_seconds: remaining,
      // §2.5 pacing quirk: reference nodes sleep this long after a job; 0 = poll again at once.
      next_ping_in_x_seconds: 0,
    };
    return { reqKey, item, work };
  }
}

/** Puts a request taken for a poller that disconnected before the answer went out back in the queue. */
async function giveBack(ctx: RelayContext, nodeId: string, reqKey: string, work: StoredEnvelope): Promise<void> {
  await mutate<RequestRecord, void>(ctx.store, keys.request(reqKey), (r) => {
    if (r?.state !== 'in_flight' || r.nodeId !== nodeId) return { keep: true, result: undefined };
    const effects: Effect[] = [
      { op: 'setRemove', set: keys.inFlight(nodeId), member: reqKey },
      { op: 'timerRemove', index: keys.leases, member: reqKey },
      ...(r.requestId !== null ? [releaseOwnership(nodeId, r.requestId, reqKey)] : []),
      { op: 'listPush', list: keys.queue(nodeId), item: reqKey },
      { op: 'publish', channel: keys.workChannel(nodeId) },
    ];
    return { write: { ...r, state: 'queued', work, leaseExpiresAt: null, dispatchedTo: null }, effects, result: undefined };
  });
}

/**
 * Waits up to `waitMs` for work for the registration `registered` (as the poll's heartbeat left
 * it); `signal` aborts (client went away or relay closing).
 */
export async function pollForWork(
  ctx: RelayContext,
  nodeId: string,
  registered: NodeRecord,
  waitMs: number,
  signal: AbortSignal,
): Promise<WorkItem | null> {
  const holder: DispatchHolder = { credentialDigest: registered.credentialDigest, verified: registered.verified === true };
  const until = ctx.now() + waitMs;
  for (;;) {
    if (signal.aborted) return null;
    const taken = await takeOne(ctx, nodeId, holder);
    if (taken) {
      const registration = await registrationNow(ctx, nodeId, holder);
      if (registration === 'gone') {
        await endRequest(ctx, taken.reqKey, 'cancelled', 'server_unregistered', undefined, holder.credentialDigest);
        return null;
      }
      if (signal.aborted || registration === 'replaced') {
        await giveBack(ctx, nodeId, taken.reqKey, taken.work);
        return null;
      }
      return taken.item;
    }
    const left = until - ctx.now();
    if (left <= 0) return null;
    await ctx.store.waitFor(keys.workChannel(nodeId), Math.min(left, LONG_POLL_RECHECK_MS), signal);
  }
}

/**
 * A long poll may outlive its registration: a proven registration of the key replaces it (§9.3),
 * or it unregisters, while the poll waits. Work taken after that goes back to the key's queue
 * (replaced) or ends (gone); work taken before, the replacement or unregistration has ended itself
 * (nodes.ts).
 */
async function registrationNow(ctx: RelayContext, nodeId: string, holder: DispatchHolder): Promise<'kept' | 'replaced' | 'gone'> {
  const current = await ctx.store.get<NodeRecord>(keys.node(nodeId));
  if (!current) return 'gone';
  return current.value.credentialDigest === holder.credentialDigest ? 'kept' : 'replaced';
}
