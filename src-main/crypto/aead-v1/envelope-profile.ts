// Which profile a request envelope uses (docs/protocol.md §10.7): a 12-byte IV means aead-v1, anything
// else is the reference CBC profile (16-byte IV, §1.4). Only the IV's length decides — public
// information — so the choice says nothing about whether decryption will succeed.
import type { E2eeProfile } from '../../../src-shared/vocabulary';
import { decodeBase64Strict } from '../base64';
import { NONCE_BYTES } from './constants';

export function envelopeProfile(envelope: { iv?: unknown }): E2eeProfile {
  const iv = typeof envelope.iv === 'string' ? decodeBase64Strict(envelope.iv) : null;
  return iv !== null && iv.length === NONCE_BYTES ? 'aead-v1' : 'reference-cbc';
}
