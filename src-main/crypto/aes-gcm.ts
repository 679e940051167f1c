// AES-256-GCM (docs/protocol.md §1.4): 32-byte key, 12-byte IV, 16-byte tag carried
// separately (ciphertext length == plaintext length), optional associated data that is never
// transmitted. An empty AAD is the same as no AAD.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AES_256_KEY_BYTES } from './aes-cbc';
import { DecryptionError } from './errors';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface GcmSealed {
  ciphertext: Buffer;
  tag: Buffer;
}

export function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  associatedData?: Uint8Array,
): GcmSealed {
  if (key.length !== AES_256_KEY_BYTES || iv.length !== GCM_IV_BYTES) {
    throw new RangeError('AES-256-GCM needs a 32-byte key and a 12-byte IV');
  }
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  if (associatedData && associatedData.length > 0) cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** Every failure (sizes, tag mismatch, wrong AAD) throws DecryptionError. */
export function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  associatedData?: Uint8Array,
): Buffer {
  if (key.length !== AES_256_KEY_BYTES || iv.length !== GCM_IV_BYTES || tag.length !== GCM_TAG_BYTES) {
    throw new DecryptionError();
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAuthTag(tag);
    if (associatedData && associatedData.length > 0) decipher.setAAD(associatedData);
    const plaintext = decipher.update(ciphertext);
    const rest = decipher.final(); // GCM final() yields no bytes; it verifies the tag
    return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
  } catch {
    throw new DecryptionError();
  }
}
