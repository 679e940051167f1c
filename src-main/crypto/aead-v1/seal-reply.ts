// Node → client answer (success or error) of an aead-v1 request (docs/protocol.md §10.5.2):
//   cipherkey = base64("aead-v1"), iv = base64(12 random bytes),
//   ciphertext = base64( AES-256-GCM(subkey "reply", iv, plaintext, AAD "reply") || tag )
// Only a holder of K — the client that made it and the node that opened it — can seal one.
import { randomBytes } from 'node:crypto';
import { encodeBase64 } from '../base64';
import { plaintextBytes } from '../plaintext';
import { NODE_ENVELOPE_CIPHERKEY, NONCE_BYTES } from './constants';
import { sealPart } from './part';
import type { AeadV1Envelope, AeadV1Session } from './session';

function seal(session: AeadV1Session, nonce: Buffer, plaintext: Uint8Array | string): AeadV1Envelope {
  return {
    ciphertext: sealPart(session, 'reply', nonce, plaintextBytes(plaintext)),
    cipherkey: NODE_ENVELOPE_CIPHERKEY,
    iv: encodeBase64(nonce),
  };
}

export function sealAeadReply(session: AeadV1Session, plaintext: Uint8Array | string): AeadV1Envelope {
  return seal(session, randomBytes(NONCE_BYTES), plaintext);
}

/** TEST ONLY — not exported from index.ts: a fixed nonce for the vectors (§10.8). */
export function sealAeadReplyWithFixedNonceForTestsOnly(session: AeadV1Session, nonce: Buffer, plaintext: Uint8Array | string): AeadV1Envelope {
  return seal(session, nonce, plaintext);
}
