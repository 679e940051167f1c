// Terminal transitions (cancel, expiry, node loss) of one request: the state change is one
// compare-and-set (one winner); the index clean-up that follows is idempotent.
import type { RelayContext } from './context';
import { keys, requestIdHash, type NodeRecord, type RequestRecord, type Tombstone } from './model';
import { mutate } from './mutate';

export type EndStatus = 'cancelled' | 'expired';

export interface TerminalOutcome {
  previous: RequestRecord['state'];
}

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
    return { write: next, ttlMs: ctx.config.terminalTtlSeconds * 1000, result: r };
  });
  if (won) {
    await cleanUpAfter(ctx, reqKey, won, { status, reason, ownerCredentialDigest });
    ctx.onEvent(status);
  }
  return won;
}

/** Index clean-up after a request left queued/in_flight (terminal or completed). */
export async function cleanUpAfter(
  ctx: RelayContext,
  reqKey: string,
  previous: RequestRecord,
  ending: { status: EndStatus; reason: string; ownerCredentialDigest?: string } | null,
): Promise<void> {
  const { store } = ctx;
  if (previous.state === 'queued') await store.removeItem(keys.queue(previous.nodeId), reqKey);
  if (previous.state === 'in_flight') {
    await store.setRemove(keys.inFlight(previous.nodeId), reqKey);
    await store.timerRemove(keys.leases, reqKey);
    if (previous.requestId !== null) {
      const ridHash = requestIdHash(previous.requestId);
      const own = await store.get<{ reqKey: string }>(keys.owned(previous.nodeId, ridHash));
      if (own && own.value.reqKey === reqKey) await store.compareAndSet(keys.owned(previous.nodeId, ridHash), own.version, null);
      if (ending) await leaveTombstone(ctx, previous, ending);
    }
  }
  await store.timerRemove(keys.deadlines, reqKey);
  if (previous.requestId === null) {
    if (ending) await store.removeItem(keys.anonymous(previous.clientKeyHash), reqKey);
    await store.publish(keys.anonChannel(previous.clientKeyHash));
  }
  await store.publish(keys.requestChannel(reqKey));
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
