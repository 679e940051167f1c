// §2.4.7 node answer, with the ownership rule that fixes §2.6.4 and the §9.4 rule:
//  * the request must be in flight, i.e. dispatched to a node by /servers/poll (answers to queued
//    requests are refused: no node holds them yet);
//  * when the body names a node (`server_public_key`) it must be the node holding the request;
//  * when the body carries a `control_credential` it must be the holding node's credential;
//  * when the request went to a verified registration, or its key is held by one now, the
//    credential is required (holder.ts).
// Reference nodes (unverified) send neither and keep working; our nodes send both.
import type { NodeResponseBody } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialRequiredError, NoLongerWaitingError, NotRequestOwnerError } from '../errors';
import type { Versioned } from '../store/state-store';
import type { RelayContext } from './context';
import { storedEnvelopeOf } from './envelope';
import { judgeHolder } from './holder';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';
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

  // The holder's record is judged with the transition, so the request's node must be known first.
  // A copy this process holds names it without a read (checked again in the transition); else the
  // request is read together with the named node's record (one round trip).
  const recalled = ctx.store.recall<RequestRecord>(keys.request(reqKey));
  const [read, named] = await Promise.all([
    recalled === undefined ? ctx.store.get<RequestRecord>(keys.request(reqKey)) : undefined,
    namedNode !== null ? ctx.store.get<NodeRecord>(keys.node(namedNode)) : null,
  ]);
  let nodeId = (recalled ?? read)?.value.nodeId;
  if (nodeId === undefined) throw new NoLongerWaitingError('gone');
  let snapshot: Versioned<RequestRecord> | null | undefined = read ?? undefined;

  const envelope = storedEnvelopeOf(body);
  for (;;) {
    const holder = nodeId === namedNode ? named : await ctx.store.get<NodeRecord>(keys.node(nodeId));
    const now = ctx.now();
    const responseExpiresAt = now + ctx.config.responseTtlSeconds * 1000;
    const judgedFor: string = nodeId;
    const won = await mutate<RequestRecord, RequestRecord | 'duplicate' | 'overdue' | { reread: string }>(ctx.store, keys.request(reqKey), (r) => {
      if (!r) throw new NoLongerWaitingError('gone');
      const held = r.state === 'in_flight' || r.state === 'completed';
      if (held && namedNode !== null && namedNode !== r.nodeId) throw new NotRequestOwnerError();
      // The request_id was used again for a request to another node since the copy was taken.
      if (r.nodeId !== judgedFor) return { keep: true, result: { reread: r.nodeId } };
      if (held) {
        const verdict = judgeHolder(r, holder?.value ?? null, body.control_credential);
        if (verdict === 'credential_required') throw new ControlCredentialRequiredError();
        if (verdict === 'not_owner') throw new NotRequestOwnerError();
      }
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
    if (typeof won === 'object' && 'reread' in won) {
      nodeId = won.reread;
      snapshot = undefined;
      continue;
    }
    if (won === 'duplicate') return 'duplicate';
    if (won === 'overdue') {
      // The deadline passed before the sweeper noticed: expiry wins, as it would have a moment later.
      await endRequest(ctx, reqKey, 'expired', 'provider_timeout', (r) => r.deadlineAt <= now);
      throw new NoLongerWaitingError('expired');
    }
    ctx.onEvent('completed');
    return 'queued';
  }
}

/** Legacy answers without request_id complete the client's oldest in-flight id-less request. */
async function oldestAnonymousInFlight(ctx: RelayContext, clientKeyHash: string, wantNode: string | null): Promise<string | null> {
  for (const reqKey of await ctx.store.listItems(keys.anonymous(clientKeyHash))) {
    const r = await ctx.store.get<RequestRecord>(keys.request(reqKey));
    if (r?.value.state === 'in_flight' && (wantNode === null || r.value.nodeId === wantNode)) return reqKey;
  }
  return null;
}
