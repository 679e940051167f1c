// §2.4.3 retrieve, one-shot delivery, with an optional bounded long poll (`wait_seconds`): the
// answer goes out the moment the node posts it. Without request_id only id-less (legacy)
// submissions of that client key can be popped, never an answer to an API v1 request (§2.6.4 fix).
import type { RetrievedResponse } from '../../../src-shared/protocol/relay-http';
import { NotFoundError, RequestTerminalError } from '../errors';
import { LONG_POLL_RECHECK_MS, type RelayContext } from './context';
import { wireEnvelopeOf } from './envelope';
import { clientHashOf, keys, requestKeyOf, type RequestRecord, type StoredEnvelope, type StoredProgress } from './model';
import { mutate, type Decision } from './mutate';
import { closeCompleted, endRequest } from './terminate';

export type RetrieveResult =
  | { kind: 'delivered'; body: RetrievedResponse }
  | { kind: 'pending'; deadlineRemainingSeconds: number; progress: StoredProgress | null };

export async function retrieveResponse(
  ctx: RelayContext,
  clientPublicKey: string,
  requestId: string | undefined,
  waitMs: number,
  signal: AbortSignal,
): Promise<RetrieveResult> {
  const clientKeyHash = clientHashOf(clientPublicKey);
  const byId = requestId !== undefined && { reqKey: requestKeyOf(clientKeyHash, requestId), requestId };
  const channel = byId ? keys.requestChannel(byId.reqKey) : keys.anonChannel(clientKeyHash);
  const until = ctx.now() + waitMs;
  for (;;) {
    const result = byId ? await retrieveById(ctx, byId.reqKey, byId.requestId) : await retrieveAnonymous(ctx, clientKeyHash);
    const left = until - ctx.now();
    if (result.kind === 'delivered' || (result.kind === 'pending' && result.progress) || left <= 0 || signal.aborted) {
      if (result.kind === 'none') throw new NotFoundError('No response available for the given public key');
      return result;
    }
    await ctx.store.waitFor(channel, Math.min(left, LONG_POLL_RECHECK_MS), signal);
  }
}

async function retrieveById(
  ctx: RelayContext,
  reqKey: string,
  requestId: string,
): Promise<RetrieveResult | { kind: 'none' }> {
  const now = ctx.now();
  const result = await mutate<RequestRecord, RetrieveResult>(ctx.store, keys.request(reqKey), (r): Decision<RequestRecord, RetrieveResult> => {
    if (!r || r.state === 'delivered') throw new NotFoundError(`Unknown request_id: ${requestId}`);
    if (r.state === 'cancelled' || r.state === 'expired') throw new RequestTerminalError(r.state, r.reason ?? r.state);
    if (r.state === 'completed' && r.response) return deliver(ctx, reqKey, r, r.response);
    if (r.deadlineAt <= now) return { keep: true, result: { kind: 'pending', deadlineRemainingSeconds: 0, progress: null } };
    const pending = { kind: 'pending' as const, deadlineRemainingSeconds: (r.deadlineAt - now) / 1000 };
    if (r.progress) return { write: { ...r, progress: null }, result: { ...pending, progress: r.progress } };
    return { keep: true, result: { ...pending, progress: null } };
  });
  if (result.kind === 'delivered') ctx.onEvent('delivered');
  else if (result.deadlineRemainingSeconds === 0) {
    // Overdue but not yet swept: expire it now so the client learns at once.
    await endRequest(ctx, reqKey, 'expired', 'provider_timeout', (r) => r.deadlineAt <= now);
    return retrieveById(ctx, reqKey, requestId);
  }
  return result;
}

async function retrieveAnonymous(ctx: RelayContext, clientKeyHash: string): Promise<RetrieveResult | { kind: 'none' }> {
  for (const reqKey of await ctx.store.listItems(keys.anonymous(clientKeyHash))) {
    const result = await mutate<RequestRecord, RetrieveResult | null>(ctx.store, keys.request(reqKey), (r) =>
      r?.state === 'completed' && r.response ? deliver(ctx, reqKey, r, r.response) : { keep: true, result: null },
    );
    if (result) {
      ctx.onEvent('delivered');
      return result;
    }
  }
  return { kind: 'none' };
}

/** One-shot delivery: completed -> delivered, the answer leaves the store with its indexes. */
function deliver(ctx: RelayContext, reqKey: string, r: RequestRecord, response: StoredEnvelope): Decision<RequestRecord, RetrieveResult> {
  return { ...closeCompleted(ctx, reqKey, r, 'delivered'), result: { kind: 'delivered', body: wireEnvelopeOf(response) } };
}
