// Hybrid envelope decryption (docs/protocol.md §1.3–§1.5), strict where the reference is lax:
// canonical base64 only, unwrapped key text must be base64 of exactly 32 bytes, strict PKCS#7,
// GCM needs a 12-byte IV and a 16-byte tag, CBC a 16-byte IV. Mode (§1.4): GCM if mode == "GCM"
// or a tag is present without mode; otherwise CBC. Every failure → DecryptionError (§1.9).
import { randomBytes, type KeyObject } from 'node:crypto';
import { GenericEnvelopeSchema } from '../../src-shared/protocol/envelope';
import { decodeBase64Strict } from './base64';
import { AES_256_KEY_BYTES, aesCbcDecrypt } from './aes-cbc';
import { aesGcmDecrypt } from './aes-gcm';
import type { HybridEnvelope } from './envelope-encrypt';
import { DecryptionError } from './errors';
import { privateKeyObject } from './key-objects';
import type { RsaPadding, SymmetricMode } from './keys';
import { rsaUnwrap } from './rsa-unwrap';
import { sessionKeyFromText } from './session-key';

/**
 * The receiver picks the RSA padding from context (§1.3): 'oaep-sha256' for our own peers,
 * 'pkcs1v15' for replies from reference nodes. 'legacy-oaep-then-pkcs1v15' mimics the
 * reference receiver's silent fallback and exists only where a legacy peer requires it (§1.9.4).
 */
export type UnwrapPadding = RsaPadding | 'legacy-oaep-then-pkcs1v15';

export interface DecryptOptions {
  padding: UnwrapPadding;
  /** GCM only: must equal the sender's AAD (empty ≡ absent). */
  associatedData?: Uint8Array;
  /** When set, an envelope in the other mode is rejected (API v1 relay paths are CBC-only, §1.4). */
  requireMode?: SymmetricMode;
}

const UNWRAP_PADDINGS: readonly UnwrapPadding[] = ['oaep-sha256', 'pkcs1v15', 'legacy-oaep-then-pkcs1v15'];

function checkOptions(opts: DecryptOptions): void {
  if (!opts || typeof opts !== 'object' || !UNWRAP_PADDINGS.includes(opts.padding)) {
    throw new TypeError(`decrypt options need padding: ${UNWRAP_PADDINGS.join(' | ')}`);
  }
  if (opts.associatedData !== undefined && !(opts.associatedData instanceof Uint8Array)) {
    throw new TypeError('associatedData must be a Uint8Array');
  }
  if (opts.requireMode !== undefined && opts.requireMode !== 'cbc' && opts.requireMode !== 'gcm') {
    throw new TypeError('requireMode must be "cbc" or "gcm"');
  }
}

function unwrapSessionKeyText(key: KeyObject, wrapped: Buffer, padding: UnwrapPadding): Buffer {
  if (padding !== 'legacy-oaep-then-pkcs1v15') return rsaUnwrap(key, wrapped, padding);
  try {
    return rsaUnwrap(key, wrapped, 'oaep-sha256');
  } catch {
    return rsaUnwrap(key, wrapped, 'pkcs1v15');
  }
}

function decode(value: string | undefined): Buffer {
  const bytes = value === undefined ? null : decodeBase64Strict(value);
  if (!bytes) throw new DecryptionError();
  return bytes;
}

function open(env: unknown, key: KeyObject, opts: DecryptOptions): Buffer {
  const parsed = GenericEnvelopeSchema.safeParse(env);
  if (!parsed.success) throw new DecryptionError();
  const envelope = parsed.data;
  const mode: SymmetricMode = envelope.mode === 'GCM' || envelope.tag !== undefined ? 'gcm' : 'cbc';
  if (opts.requireMode !== undefined && opts.requireMode !== mode) throw new DecryptionError();
  if (mode === 'cbc' && opts.associatedData !== undefined && opts.associatedData.length > 0) {
    throw new DecryptionError();
  }

  const ciphertext = decode(envelope.ciphertext);
  const iv = decode(envelope.iv);
  const tag = mode === 'gcm' ? decode(envelope.tag) : undefined;
  const wrapped = decode(envelope.cipherkey);

  // Implicit rejection: an RSA failure continues with a random AES key, so RSA-padding errors
  // take the same path (and time) as symmetric failures before the one error is thrown.
  let aesKey: Buffer;
  let rsaFailed = false;
  try {
    aesKey = sessionKeyFromText(unwrapSessionKeyText(key, wrapped, opts.padding));
  } catch {
    aesKey = randomBytes(AES_256_KEY_BYTES);
    rsaFailed = true;
  }
  const plaintext =
    mode === 'gcm'
      ? aesGcmDecrypt(aesKey, iv, ciphertext, tag!, opts.associatedData)
      : aesCbcDecrypt(aesKey, iv, ciphertext);
  if (rsaFailed) throw new DecryptionError();
  return plaintext;
}

/**
 * Decrypts a generic envelope with a private key PEM. Throws DecryptionError for every
 * envelope failure, InvalidKeyError if the private key PEM itself is unusable, TypeError for
 * malformed options.
 */
export function decryptEnvelope(env: HybridEnvelope, privateKeyPem: string, opts: DecryptOptions): Buffer {
  checkOptions(opts);
  const key = privateKeyObject(privateKeyPem);
  try {
    return open(env, key, opts);
  } catch {
    throw new DecryptionError();
  }
}
