// Hybrid envelope encryption (docs/protocol.md §1.3–§1.5):
//   aesKey   = 32 random bytes (fresh per message)
//   cipherkey = base64(RSA-wrap(ascii(base64(aesKey))))        // 256 bytes → 344 chars
//   CBC: iv = 16 random bytes; ciphertext = base64(AES-256-CBC-PKCS7(aesKey, iv, plaintext))
//   GCM: iv = 12 random bytes; ciphertext, tag = AES-256-GCM(aesKey, iv, plaintext, aad);
//        envelope adds tag = base64(16-byte tag), mode = "GCM"; AAD is not transmitted.
import { randomBytes, type KeyObject } from 'node:crypto';
import type { GenericEnvelope } from '../../src-shared/protocol/envelope';
import { encodeBase64 } from './base64';
import { AES_256_KEY_BYTES, CBC_IV_BYTES, aesCbcEncrypt } from './aes-cbc';
import { GCM_IV_BYTES, aesGcmEncrypt } from './aes-gcm';
import { EncryptInputError, InvalidKeyError } from './errors';
import { publicKeyObject } from './key-objects';
import { plaintextBytes } from './plaintext';
import type { RsaPadding, SymmetricMode } from './keys';
import { rsaWrap } from './rsa-wrap';
import { sessionKeyToText } from './session-key';
import { publicPemFromWireOrPem } from './wire-key';

/** Generic envelope (§1.5 "ciphertext" context). GCM adds tag + mode:"GCM". */
export type HybridEnvelope = GenericEnvelope;

export interface EncryptOptions {
  /** Default 'cbc' (the only mode on API v1 wire paths, §1.4). */
  mode?: SymmetricMode;
  /** Default 'oaep-sha256'; 'pkcs1v15' only for legacy peers (§1.3). */
  padding?: RsaPadding;
  /** GCM only; never transmitted — the receiver must pass the same bytes. */
  associatedData?: Uint8Array;
}

interface SessionMaterial {
  aesKey: Uint8Array;
  iv: Uint8Array;
}

interface CheckedOptions {
  mode: SymmetricMode;
  padding: RsaPadding;
  associatedData: Uint8Array | undefined;
}

function checkOptions(opts: EncryptOptions | undefined): CheckedOptions {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new EncryptInputError('Encrypt options must be an object');
  }
  const mode = opts?.mode ?? 'cbc';
  const padding = opts?.padding ?? 'oaep-sha256';
  const associatedData = opts?.associatedData;
  if (mode !== 'cbc' && mode !== 'gcm') throw new EncryptInputError(`Unknown symmetric mode: ${String(mode)}`);
  if (padding !== 'oaep-sha256' && padding !== 'pkcs1v15') {
    throw new EncryptInputError(`Unknown RSA padding: ${String(padding)}`);
  }
  if (associatedData !== undefined) {
    if (!(associatedData instanceof Uint8Array)) throw new EncryptInputError('associatedData must be a Uint8Array');
    if (mode !== 'gcm') throw new EncryptInputError('associatedData needs mode "gcm" (CBC has no AAD)');
  }
  return { mode, padding, associatedData };
}

function recipientKey(recipientPublicKey: unknown): KeyObject {
  if (typeof recipientPublicKey !== 'string' || recipientPublicKey.trim().length === 0) {
    throw new EncryptInputError('Recipient public key must be a non-empty wire key or PEM string');
  }
  try {
    return publicKeyObject(publicPemFromWireOrPem(recipientPublicKey));
  } catch (err) {
    if (err instanceof InvalidKeyError) throw new EncryptInputError(`Recipient public key: ${err.message}`);
    throw err;
  }
}

function seal(plaintext: Uint8Array, publicKey: KeyObject, opts: CheckedOptions, material: SessionMaterial): HybridEnvelope {
  const cipherkey = encodeBase64(rsaWrap(publicKey, sessionKeyToText(material.aesKey), opts.padding));
  if (opts.mode === 'gcm') {
    const { ciphertext, tag } = aesGcmEncrypt(material.aesKey, material.iv, plaintext, opts.associatedData);
    return { ciphertext: encodeBase64(ciphertext), cipherkey, iv: encodeBase64(material.iv), tag: encodeBase64(tag), mode: 'GCM' };
  }
  const ciphertext = aesCbcEncrypt(material.aesKey, material.iv, plaintext);
  return { ciphertext: encodeBase64(ciphertext), cipherkey, iv: encodeBase64(material.iv) };
}

/** Encrypts to a recipient wire key or PEM. Throws EncryptInputError for bad input. */
export function encryptEnvelope(
  plaintext: Uint8Array | string,
  recipientPublicKey: string,
  opts?: EncryptOptions,
): HybridEnvelope {
  const checked = checkOptions(opts);
  const bytes = plaintextBytes(plaintext);
  const publicKey = recipientKey(recipientPublicKey);
  const material = {
    aesKey: randomBytes(AES_256_KEY_BYTES),
    iv: randomBytes(checked.mode === 'gcm' ? GCM_IV_BYTES : CBC_IV_BYTES),
  };
  return seal(bytes, publicKey, checked, material);
}

/**
 * TEST ONLY — not exported from index.ts. Encrypts with a caller-chosen AES key and IV so the
 * vector tests can reproduce `ciphertext`/`tag` byte for byte (§7). Reusing a key/IV pair
 * breaks GCM completely; never call this outside tests.
 */
export function encryptEnvelopeWithFixedSessionKeyForTestsOnly(
  plaintext: Uint8Array | string,
  recipientPublicKey: string,
  opts: EncryptOptions,
  material: SessionMaterial,
): HybridEnvelope {
  const checked = checkOptions(opts);
  return seal(plaintextBytes(plaintext), recipientKey(recipientPublicKey), checked, material);
}
