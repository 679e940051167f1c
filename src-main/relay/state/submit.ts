// §2.4.2 submit: one queued request record + one entry on the addressed node's bounded queue,
// committed together.
import { randomBytes } from 'node:crypto';
import type { SubmitRequestBody } from '../../../src-shared/protocol/relay-http';
import { DuplicateRequestError, QueueFullError, UnknownServerError } from '../errors';
import { queueRetryAfterSeconds, remainingSeconds, type RelayContext } from './context';
import { storedEnvelopeOf } from './envelope';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, sha256Hex, type RequestRecord } from './model';

export interface SubmitResult {
  deadlineRemainingSeconds: number;
}

export async function submitRequest(ctx: RelayContext, body: SubmitRequestBody): Promise<SubmitResult> {
  const { store, config } = ctx;
  const nodeId = nodeIdOf(body.server_public_key);
  const clientKeyHash = clientHashOf(body.client_public_key);
  const requestId = body.request_id ?? null;
  // Legacy submissions without request_id get an internal id no client can name (§2.4.3 fix).
  const reqKey = requestKeyOf(clientKeyHash, requestId ?? `#anonymous#${randomBytes(16).toString('hex')}`);
  const now = ctx.now();
  const record: RequestRecord = {
    state: 'queued',
    requestId,
    clientKeyHash,
    nodeId,
    createdAt: now,
    deadlineAt: now + config.requestDeadlineSeconds * 1000,
    cancelDigest: body.cancel_token ? sha256Hex(body.cancel_token) : null,
    work: storedEnvelopeOf(body),
    leaseExpiresAt: null,
    response: null,
    responseExpiresAt: null,
    progress: null,
    reason: null,
    dispatchedTo: null,
  };
  // One commit: the node must be registered, the request new and the queue not full; record,
  // queue entry and deadline appear together, so a racing poll never pops an unknown key.
  const outcome = await store.commit(keys.request(reqKey), null, record, {
    requireRecord: keys.node(nodeId),
    effects: [
      { op: 'listPush', list: keys.queue(nodeId), item: reqKey, max: config.maxQueueDepthPerNode },
      { op: 'timerSet', index: keys.deadlines, member: reqKey, atMs: record.deadlineAt },
      ...(requestId === null ? [{ op: 'listPush', list: keys.anonymous(clientKeyHash), item: reqKey } as const] : []),
      { op: 'publish', channel: keys.workChannel(nodeId) },
    ],
  });
  if (outcome === 'missing') throw new UnknownServerError();
  if (outcome === 'conflict') throw new DuplicateRequestError();
  if (outcome === 'full') {
    ctx.onEvent('queue_full');
    throw new QueueFullError(queueRetryAfterSeconds(ctx));
  }
  ctx.onEvent('submitted');
  return { deadlineRemainingSeconds: remainingSeconds(ctx, record.deadlineAt) };
}
