// §2.4.2 submit: one queued request record + one entry on the addressed node's bounded queue.
import { randomBytes, createHash } from 'node:crypto';
import type { SubmitRequestBody } from '../../../src-shared/protocol/relay-http';
import { DuplicateRequestError, QueueFullError, UnknownServerError } from '../errors';
import { remainingSeconds, type RelayContext } from './context';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';

export interface SubmitResult {
  deadlineRemainingSeconds: number;
}

export async function submitRequest(ctx: RelayContext, body: SubmitRequestBody): Promise<SubmitResult> {
  const { store, config } = ctx;
  const nodeId = nodeIdOf(body.server_public_key);
  const node = await store.get<NodeRecord>(keys.node(nodeId));
  if (!node) throw new UnknownServerError();

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
    cancelDigest: body.cancel_token ? createHash('sha256').update(body.cancel_token).digest('hex') : null,
    work: {
      client_public_key: body.client_public_key,
      ciphertext: (body.ciphertext ?? body.chat_history)!,
      cipherkey: body.cipherkey,
      iv: body.iv,
      ...(body.request_id !== undefined && { request_id: body.request_id }),
      ...(body.protocol !== undefined && { protocol: body.protocol }),
      ...(body.version !== undefined && { version: body.version }),
      ...(body.cancel_token !== undefined && { cancel_token: body.cancel_token }),
    },
    leaseExpiresAt: null,
    response: null,
    responseExpiresAt: null,
    progress: null,
    reason: null,
  };
  const created = await mutate<RequestRecord, boolean>(store, keys.request(reqKey), (cur) =>
    cur ? { keep: true, result: false } : { write: record, result: true },
  );
  if (!created) throw new DuplicateRequestError();

  // The record exists before the queue entry, so a racing poll never pops an unknown key.
  if (!(await store.pushBounded(keys.queue(nodeId), reqKey, config.maxQueueDepthPerNode))) {
    await mutate<RequestRecord, void>(store, keys.request(reqKey), (cur) =>
      cur?.state === 'queued' ? { write: null, result: undefined } : { keep: true, result: undefined },
    );
    ctx.onEvent('queue_full');
    throw new QueueFullError(Math.max(1, Math.ceil(config.pollWaitSeconds)));
  }
  await Promise.all([
    store.timerSet(keys.deadlines, reqKey, record.deadlineAt),
    requestId === null ? store.pushBounded(keys.anonymous(clientKeyHash), reqKey, Number.MAX_SAFE_INTEGER) : null,
    store.publish(keys.workChannel(nodeId)),
  ]);
  ctx.onEvent('submitted');
  return { deadlineRemainingSeconds: remainingSeconds(ctx, record.deadlineAt) };
}
