// AES-256-CBC with PKCS#7 padding (docs/protocol.md §1.4): 32-byte key, 16-byte IV,
// ciphertext length = 16 * (floor(len / 16) + 1); a full pad block when len % 16 == 0.
// No integrity (§1.9.1): a flipped IV bit flips the plaintext and still decrypts.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecryptionError } from './errors';

export const AES_256_KEY_BYTES = 32;
export const AES_BLOCK_BYTES = 16;
export const CBC_IV_BYTES = 16;

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  if (key.length !== AES_256_KEY_BYTES || iv.length !== CBC_IV_BYTES) {
    throw new RangeError('AES-256-CBC needs a 32-byte key and a 16-byte IV');
  }
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/**
 * Strict PKCS#7 unpad: last byte n in 1..16 and all n trailing bytes equal n. Reads all 16
 * trailing bytes without an early exit (no data-dependent branch on the padding bytes).
 */
function unpadPkcs7(padded: Buffer): Buffer {
  const length = padded.length;
  const pad = padded[length - 1]!;
  let bad = ((pad - 1) >>> 31) | ((AES_BLOCK_BYTES - pad) >>> 31); // pad == 0 or pad > 16
  for (let i = 1; i <= AES_BLOCK_BYTES; i++) {
    const inPadMask = -((i - pad - 1) >>> 31); // -1 when i <= pad, else 0
    bad |= (padded[length - i]! ^ pad) & inPadMask;
  }
  if (bad !== 0) throw new DecryptionError();
  return padded.subarray(0, length - pad);
}

/** Every failure (sizes, padding) throws DecryptionError. */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  if (
    key.length !== AES_256_KEY_BYTES ||
    iv.length !== CBC_IV_BYTES ||
    ciphertext.length === 0 ||
    ciphertext.length % AES_BLOCK_BYTES !== 0
  ) {
    throw new DecryptionError();
  }
  let padded: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    decipher.setAutoPadding(false);
    padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
  return unpadPkcs7(padded);
}
