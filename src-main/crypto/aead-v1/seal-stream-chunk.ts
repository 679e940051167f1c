// Node → client stream chunk of an aead-v1 request (docs/protocol.md §10.5.4; issue 12's stream):
//   cipherkey = base64("aead-v1"), iv = base64(u32 BE 0 || u64 BE sequence),
//   ciphertext = base64( AES-256-GCM(subkey "stream", iv, plaintext, AAD "stream" + sequence + final) || tag )
// Sequence and final flag are bound, so chunks cannot be reordered, dropped, replayed, spliced
// from another request or cut short without the client noticing.
import { encodeBase64 } from '../base64';
import { plaintextBytes } from '../plaintext';
import type { AeadV1Position } from './associated-data';
import { NODE_ENVELOPE_CIPHERKEY } from './constants';
import { sequenceNonce } from './nonce';
import { sealPart } from './part';
import type { AeadV1Envelope, AeadV1Session } from './session';

/** A chunk's place in its stream: sequence numbers count up from 0; the last chunk has final. */
export interface AeadV1ChunkPosition extends AeadV1Position {
  final: boolean;
}

/** Throws RangeError when the sequence is not a non-negative safe integer. */
export function sealAeadStreamChunk(session: AeadV1Session, position: AeadV1ChunkPosition, plaintext: Uint8Array | string): AeadV1Envelope {
  const nonce = sequenceNonce(position.sequence);
  return {
    ciphertext: sealPart(session, 'stream', nonce, plaintextBytes(plaintext), { sequence: position.sequence, final: position.final === true }),
    cipherkey: NODE_ENVELOPE_CIPHERKEY,
    iv: encodeBase64(nonce),
  };
}
