// §2.4.6 /servers/control: cancellation visibility and in-flight lease renewal for the owning node.
import type { ControlResponse } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialError } from '../errors';
import { nextPollSeconds, remainingSeconds, type RelayContext } from './context';
import { keys, nodeIdOf, requestIdHash, type NodeRecord, type RequestRecord, type Tombstone } from './model';
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
  const node = (await store.get<NodeRecord>(keys.node(nodeId)))?.value ?? null;
  const stone = await store.get<Tombstone>(keys.tombstone(nodeId, ridHash));
  const proven = node
    ? digestMatches(credential, node.credentialDigest)
    : stone !== null && digestMatches(credential, stone.value.credentialDigest);
  if (!proven) throw new ControlCredentialError();
  const next_poll_seconds = nextPollSeconds(ctx);

  if (stone) {
    if (acknowledge) await store.compareAndSet(keys.tombstone(nodeId, ridHash), stone.version, null);
    const remaining = remainingSeconds(ctx, stone.value.deadlineAt);
    return {
      status: stone.value.status,
      next_poll_seconds,
      request_deadline_remaining_seconds: remaining,
      request_ttl_seconds: remaining,
    };
  }
  const own = await store.get<{ reqKey: string }>(keys.owned(nodeId, ridHash));
  if (own) {
    const now = ctx.now();
    const renewed = await mutate<RequestRecord, RequestRecord | null>(store, keys.request(own.value.reqKey), (r) => {
      if (!r || r.state !== 'in_flight' || r.nodeId !== nodeId) return { keep: true, result: null };
      const next = { ...r, leaseExpiresAt: Math.min(now + ctx.config.inFlightTtlSeconds * 1000, r.deadlineAt) };
      return { write: next, result: next };
    });
    if (renewed) {
      await store.setAdd(keys.inFlight(nodeId), own.value.reqKey);
      await store.timerSet(keys.leases, own.value.reqKey, renewed.leaseExpiresAt!);
      const remaining = remainingSeconds(ctx, renewed.deadlineAt);
      return { status: 'active', next_poll_seconds, request_deadline_remaining_seconds: remaining, request_ttl_seconds: remaining };
    }
  }
  return { status: 'completed/unavailable', next_poll_seconds };
}
