// Node → client progress update of an aead-v1 request (docs/protocol.md §10.5.3):
//   cipherkey = base64("aead-v1"), iv = base64(u32 BE 0 || u64 BE sequence),
//   ciphertext = base64( AES-256-GCM(subkey "progress", iv, plaintext, AAD "progress" + sequence) || tag )
// The sequence is the inner `sequence` of §2.3.4, so the nonce never repeats under the subkey.
import { encodeBase64 } from '../base64';
import { plaintextBytes } from '../plaintext';
import { NODE_ENVELOPE_CIPHERKEY } from './constants';
import { sequenceNonce } from './nonce';
import { sealPart } from './part';
import type { AeadV1Envelope, AeadV1Session } from './session';

/** Throws RangeError when the sequence is not a non-negative safe integer. */
export function sealAeadProgress(session: AeadV1Session, sequence: number, plaintext: Uint8Array | string): AeadV1Envelope {
  const nonce = sequenceNonce(sequence);
  return {
    ciphertext: sealPart(session, 'progress', nonce, plaintextBytes(plaintext), { sequence }),
    cipherkey: NODE_ENVELOPE_CIPHERKEY,
    iv: encodeBase64(nonce),
  };
}
