// Compute-node routes of §2.4.5–§2.4.9 (+ the legacy /unregister alias) and the registration
// proof of §9.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NodeResponseBody, ProgressBody } from '../../../src-shared/protocol/relay-http';
import type { Capabilities } from '../../../src-shared/protocol/relay-http';
import { ProofRequest, ProofResponse } from '../../../src-shared/protocol/registration-proof';
import { InvalidRegistrationProofError, InvalidRequestError, ProgressRejectedError, UnknownServerError } from '../errors';
import { parseCapabilities } from '../state/capabilities';
import { checkChallenge, issueChallenge } from '../state/challenge';
import { RELAY_CAPABILITIES, type RelayContext } from '../state/context';
import { controlRequest } from '../state/control';
import { pollForWork } from '../state/dispatch';
import { nodeIdOf } from '../state/model';
import { nodePublicKey } from '../state/node-key';
import { registerNode, registerProvenNode, stopPolling, touchNode, unregisterNode } from '../state/nodes';
import { storeProgress } from '../state/progress';
import { acceptNodeResponse } from '../state/respond';
import { guardEnvelope, isJsonObject, parseOr400 } from './envelope-guard';
import { SUBMIT_FIELDS } from './client-routes';
import { applyIdentityRateLimit, longPollSignal, requireServerToken } from './route-kit';

const RESPONSE_FIELDS: ReadonlySet<string> = new Set([...SUBMIT_FIELDS, 'control_credential']);
const PROGRESS_FIELDS = Object.keys(ProgressBody.shape).sort().join(',');

/** Register and poll bodies; other keys are ignored (§2.4.5). */
const NodeKeyBody = z.object({
  server_public_key: z.string().min(1),
  capabilities: z.unknown().optional(),
  control_credential: z.unknown().optional(),
  proof: z.unknown().optional(),
});
const ControlInput = z.object({
  server_public_key: z.string().min(1),
  request_id: z.string().min(1),
  control_credential: z.unknown().optional(),
  acknowledge: z.unknown().optional(),
  ack: z.unknown().optional(),
});

function nodeBody(request: FastifyRequest, message = 'Invalid request data') {
  const body = parseOr400(request.body, NodeKeyBody, message);
  return {
    serverPublicKey: body.server_public_key,
    credential: body.control_credential,
    proof: body.proof,
    capabilities: (): Capabilities | null =>
      body.capabilities === undefined || body.capabilities === null ? null : parseCapabilities(body.capabilities),
  };
}

/** §9.1: absent (no proof), a challenge request, or a challenge answer. */
function proofOf(raw: unknown): { answer: ProofResponse | null } | null {
  if (raw === undefined) return null;
  const answer = ProofResponse.safeParse(raw);
  if (answer.success) return { answer: answer.data };
  if (ProofRequest.safeParse(raw).success) return { answer: null };
  if (isJsonObject(raw) && raw.version !== 1)
    throw new InvalidRegistrationProofError(`proof.version ${JSON.stringify(raw.version) ?? 'missing'} is not supported by this relay; it speaks version 1`);
  throw new InvalidRegistrationProofError(
    'proof must be {"version": 1} to ask for a challenge, or {"version": 1, "challenge_id": "…", "response": "…"} (non-empty strings) to answer one',
  );
}

