// The ciphertext envelope the relay stores (submit's work, a node's answer) and hands on (work
// item, retrieved answer) unchanged: opaque strings (§1.5), optional fields copied only when sent.
import type { RetrievedResponse } from '../../../src-shared/protocol/relay-http';
import type { StoredEnvelope } from './model';

/** The envelope fields submit (§2.4.2) and node answers (§2.4.7) share; the schemas require a ciphertext. */
type EnvelopeBody = Omit<StoredEnvelope, 'ciphertext'> & { ciphertext?: string; chat_history?: string };

export function storedEnvelopeOf(body: EnvelopeBody): StoredEnvelope {
  return {
    client_public_key: body.client_public_key,
    ciphertext: (body.ciphertext ?? body.chat_history)!,
    cipherkey: body.cipherkey,
    iv: body.iv,
    ...optionalFields(body),
  };
}

/** §2.4.3/§2.4.5: `chat_history` and `ciphertext` carry the same value. */
export function wireEnvelopeOf(e: StoredEnvelope): RetrievedResponse {
  return {
    client_public_key: e.client_public_key,
    chat_history: e.ciphertext,
    ciphertext: e.ciphertext,
    cipherkey: e.cipherkey,
    iv: e.iv,
    ...optionalFields(e),
  };
}

function optionalFields(e: EnvelopeBody) {
  return {
    ...(e.request_id !== undefined && { request_id: e.request_id }),
    ...(e.protocol !== undefined && { protocol: e.protocol }),
    ...(e.version !== undefined && { version: e.version }),
    ...(e.cancel_token !== undefined && { cancel_token: e.cancel_token }),
  };
}
