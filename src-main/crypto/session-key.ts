// The RSA-wrapped payload is the 44-character standard base64 TEXT of the 32-byte AES key,
// not the raw key bytes (docs/protocol.md §1.3 steps 2–3, §1.8 quirk 1).
import { decodeBase64Strict } from './base64';
import { AES_256_KEY_BYTES } from './aes-cbc';
import { DecryptionError } from './errors';

export const SESSION_KEY_TEXT_CHARS = 44;

export function sessionKeyToText(key: Uint8Array): Buffer {
  return Buffer.from(Buffer.from(key).toString('base64'), 'ascii');
}

/**
 * Strict inverse: the unwrapped bytes must be canonical base64 of exactly 32 bytes. The
 * reference accepts junk characters and 16/24-byte keys (§1.3 receiver steps 2–3); we do not.
 */
export function sessionKeyFromText(text: Uint8Array): Buffer {
  if (text.length !== SESSION_KEY_TEXT_CHARS) throw new DecryptionError();
  const key = decodeBase64Strict(Buffer.from(text).toString('latin1'));
  if (!key || key.length !== AES_256_KEY_BYTES) throw new DecryptionError();
  return key;
}
