// Subkeys of a request key (docs/protocol.md §10.2):
//   subkey = HKDF-SHA256(ikm = K, salt = utf8(request_id), info = ascii("tokenplace aead-v1 " + purpose), L = 32)
import { hkdfSync } from 'node:crypto';
import { SUBKEY_BYTES, SUBKEY_INFO_PREFIX, type AeadV1Purpose } from './constants';

export function deriveSubkey(requestKey: Uint8Array, requestId: string, purpose: AeadV1Purpose): Buffer {
  const info = Buffer.from(SUBKEY_INFO_PREFIX + purpose, 'ascii');
  return Buffer.from(hkdfSync('sha256', requestKey, Buffer.from(requestId, 'utf8'), info, SUBKEY_BYTES));
}
