// TEST ONLY. A stand-in for our compute node speaking aead-v1 (docs/protocol.md §10) until the
// real node does, built from the crypto module: it registers with `e2ee_profiles`, polls, opens
// aead-v1 work with the request-key label (§10.5.1) and answers under the request's own key
// (§10.5.2); reference-cbc work it answers as CBC and lists `aead-v1` in the inner response
// (§10.6); work it cannot open gets the one generic CBC error (N1 policy in §10.7). Answers are
// "<name> answer to: <last user message>".
import { encryptJson, envelopeProfile, jsonPlaintext, openAeadRequest, parseJsonPlaintext, sealAeadReply, type RsaKeyPair } from '../../src-main/crypto';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { buildInnerErrorResponse, buildInnerSuccessResponse, GENERIC_UNPROCESSABLE_ERROR } from '../../src-shared/protocol/inner-envelope';
import type { WorkItem } from '../../src-shared/protocol/relay-http';
import { call } from '../relay/http';
import { CAPABILITIES, TestNode } from '../relay/actors';

export interface AeadTestNode {
  readonly publicKeyWire: string;
  /** Work items this node answered (with an answer or the generic error). */
  readonly answered: { requestId: string; profile: 'aead-v1' | 'reference-cbc' | 'unopenable' }[];
  stop(): Promise<void>;
}

interface InnerRequestLike {
  request_id?: unknown;
  client_public_key?: unknown;
  e2ee_profiles?: unknown;
  api_v1_request?: { messages?: { content?: unknown }[] };
}

export async function startAeadTestNode(relayUrl: string, keys: RsaKeyPair, opts: { model: string; name?: string }): Promise<AeadTestNode> {
  const node = await TestNode.create(relayUrl, { keys });
  const name = opts.name ?? 'aead node';
  const registered = await node.register({ ...CAPABILITIES, supported_model_ids: [opts.model], e2ee_profiles: ['aead-v1'] });
  if (registered.status !== 200) throw new Error(`aead test node: register ${registered.status} ${registered.text}`);
  const answered: AeadTestNode['answered'] = [];
  let stopped = false;

  const post = (work: WorkItem, env: { ciphertext: string; cipherkey: string; iv: string }) =>
    call(relayUrl, 'POST', '/api/v1/relay/responses', {
      client_public_key: work.client_public_key,
      request_id: work.request_id,
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      chat_history: env.ciphertext,
      cipherkey: env.cipherkey,
      iv: env.iv,
    });
  const answerText = (inner: InnerRequestLike) => `${name} answer to: ${String(inner.api_v1_request?.messages?.at(-1)?.content ?? '')}`;
  const bound = (inner: InnerRequestLike, work: WorkItem) => inner.request_id === work.request_id && inner.client_public_key === work.client_public_key;
  const success = (work: WorkItem, inner: InnerRequestLike) =>
    buildInnerSuccessResponse({ requestId: work.request_id!, clientPublicKey: work.client_public_key, content: answerText(inner), finishReason: 'stop' });

  async function handle(work: WorkItem): Promise<void> {
    const envelope = { ciphertext: work.ciphertext, cipherkey: work.cipherkey, iv: work.iv };
    if (envelopeProfile(envelope) === 'aead-v1') {
      try {
        const { plaintext, session } = openAeadRequest(envelope, {
          requestId: work.request_id!,
          clientPublicKey: work.client_public_key,
          nodeKeys: { privateKeyPem: keys.privateKeyPem, publicKeyPem: keys.publicKeyPem },
        });
        const inner = parseJsonPlaintext(plaintext) as InnerRequestLike;
        if (bound(inner, work)) {
          answered.push({ requestId: work.request_id!, profile: 'aead-v1' });
          await post(work, sealAeadReply(session, jsonPlaintext(success(work, inner))));
          return;
        }
      } catch {
        // falls through to the generic answer
      }
      answered.push({ requestId: work.request_id!, profile: 'unopenable' });
      const generic = buildInnerErrorResponse({ requestId: work.request_id!, clientPublicKey: work.client_public_key, error: { ...GENERIC_UNPROCESSABLE_ERROR } });
      await post(work, encryptJson(generic, work.client_public_key, { mode: 'cbc', padding: 'oaep-sha256' }));
      return;
    }
    const inner = node.open(work) as InnerRequestLike;
    const advertise = Array.isArray(inner.e2ee_profiles) && inner.e2ee_profiles.includes('aead-v1');
    answered.push({ requestId: work.request_id!, profile: 'reference-cbc' });
    const response = { ...success(work, inner), ...(advertise && { e2ee_profiles: ['aead-v1'] }) };
    await post(work, encryptJson(response, work.client_public_key, { mode: 'cbc', padding: 'oaep-sha256' }));
  }

  const loop = (async () => {
    while (!stopped) {
      const r = await node.poll().catch(() => null);
      if (stopped) break;
      if (r?.status === 200 && typeof r.body?.request_id === 'string' && typeof r.body.ciphertext === 'string') await handle(r.body).catch(() => undefined);
      else if (!r || r.status !== 200) await new Promise((res) => setTimeout(res, 50));
    }
  })();

  return {
    publicKeyWire: keys.publicKeyWire,
    answered,
    async stop() {
      stopped = true;
      await loop;
      await call(relayUrl, 'POST', '/api/v1/relay/servers/unregister', { server_public_key: keys.publicKeyWire, control_credential: node.credential }).catch(() => undefined);
    },
  };
}
