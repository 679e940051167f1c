// RSA encryption of the session-key text (docs/protocol.md §1.3 step 3).
// OAEP-SHA256 = RSAES-OAEP, SHA-256, MGF1-SHA-256, empty label unless one is given (the aead-v1
// request key and the registration challenge have their own labels, §10.1).
// PKCS1v15 = RSAES-PKCS1-v1_5 (block type 2); Node still allows it for *encryption* (only private
// decryption is refused).
import { constants, publicEncrypt, type KeyObject } from 'node:crypto';
import type { RsaPadding } from './keys';

/** Returns the RSA ciphertext (modulus length, 256 bytes for RSA-2048). */
export function rsaWrap(publicKey: KeyObject, message: Uint8Array, padding: RsaPadding, oaepLabel?: Uint8Array): Buffer {
  if (padding === 'oaep-sha256') {
    return publicEncrypt(
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        ...(oaepLabel && oaepLabel.length > 0 ? { oaepLabel } : {}),
      },
      message,
    );
  }
  if (oaepLabel && oaepLabel.length > 0) throw new RangeError('an OAEP label needs OAEP padding');
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, message);
}
