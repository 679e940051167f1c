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
import { rsaUnwrapEach } from './rsa-unwrap';
import { sessionKeyFromText } from './session-key';

/**
 * The receiver picks the RSA padding from context (§1.3): 'oaep-sha256' for our own peers,
 * 'pkcs1v15' for replies from reference nodes. 'legacy-oaep-then-pkcs1v15' accepts either, as
 * the reference receiver does, and exists only where a legacy peer requires it (§1.9.4).
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

export function checkOptions(opts: DecryptOptions): void {
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

/**
 * 'legacy-oaep-then-pkcs1v15' performs both unwraps whatever the first one gives (§1.9.4), so a
 * valid OAEP wrap costs the same as a v1.5 wrap or a wrap that is neither. Returns the key text
 * of the first padding that opened it, or null.
 */
function unwrapSessionKeyText(key: KeyObject, wrapped: Buffer, padding: UnwrapPadding): Buffer | null {
  const opened = rsaUnwrapEach(key, wrapped, paddingsOf(padding));
  return opened.find((text) => text !== null) ?? null;
}

/** The RSA paddings an unwrap mode tries, in order of preference. */
export function paddingsOf(padding: UnwrapPadding): RsaPadding[] {
  return padding === 'legacy-oaep-then-pkcs1v15' ? ['oaep-sha256', 'pkcs1v15'] : [padding];
}

function decode(value: string | undefined): Buffer {
  const bytes = value === undefined ? null : decodeBase64Strict(value);
  if (!bytes) throw new DecryptionError();
  return bytes;
}

/** An envelope's decoded fields; its form was checked, nothing secret was touched yet. */
export interface EnvelopeParts {
  mode: SymmetricMode;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer | undefined;
  wrapped: Buffer;
}

/** Parses and strictly decodes an envelope (§1.4, §1.5); throws DecryptionError. */
export function readEnvelope(env: unknown, opts: Pick<DecryptOptions, 'requireMode' | 'associatedData'>): EnvelopeParts {
  const parsed = GenericEnvelopeSchema.safeParse(env);
  if (!parsed.success) throw new DecryptionError();
  const envelope = parsed.data;
  const mode: SymmetricMode = envelope.mode === 'GCM' || envelope.tag !== undefined ? 'gcm' : 'cbc';
  if (opts.requireMode !== undefined && opts.requireMode !== mode) throw new DecryptionError();
  if (mode === 'cbc' && opts.associatedData !== undefined && opts.associatedData.length > 0) {
    throw new DecryptionError();
  }
  return {
    mode,
    ciphertext: decode(envelope.ciphertext),
    iv: decode(envelope.iv),
    tag: mode === 'gcm' ? decode(envelope.tag) : undefined,
    wrapped: decode(envelope.cipherkey),
  };
}

/**
 * The symmetric half, given the unwrapped key text (null when no padding opened it).
 * Implicit rejection: an RSA failure continues with a random AES key, so RSA-padding errors take
 * the same path (and time) as symmetric failures before the one error is thrown.
 */
export function openWithKeyText(parts: EnvelopeParts, keyText: Buffer | null, associatedData?: Uint8Array): Buffer {
  let aesKey: Buffer;
  let rsaFailed = false;
  try {
    if (keyText === null) throw new DecryptionError();
    aesKey = sessionKeyFromText(keyText);
  } catch {
    aesKey = randomBytes(AES_256_KEY_BYTES);
    rsaFailed = true;
  }
  const plaintext =
    parts.mode === 'gcm'
      ? aesGcmDecrypt(aesKey, parts.iv, parts.ciphertext, parts.tag!, associatedData)
      : aesCbcDecrypt(aesKey, parts.iv, parts.ciphertext);
  if (rsaFailed) throw new DecryptionError();
  return plaintext;
}

function open(env: unknown, key: KeyObject, opts: DecryptOptions): Buffer {
  const parts = readEnvelope(env, opts);
  return openWithKeyText(parts, unwrapSessionKeyText(key, parts.wrapped, opts.padding), opts.associatedData);
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