export function registerNodeRoutes(app: FastifyInstance, ctx: RelayContext): void {
  const registration = () => ({
    next_ping_in_x_seconds: ctx.config.leaseSeconds,
    poll_wait_seconds: ctx.config.pollWaitSeconds,
    relay_capabilities: RELAY_CAPABILITIES,
  });

  app.post('/api/v1/relay/servers/register', { config: { policy: { limit: 'register' } } }, async (request) => {
    requireServerToken(ctx, request);
    const body = nodeBody(request, 'Invalid public key');
    const { serverPublicKey, credential } = body;
    const key = nodePublicKey(serverPublicKey); // §9.5, before anything else about the registration
    const capabilities = body.capabilities();
    await applyIdentityRateLimit(ctx, 'register', serverPublicKey);
    const proof = proofOf(body.proof);
    const nodeId = nodeIdOf(serverPublicKey);
    if (proof?.answer === null) return { proof_challenge: await issueChallenge(ctx, nodeId, key), ...registration() };
    const { controlCredential, verified } = proof
      ? await registerProvenNode(ctx, serverPublicKey, capabilities, credential, await checkChallenge(ctx, nodeId, proof.answer))
      : await registerNode(ctx, serverPublicKey, capabilities, credential);
    return { ...(controlCredential !== null && { control_credential: controlCredential }), ...registration(), ...(verified && { verified }) };
  });

  app.post('/api/v1/relay/servers/poll', { config: { policy: { limit: 'poll' } } }, async (request, reply) => {
    requireServerToken(ctx, request);
    const body = nodeBody(request);
    const { serverPublicKey, credential } = body;
    const capabilities = body.capabilities();
    await applyIdentityRateLimit(ctx, 'poll', serverPublicKey);
    const nodeId = nodeIdOf(serverPublicKey);
    const waitMs = ctx.config.pollWaitSeconds * 1000;
    const registered = await touchNode(ctx, nodeId, capabilities, ctx.now() + waitMs, credential);
    if (!registered) throw new UnknownServerError();
    const signal = longPollSignal(ctx, reply);
    const work = await pollForWork(ctx, nodeId, registered, waitMs, signal);
    if (work) return work; // the lease was refreshed when the poll began
    // A poll whose node hung up is no sighting of it (§2.4.1 liveness).
    if (signal.aborted && !ctx.shutdown.aborted) await stopPolling(ctx, nodeId, registered.pollingUntil);
    else await touchNode(ctx, nodeId, null, 0, credential);
    return { message: 'No requests available', next_ping_in_x_seconds: 0, poll_wait_seconds: ctx.config.pollWaitSeconds };
  });

  app.post('/api/v1/relay/servers/control', { config: { policy: { limit: 'control' } } }, async (request) => {
    requireServerToken(ctx, request);
    const body = parseOr400(request.body, ControlInput);
    await applyIdentityRateLimit(ctx, 'control', body.server_public_key);
    const acknowledge = body.acknowledge === true || body.ack === true;
    return controlRequest(ctx, body.server_public_key, body.request_id, body.control_credential, acknowledge);
  });

  app.post('/api/v1/relay/responses', { config: { policy: { limit: 'responses' } } }, async (request) => {
    requireServerToken(ctx, request);
    const body = guardEnvelope(request.body, RESPONSE_FIELDS, NodeResponseBody);
    await applyIdentityRateLimit(ctx, 'responses', body.client_public_key);
    const outcome = await acceptNodeResponse(ctx, body);
    return { message: outcome === 'queued' ? 'Response received and queued for client' : 'Response already queued for client' };
  });

  app.post(
    '/api/v1/relay/progress',
    { bodyLimit: ctx.config.progressBodyLimitBytes, config: { policy: { limit: 'progress' } } },
    async (request, reply) => {
      requireServerToken(ctx, request);
      const raw = request.body;
      if (!isJsonObject(raw) || Object.keys(raw).sort().join(',') !== PROGRESS_FIELDS)
        throw new ProgressRejectedError(400, 'Invalid encrypted progress schema');
      const parsed = ProgressBody.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]?.path[0];
        throw new ProgressRejectedError(
          400,
          issue === 'protocol' || issue === 'version' ? 'Invalid encrypted progress protocol' : 'Invalid encrypted progress envelope',
        );
      }
      await applyIdentityRateLimit(ctx, 'progress', parsed.data.server_public_key);
      await storeProgress(ctx, parsed.data);
      reply.code(202);
      return { message: 'Encrypted progress accepted' };
    },
  );

  const unregister = async (request: FastifyRequest) => {
    requireServerToken(ctx, request);
    if (!isJsonObject(request.body)) throw new InvalidRequestError();
    const body = parseOr400(request.body, z.object({ server_public_key: z.string().min(1) }).loose(), 'Invalid public key');
    await applyIdentityRateLimit(ctx, 'unregister', body.server_public_key);
    const removed = await unregisterNode(ctx, body.server_public_key, request.body.control_credential);
    return { message: 'Server unregistered', removed };
  };
  app.post('/api/v1/relay/servers/unregister', { config: { policy: { limit: 'unregister' } } }, unregister);
  app.post('/unregister', { config: { policy: { limit: 'unregister' } } }, unregister);
}
