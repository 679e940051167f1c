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
  // Independent index updates go out together (one round trip on Redis); the wake-ups follow.
  const work: Promise<unknown>[] = [store.timerRemove(keys.deadlines, reqKey)];
  if (previous.state === 'queued') work.push(store.removeItem(keys.queue(previous.nodeId), reqKey));
  if (previous.state === 'in_flight') {
    work.push(store.setRemove(keys.inFlight(previous.nodeId), reqKey), store.timerRemove(keys.leases, reqKey));
    if (previous.requestId !== null) {
      const ownKey = keys.owned(previous.nodeId, requestIdHash(previous.requestId));
      work.push(
        store.get<{ reqKey: string }>(ownKey).then((own) => (own?.value.reqKey === reqKey ? store.compareAndSet(ownKey, own.version, null) : false)),
      );
      if (ending) work.push(leaveTombstone(ctx, previous, ending));
    }
  }
  if (previous.requestId === null && ending) work.push(store.removeItem(keys.anonymous(previous.clientKeyHash), reqKey));
  await Promise.all(work);
  await Promise.all([
    store.publish(keys.requestChannel(reqKey)),
    ...(previous.requestId === null ? [store.publish(keys.anonChannel(previous.clientKeyHash))] : []),
  ]);
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
