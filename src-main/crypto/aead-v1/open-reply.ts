// Client side of an aead-v1 answer (docs/protocol.md §10.5.2): the marker cipherkey, a 12-byte
// nonce and a tag that verifies under the reply subkey and AAD, else the one DecryptionError.
// A CBC envelope (16-byte IV, RSA cipherkey) never opens here.
import { decodeNonce, nodeEnvelopeFields, openPart } from './part';
import type { AeadV1Session } from './session';

export function openAeadReply(session: AeadV1Session, envelope: unknown): Buffer {
  const { ciphertext, iv } = nodeEnvelopeFields(envelope);
  return openPart(session, 'reply', decodeNonce(iv), ciphertext);
}
