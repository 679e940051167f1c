// §2.4.6 /servers/control: cancellation visibility and in-flight lease renewal for the owning node
// (for a request dispatched to a verified registration, that registration, §9.4).
import type { ControlResponse } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialError } from '../errors';
import { nextPollSeconds, remainingSeconds, type RelayContext } from './context';
import { keys, nodeIdOf, requestIdHash, type NodeRecord, type RequestRecord, type Tombstone } from './model';
import type { Effect } from '../store/state-store';
import { judgeHolder } from './holder';
import { mutate } from './mutate';
import { digestMatches } from './nodes';

export async function controlRequest(
  ctx: RelayContext,
  serverPublicKey: string,
  requestId: string,
  credential: unknown,
  acknowledge: boolean,
): Promise<ControlResponse> {
  const { store } = ctx;
  const nodeId = nodeIdOf(serverPublicKey);
  const ridHash = requestIdHash(requestId);
  // Independent reads go out together (one round trip on Redis).
  const [nodeEntry, stone, own] = await Promise.all([
    store.get<NodeRecord>(keys.node(nodeId)),
    store.get<Tombstone>(keys.tombstone(nodeId, ridHash)),
    store.get<{ reqKey: string }>(keys.owned(nodeId, ridHash)),
  ]);
  const node = nodeEntry?.value ?? null;
  // The tombstone's own credential also counts: a registration that was replaced (§9.3) or left
  // still learns that what it held has ended.
  const proven =
    (node !== null && digestMatches(credential, node.credentialDigest)) ||
    (stone !== null && digestMatches(credential, stone.value.credentialDigest));
  if (!proven) throw new ControlCredentialError();
  const next_poll_seconds = nextPollSeconds(ctx);

  if (stone) {
    if (acknowledge) await store.commit(keys.tombstone(nodeId, ridHash), stone.version, null);
    const remaining = remainingSeconds(ctx, stone.value.deadlineAt);
    return {
      status: stone.value.status,
      next_poll_seconds,
      request_deadline_remaining_seconds: remaining,
      request_ttl_seconds: remaining,
    };
  }
  if (own) {
    const now = ctx.now();
    const renewed = await mutate<RequestRecord, RequestRecord | null>(store, keys.request(own.value.reqKey), (r) => {
      if (!r || r.state !== 'in_flight' || r.nodeId !== nodeId) return { keep: true, result: null };
      // Taken by another registration of this key (§9.4): not this caller's to renew.
      if (judgeHolder(r, node, credential) !== 'ok') return { keep: true, result: null };
      const leaseExpiresAt = Math.min(now + ctx.config.inFlightTtlSeconds * 1000, r.deadlineAt);
      const { reqKey } = own.value;
      const effects: Effect[] = [
        { op: 'setAdd', set: keys.inFlight(nodeId), member: reqKey },
        { op: 'timerSet', index: keys.leases, member: reqKey, atMs: leaseExpiresAt },
      ];
      return { write: { ...r, leaseExpiresAt }, effects, result: r };
    });
    if (renewed) {
      const remaining = remainingSeconds(ctx, renewed.deadlineAt);
      return { status: 'active', next_poll_seconds, request_deadline_remaining_seconds: remaining, request_ttl_seconds: remaining };
    }
  }
  return { status: 'completed/unavailable', next_poll_seconds };
}
