// Public API of the hybrid-encryption core (docs/protocol.md §1).
//
//   const env = encryptJson(inner, nodeWireKey);                         // CBC + OAEP-SHA256 (defaults)
//   const reply = decryptJson(env, keys.privateKeyPem, { padding: 'pkcs1v15', requireMode: 'cbc' });
//
// Senders default to AES-256-CBC (the only mode on API v1 paths, §1.4) and OAEP-SHA256; pass
// { padding: 'pkcs1v15' } for legacy browser-style peers, { mode: 'gcm', associatedData } where both
// ends are ours. Our own client and node speak the aead-v1 profile instead (§10): sealAeadRequest /
// openAeadRequest, sealAeadReply / openAeadReply, sealAeadProgress / openAeadProgress, sealAeadStreamChunk / openAeadStreamChunk.
// Receivers always state the padding they expect (§1.3); every decryption failure is the same
// DecryptionError("Decryption failed") (§1.9). Test-only helpers (fixed session key or nonce, forge
// reference, fixture loader) live in their own files and are deliberately not exported here.
export type { RsaPadding, SymmetricMode, RsaKeyPair } from './keys';
export { generateRsaKeyPair, RSA_MODULUS_BITS, RSA_PUBLIC_EXPONENT } from './keys';
export { wireKeyFromPem, pemFromWireKey, publicPemFromWireOrPem } from './wire-key';
export { keyFingerprint } from './fingerprint';
export type { HybridEnvelope, EncryptOptions } from './envelope-encrypt';
export { encryptEnvelope } from './envelope-encrypt';
export type { DecryptOptions, UnwrapPadding } from './envelope-decrypt';
export { decryptEnvelope } from './envelope-decrypt';
export type { UniformDecryptOptions, UniformDecryption } from './envelope-decrypt-uniform';
export { decryptEnvelopeUniform, decryptJsonUniform } from './envelope-decrypt-uniform';
export type { UnwrapPoolOptions } from './forge-unwrap-pool';
export { RsaUnwrapPool, closeSharedUnwrapPool } from './forge-unwrap-pool';
export { encryptJson, decryptJson } from './envelope-json';
export { DecryptionError, DECRYPTION_FAILED_MESSAGE, EncryptInputError, InvalidKeyError, UnwrapUnavailableError } from './errors';
export { KeyHolder, assertKeyPair, keyPairFromPems } from './key-holder';
export { jsonPlaintext, parseJsonPlaintext } from './plaintext';
export {
  createRegistrationChallenge,
  answerRegistrationChallenge,
  REGISTRATION_CHALLENGE_OAEP_LABEL,
  REGISTRATION_CHALLENGE_BYTES,
  type RegistrationChallenge,
} from './registration-challenge';
// The aead-v1 profile between our peers (§10).
export * from './aead-v1';

import { encryptEnvelope } from './envelope-encrypt';
import { encryptJson } from './envelope-json';
/** Alias of encryptEnvelope (argument order: plaintext, recipient, options). */
export const encryptTo = encryptEnvelope;
/** Alias of encryptJson. */
export const encryptJsonTo = encryptJson;
