// §2.4.2 submit: seal the inner request to the chosen node's key and hand it to the relay — under
// aead-v1 (§10.5.1) when the key is known to speak it or servers/next says it does, else under the
// reference CBC profile with `e2ee_profiles` in the inner request so our node can say it speaks
// aead-v1 (§10.6); reference nodes ignore the extra key (§2.3.1).
import { randomBytes } from 'node:crypto';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../../src-shared/protocol/constants';
import { buildInnerRequest } from '../../../src-shared/protocol/inner-envelope';
import { SubmitAccepted, type SubmitRequestBody } from '../../../src-shared/protocol/relay-http';
import { AEAD_V1_PROFILE, encryptJson, jsonPlaintext, sealAeadRequest, type AeadV1Session } from '../../crypto';
import type { E2eeProfile } from '../../../src-shared/vocabulary';
import type { ChatError } from '../errors';
import type { CheckedChat } from './chat-request';
import type { ChatRun } from './chat-run';
import type { ChosenNode } from './choose-node';
import type { RelayCalls } from './relay-calls';
import { relayError } from './relay-error';

/** A request sealed for one node: the body to submit, and what cancelling and answering need. */
export interface SealedRequest {
  requestId: string;
  cancelToken: string;
  body: SubmitRequestBody;
  profile: E2eeProfile;
  /** aead-v1: the request key and binding that open the answer and progress (never stored). */
  session: AeadV1Session | undefined;
  /** The inner request asked for a streamed answer (§11.1: every aead-v1 request; CBC never). */
  streams: boolean;
}

/** The relay took the request: when, and the request TTL it promised (absent on legacy relays). */
export interface AdmittedRequest {
  admittedAt: number;
  requestTtlSeconds: number | undefined;
}

const randomHex16 = () => randomBytes(16).toString('hex');

export function sealRequest(run: ChatRun, node: ChosenNode, chat: CheckedChat, profile: E2eeProfile): SealedRequest {
  const { pair } = run;
  const requestId = randomHex16();
  const cancelToken = randomHex16();
  const t = performance.now();
  const streams = profile === 'aead-v1';
  const inner = buildInnerRequest({
    requestId,
    clientPublicKey: pair.publicKeyWire,
    model: node.resolvedModel,
    messages: chat.messages,
    options: chat.options,
    contextTier: node.requestedTier,
    stream: streams,
    // §2.3.6: between our peers only, like streaming.
    keepReasoning: streams && run.req.keepReasoning === true,
  });
  let envelope: { ciphertext: string; cipherkey: string; iv: string };
  let session: AeadV1Session | undefined;
  if (profile === 'aead-v1') {
    ({ envelope, session } = sealAeadRequest(jsonPlaintext(inner), { requestId, clientPublicKey: pair.publicKeyWire, nodePublicKey: node.serverKey }));
  } else {
    envelope = encryptJson({ ...inner, e2ee_profiles: [AEAD_V1_PROFILE] }, node.serverKey, { mode: 'cbc', padding: 'oaep-sha256' });
  }
  run.timings.encryptMs += performance.now() - t;
  const body: SubmitRequestBody = {
    server_public_key: node.serverKey,
    client_public_key: pair.publicKeyWire,
    ciphertext: envelope.ciphertext,
    cipherkey: envelope.cipherkey,
    iv: envelope.iv,
    request_id: requestId,
    protocol: PROTOCOL_ID,
    version: PROTOCOL_VERSION,
    cancel_token: cancelToken,
  };
  return { requestId, cancelToken, body, profile, session, streams };
}

/** Admitted, or the node is gone (404/410: another node may serve); other refusals throw. */
export async function submitRequest(
  calls: RelayCalls,
  run: ChatRun,
  node: ChosenNode,
  sealed: SealedRequest,
): Promise<{ kind: 'admitted'; admitted: AdmittedRequest } | { kind: 'node-gone'; error: ChatError }> {
  const t = performance.now();
  const res = await calls.forRun(run, { method: 'POST', path: '/api/v1/relay/requests', body: sealed.body });
  run.timings.submitMs += performance.now() - t;
  if (res.status === 404 || res.status === 410) return { kind: 'node-gone', error: relayError(res) };
  if (res.status !== 200) throw relayError(res);
  const admittedAt = performance.now();
  const accepted = SubmitAccepted.safeParse(res.body);
  run.status({ type: 'submitted', requestId: sealed.requestId, nodeFingerprint: node.fingerprint, contextTier: node.tier, elapsedMs: admittedAt - run.startedAt });
  return { kind: 'admitted', admitted: { admittedAt, requestTtlSeconds: accepted.success ? accepted.data.request_ttl_seconds : undefined } };
}
