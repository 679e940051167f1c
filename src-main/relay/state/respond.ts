// §2.4.7 node answer, with the ownership rule that fixes §2.6.4:
//  * the request must be in flight, i.e. dispatched to a node by /servers/poll (answers to queued
//    requests are refused: no node holds them yet);
//  * when the body names a node (`server_public_key`) it must be the node holding the request;
//  * when the body carries a `control_credential` it must be the holding node's credential.
// Reference nodes send neither and keep working; our nodes send both.
import type { NodeResponseBody } from '../../../src-shared/protocol/relay-http';
import { NoLongerWaitingError, NotRequestOwnerError } from '../errors';
import type { Versioned } from '../store/state-store';
import type { RelayContext } from './context';
import { storedEnvelopeOf } from './envelope';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';
import { digestMatches } from './nodes';
import { endRequest, leavingEffects } from './terminate';

export type RespondOutcome = 'queued' | 'duplicate';

export async function acceptNodeResponse(ctx: RelayContext, body: NodeResponseBody): Promise<RespondOutcome> {
  const clientKeyHash = clientHashOf(body.client_public_key);
  const namedNode = body.server_public_key !== undefined ? nodeIdOf(body.server_public_key) : null;
  const reqKey =
    body.request_id !== undefined
      ? requestKeyOf(clientKeyHash, body.request_id)
      : await oldestAnonymousInFlight(ctx, clientKeyHash, namedNode);
  if (reqKey === null) throw new NoLongerWaitingError('gone');

  // A presented credential is checked against the holding node's record first; a node key alone
  // is checked inside the transition (a request's node never changes). The named node's record
  // is read together with the request (one round trip), the holder's only if it is another node.
  let snapshot: Versioned<RequestRecord> | null | undefined;
  if (body.control_credential !== undefined) {
    const [current, named] = await Promise.all([
      ctx.store.get<RequestRecord>(keys.request(reqKey)),
      namedNode !== null ? ctx.store.get<NodeRecord>(keys.node(namedNode)) : null,
    ]);
    if (!current) throw new NoLongerWaitingError('gone');
    const r = current.value;
    if (r.state === 'in_flight' || r.state === 'completed') {
      const holder = r.nodeId === namedNode ? named : await ctx.store.get<NodeRecord>(keys.node(r.nodeId));
      if (!holder || !digestMatches(body.control_credential, holder.value.credentialDigest)) throw new NotRequestOwnerError();
    }
    snapshot = current;
  }

  const envelope = storedEnvelopeOf(body);
  const now = ctx.now();
  const responseExpiresAt = now + ctx.config.responseTtlSeconds * 1000;
  const won = await mutate<RequestRecord, RequestRecord | 'duplicate' | 'overdue'>(ctx.store, keys.request(reqKey), (r) => {
    if (!r) throw new NoLongerWaitingError('gone');
    if ((r.state === 'in_flight' || r.state === 'completed') && namedNode !== null && namedNode !== r.nodeId) throw new NotRequestOwnerError();
    switch (r.state) {
      case 'in_flight': {
        if (r.deadlineAt <= now) return { keep: true, result: 'overdue' as const };
        const next: RequestRecord = { ...r, state: 'completed', response: envelope, responseExpiresAt, progress: null, leaseExpiresAt: null };
        // The deadline timer now guards the undelivered answer (sweep.ts expires it).
        const effects = [...leavingEffects(reqKey, r, false), { op: 'timerSet', index: keys.deadlines, member: reqKey, atMs: responseExpiresAt } as const];
        return { write: next, ttlMs: responseExpiresAt - now + ctx.config.terminalTtlSeconds * 1000, effects, result: r };
      }
      case 'completed':
        return { keep: true, result: 'duplicate' as const };
      case 'queued':
        throw new NotRequestOwnerError('Request has not been dispatched to a compute node');
      case 'delivered':
        throw new NoLongerWaitingError('completed');
      default:
        throw new NoLongerWaitingError(r.state);
    }
  }, snapshot);
  if (won === 'duplicate') return 'duplicate';
  if (won === 'overdue') {
    // The deadline passed before the sweeper noticed: expiry wins, as it would have a moment later.
    await endRequest(ctx, reqKey, 'expired', 'provider_timeout', (r) => r.deadlineAt <= now);
    throw new NoLongerWaitingError('expired');
  }
  ctx.onEvent('completed');
  return 'queued';
}

/** Legacy answers without request_id complete the client's oldest in-flight id-less request. */
async function oldestAnonymousInFlight(ctx: RelayContext, clientKeyHash: string, wantNode: string | null): Promise<string | null> {
  for (const reqKey of await ctx.store.listItems(keys.anonymous(clientKeyHash))) {
    const r = await ctx.store.get<RequestRecord>(keys.request(reqKey));
    if (r?.value.state === 'in_flight' && (wantNode === null || r.value.nodeId === wantNode)) return reqKey;
  }
  return null;
}
