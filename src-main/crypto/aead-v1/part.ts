// The one AES-256-GCM step every aead-v1 message shares (docs/protocol.md §10.4):
//   ciphertext = base64( AES-256-GCM(subkey(purpose), nonce, plaintext, AAD(purpose, …)) || tag )
// Opening checks sizes and the tag; every failure is the one DecryptionError (§1.9).
import { aesGcmDecrypt, aesGcmEncrypt } from '../aes-gcm';
import { decodeBase64Strict, encodeBase64 } from '../base64';
import { DecryptionError } from '../errors';
import { buildAssociatedData, type AeadV1Position } from './associated-data';
import { NODE_ENVELOPE_CIPHERKEY, NONCE_BYTES, TAG_BYTES, type AeadV1Purpose } from './constants';
import { sessionSubkey } from './session-subkey';
import type { AeadV1Session } from './session';

/** Returns base64(ciphertext || tag). */
export function sealPart(
  session: AeadV1Session,
  purpose: AeadV1Purpose,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  position?: AeadV1Position,
): string {
  const aad = buildAssociatedData(purpose, session, position);
  const { ciphertext, tag } = aesGcmEncrypt(sessionSubkey(session, purpose), nonce, plaintext, aad);
  return encodeBase64(Buffer.concat([ciphertext, tag]));
}

/** Decodes a strict-base64 nonce of exactly 12 bytes, or throws DecryptionError. */
export function decodeNonce(iv: unknown): Buffer {
  const nonce = typeof iv === 'string' ? decodeBase64Strict(iv) : null;
  if (!nonce || nonce.length !== NONCE_BYTES) throw new DecryptionError();
  return nonce;
}

/** Reads the three envelope fields of an untrusted value; a wrong cipherkey fails like a bad tag. */
export function nodeEnvelopeFields(envelope: unknown): { ciphertext: unknown; iv: unknown } {
  const env = (typeof envelope === 'object' && envelope !== null ? envelope : {}) as Record<string, unknown>;
  if (env.cipherkey !== NODE_ENVELOPE_CIPHERKEY) throw new DecryptionError();
  return { ciphertext: env.ciphertext, iv: env.iv };
}

export function openPart(
  session: AeadV1Session,
  purpose: AeadV1Purpose,
  nonce: Uint8Array,
  sealedB64: unknown,
  position?: AeadV1Position,
): Buffer {
  const sealed = typeof sealedB64 === 'string' ? decodeBase64Strict(sealedB64) : null;
  if (!sealed || sealed.length < TAG_BYTES) throw new DecryptionError();
  const aad = buildAssociatedData(purpose, session, position);
  const body = sealed.subarray(0, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  return aesGcmDecrypt(sessionSubkey(session, purpose), nonce, body, tag, aad);
}
