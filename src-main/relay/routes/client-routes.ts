// Client routes of §2.4.1–§2.4.4.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CancelStatus, RetrieveBody, SubmitRequestBody, TerminalReason } from '../../../src-shared/protocol/relay-http';
import { InvalidRequestError } from '../errors';
import { cancelRequest } from '../state/cancel';
import type { RelayContext } from '../state/context';
import { retrieveResponse } from '../state/retrieve';
import { selectNode } from '../state/select-node';
import { submitRequest } from '../state/submit';
import { guardEnvelope, isJsonObject, parseOr400 } from './envelope-guard';
import { longPollSignal } from './route-kit';

export const SUBMIT_FIELDS: ReadonlySet<string> = new Set([
  'server_public_key',
  'client_public_key',
  'ciphertext',
  'chat_history',
  'cipherkey',
  'iv',
  'request_id',
  'protocol',
  'version',
  'cancel_token',
]);


const CancelInput = z.object({
  client_public_key: z.string().min(1),
  request_id: z.string().min(1),
  cancel_token: z.string().min(1),
  status: z.unknown().optional(),
  reason: z.unknown().optional(),
});

export function registerClientRoutes(app: FastifyInstance, ctx: RelayContext): void {
  app.get('/api/v1/relay/servers/next', { config: { policy: { cors: true, limit: 'exempt' } } }, async (request) => {
    const query = isJsonObject(request.query) ? request.query : {};
    return selectNode(ctx, query.model, query.context_tier);
  });

  app.post('/api/v1/relay/requests', { config: { policy: { cors: true, limit: 'public' } } }, async (request) => {
    const raw = request.body;
    if (isJsonObject(raw) && (raw.client_public_key === undefined || raw.client_public_key === '')) {
      // Everything else valid but no client key: the reference's dedicated message (§2.4.2).
      guardEnvelope({ ...raw, client_public_key: 'x' }, SUBMIT_FIELDS, SubmitRequestBody);
      throw new InvalidRequestError('Missing client public key');
    }
    const body = guardEnvelope(raw, SUBMIT_FIELDS, SubmitRequestBody);
    const accepted = await submitRequest(ctx, body);
    return {
      message: 'Request received',
      request_deadline_remaining_seconds: accepted.deadlineRemainingSeconds,
      request_ttl_seconds: accepted.deadlineRemainingSeconds,
    };
  });

  app.post('/api/v1/relay/responses/retrieve', { config: { policy: { cors: true, limit: 'exempt', longPoll: 'retrieve' } } }, async (request, reply) => {
    if (!isJsonObject(request.body)) throw new InvalidRequestError();
    // Reference clients send only these keys; extra keys are ignored as by the reference.
    const { client_public_key, request_id, wait_seconds } = request.body;
    const body = parseOr400({ client_public_key, request_id, wait_seconds }, RetrieveBody);
    // A sender holding all its long polls gets the answer of wait_seconds 0 (§5.1).
    const waitMs = request.longPollAdmitted ? Math.min(body.wait_seconds ?? 0, ctx.config.maxRetrieveWaitSeconds) * 1000 : 0;
    const result = await retrieveResponse(ctx, body.client_public_key, body.request_id, waitMs, longPollSignal(ctx, reply));
    if (result.kind === 'delivered') return result.body;
    reply.code(202);
    return {
      status: 'pending',
      request_deadline_remaining_seconds: result.deadlineRemainingSeconds,
      request_ttl_seconds: result.deadlineRemainingSeconds,
      ...(result.progress && { encrypted_progress: result.progress }),
    };
  });

  app.post('/api/v1/relay/requests/cancel', { config: { policy: { cors: true, limit: 'public' } } }, async (request) => {
    const body = parseOr400(request.body, CancelInput);
    const status = CancelStatus.safeParse(body.status).data ?? 'cancelled';
    const reason = TerminalReason.safeParse(body.reason).data ?? status;
    const result = await cancelRequest(ctx, body.client_public_key, body.request_id, body.cancel_token, status, reason);
    return { status: result.status, request_id: body.request_id, removed_from_queue: result.removedFromQueue };
  });
}
