// §2.4.5 poll: hand the oldest live queued request of this node to it (queued -> in_flight), or
// wait (bounded) until one is enqueued — in any relay process sharing the store.
import type { WorkItem } from '../../../src-shared/protocol/relay-http';
import { remainingSeconds, type RelayContext } from './context';
import { keys, requestIdHash, type RequestRecord, type StoredEnvelope } from './model';
import { mutate } from './mutate';
import { endRequest } from './terminate';

/** Re-check interval while waiting, in case a wake-up was missed (e.g. a Redis reconnect). */
const RECHECK_MS = 1000;

async function takeOne(ctx: RelayContext, nodeId: string): Promise<{ reqKey: string; item: WorkItem; work: StoredEnvelope } | null> {
  const { store } = ctx;
  for (;;) {
    const reqKey = await store.popFront(keys.queue(nodeId));
    if (reqKey === null) return null;
    const now = ctx.now();
    const taken = await mutate<RequestRecord, { work: StoredEnvelope; record: RequestRecord } | 'expired' | null>(
      store,
      keys.request(reqKey),
      (r) => {
        if (!r || r.state !== 'queued' || r.nodeId !== nodeId || !r.work) return { keep: true, result: null };
        if (r.deadlineAt <= now) return { keep: true, result: 'expired' };
        const leaseExpiresAt = Math.min(now + ctx.config.inFlightTtlSeconds * 1000, r.deadlineAt);
        const next: RequestRecord = { ...r, state: 'in_flight', work: null, leaseExpiresAt };
        return { write: next, result: { work: r.work, record: next } };
      },
    );
    if (taken === 'expired') {
      await endRequest(ctx, reqKey, 'expired', 'provider_timeout');
      continue;
    }
    if (taken === null) continue;
    const { work, record } = taken;
    const indexUpdates: Promise<unknown>[] = [store.setAdd(keys.inFlight(nodeId), reqKey), store.timerSet(keys.leases, reqKey, record.leaseExpiresAt!)];
    if (record.requestId !== null) {
      const ownKey = keys.owned(nodeId, requestIdHash(record.requestId));
      indexUpdates.push(
        mutate<{ reqKey: string }, void>(store, ownKey, () => ({
          write: { reqKey },
          ttlMs: record.deadlineAt - now + ctx.config.terminalTtlSeconds * 1000,
          result: undefined,
        })),
      );
    }
    await Promise.all(indexUpdates);
    ctx.onEvent('dispatched');
    const remaining = remainingSeconds(ctx, record.deadlineAt);
    const item: WorkItem = {
      client_public_key: work.client_public_key,
      chat_history: work.ciphertext,
      ciphertext: work.ciphertext,
      cipherkey: work.cipherkey,
      iv: work.iv,
      ...(work.request_id !== undefined && { request_id: work.request_id }),
      ...(work.protocol !== undefined && { protocol: work.protocol }),
      ...(work.version !== undefined && { version: work.version }),
      ...(work.cancel_token !== undefined && { cancel_token: work.cancel_token }),
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
  const back = await mutate<RequestRecord, RequestRecord | null>(ctx.store, keys.request(reqKey), (r) =>
    r?.state === 'in_flight' && r.nodeId === nodeId ? { write: { ...r, state: 'queued', work, leaseExpiresAt: null }, result: r } : { keep: true, result: null },
  );
  if (!back) return;
  await ctx.store.setRemove(keys.inFlight(nodeId), reqKey);
  await ctx.store.timerRemove(keys.leases, reqKey);
  if (back.requestId !== null) {
    const ownKey = keys.owned(nodeId, requestIdHash(back.requestId));
    const own = await ctx.store.get<{ reqKey: string }>(ownKey);
    if (own?.value.reqKey === reqKey) await ctx.store.compareAndSet(ownKey, own.version, null);
  }
  await ctx.store.pushBounded(keys.queue(nodeId), reqKey, Number.MAX_SAFE_INTEGER);
  await ctx.store.publish(keys.workChannel(nodeId));
}

/** Waits up to `waitMs` for work; `signal` aborts (client went away or relay closing). */
export async function pollForWork(
  ctx: RelayContext,
  nodeId: string,
  waitMs: number,
  signal: AbortSignal,
): Promise<WorkItem | null> {
  const until = ctx.now() + waitMs;
  for (;;) {
    if (signal.aborted) return null;
    const taken = await takeOne(ctx, nodeId);
    if (taken) {
      if (signal.aborted) {
        await giveBack(ctx, nodeId, taken.reqKey, taken.work);
        return null;
      }
      return taken.item;
    }
    const left = until - ctx.now();
    if (left <= 0) return null;
    await ctx.store.waitFor(keys.workChannel(nodeId), Math.min(left, RECHECK_MS), signal);
  }
}
