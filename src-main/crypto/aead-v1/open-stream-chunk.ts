// Client side of an aead-v1 stream chunk (docs/protocol.md §10.5.4). The caller says which chunk
// it expects (the next sequence) and whether the wire marks it final; the nonce must carry that
// sequence and the tag must verify with both bound, else the one DecryptionError.
import { DecryptionError } from '../errors';
import { sequenceNonce } from './nonce';
import { decodeNonce, nodeEnvelopeFields, openPart } from './part';
import type { AeadV1ChunkPosition } from './seal-stream-chunk';
import type { AeadV1Session } from './session';

export function openAeadStreamChunk(session: AeadV1Session, position: AeadV1ChunkPosition, envelope: unknown): Buffer {
  const { ciphertext, iv } = nodeEnvelopeFields(envelope);
  const nonce = decodeNonce(iv);
  let expected: Buffer;
  try {
    expected = sequenceNonce(position.sequence);
  } catch {
    throw new DecryptionError();
  }
  if (!nonce.equals(expected)) throw new DecryptionError();
  return openPart(session, 'stream', nonce, ciphertext, { sequence: position.sequence, final: position.final === true });
}
