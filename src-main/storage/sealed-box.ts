// AES-256-GCM sealing of one stored blob with the 32-byte data key.
//
// Layout: "TPS1" (4) | keyId (8) | iv (12) | tag (16) | ciphertext
// AAD = "TPS1" | keyId | utf8(context). The context names what the blob is ("conversation:<id>",
// "record:settings", ...), so a blob copied over another file fails authentication.
// keyId = HMAC-SHA256(key, "tokenplace-storage-key-id")[0..8] tells "wrong key" apart from
// "modified data" without weakening anything (it is a MAC of a constant).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { TamperedDataError, WrongKeyError } from './errors';

const MAGIC = Buffer.from('TPS1', 'ascii');
const KEY_ID_LENGTH = 8;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = MAGIC.length + KEY_ID_LENGTH + IV_LENGTH + TAG_LENGTH;
export const DATA_KEY_LENGTH = 32;

export function keyIdOf(key: Uint8Array): Buffer {
  return createHmac('sha256', key).update('tokenplace-storage-key-id').digest().subarray(0, KEY_ID_LENGTH);
}

function assertKey(key: Uint8Array): void {
  if (key.length !== DATA_KEY_LENGTH) throw new RangeError('The data key must be 32 bytes');
}

function aad(keyId: Uint8Array, context: string): Buffer {
  return Buffer.concat([MAGIC, keyId, Buffer.from(context, 'utf8')]);
}

export function seal(key: Uint8Array, context: string, plaintext: Uint8Array): Buffer {
  assertKey(key);
  const keyId = keyIdOf(key);
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, keyId, iv, cipher.getAuthTag(), ciphertext]);
}

/** Throws WrongKeyError when sealed under another key, TamperedDataError when modified. */
export function unseal(key: Uint8Array, context: string, sealed: Uint8Array, what = 'data'): Buffer {
  assertKey(key);
  const box = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (box.length < HEADER_LENGTH || !box.subarray(0, MAGIC.length).equals(MAGIC)) throw new TamperedDataError(what);
  let at = MAGIC.length;
  const keyId = box.subarray(at, (at += KEY_ID_LENGTH));
  if (!keyId.equals(keyIdOf(key))) throw new WrongKeyError();
  const iv = box.subarray(at, (at += IV_LENGTH));
  const tag = box.subarray(at, (at += TAG_LENGTH));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad(keyId, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(box.subarray(at)), decipher.final()]);
  } catch {
    throw new TamperedDataError(what);
  }
}

export function sealJson(key: Uint8Array, context: string, value: unknown): Buffer {
  return seal(key, context, Buffer.from(JSON.stringify(value), 'utf8'));
}

export function unsealJson(key: Uint8Array, context: string, sealed: Uint8Array, what = 'data'): unknown {
  const plain = unseal(key, context, sealed, what);
  try {
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    throw new TamperedDataError(what);
  }
}
