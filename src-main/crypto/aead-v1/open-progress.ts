// Client side of an aead-v1 progress update (docs/protocol.md §10.5.3): the sequence is read from
// the counter nonce and bound by the AAD, so a relay cannot renumber, replay under another
// number, or move an update to another request. The caller keeps only increasing sequences.
import { DecryptionError } from '../errors';
import { sequenceFromNonce } from './nonce';
import { decodeNonce, nodeEnvelopeFields, openPart } from './part';
import type { AeadV1Session } from './session';

export interface OpenedAeadV1Progress {
  sequence: number;
  plaintext: Buffer;
}

export function openAeadProgress(session: AeadV1Session, envelope: unknown): OpenedAeadV1Progress {
  const { ciphertext, iv } = nodeEnvelopeFields(envelope);
  const nonce = decodeNonce(iv);
  const sequence = sequenceFromNonce(nonce);
  if (sequence === null) throw new DecryptionError();
  return { sequence, plaintext: openPart(session, 'progress', nonce, ciphertext, { sequence }) };
}
