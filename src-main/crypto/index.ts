// Public API of the hybrid-encryption core (docs/protocol.md §1).
//
//   const env = encryptJson(inner, nodeWireKey);                         // CBC + OAEP-SHA256 (defaults)
//   const reply = decryptJson(env, keys.privateKeyPem, { padding: 'pkcs1v15', requireMode: 'cbc' });
//
// Senders default to AES-256-CBC (the only mode on API v1 paths, §1.4) and OAEP-SHA256; pass
// { padding: 'pkcs1v15' } for legacy browser-style peers, { mode: 'gcm', associatedData } where both
// ends are ours. Receivers always state the padding they expect (§1.3); every decryption failure
// is the same DecryptionError("Decryption failed") (§1.9). Test-only code is not exported here: the
// fixed-session-key encryptor of the vector tests stays in envelope-encrypt.ts; the forge
// reference and the vector loader live in test-support/crypto/.
export type { RsaPadding, SymmetricMode, RsaKeyPair } from './keys';
export { generateRsaKeyPair, RSA_MODULUS_BITS, RSA_PUBLIC_EXPONENT } from './keys';
export { wireKeyFromPem, pemFromWireKey, publicPemFromWireOrPem } from './wire-key';
export { keyFingerprint } from './fingerprint';
export type { HybridEnvelope, EncryptOptions } from './envelope-encrypt';
export { encryptEnvelope } from './envelope-encrypt';
export type { DecryptOptions, UnwrapPadding } from './envelope-decrypt';
export { decryptEnvelope } from './envelope-decrypt';
export { encryptJson, decryptJson } from './envelope-json';
export { DecryptionError, DECRYPTION_FAILED_MESSAGE, EncryptInputError, InvalidKeyError } from './errors';
export { KeyHolder, assertKeyPair } from './key-holder';

import { encryptEnvelope } from './envelope-encrypt';
import { encryptJson } from './envelope-json';
/** Alias of encryptEnvelope (argument order: plaintext, recipient, options). */
export const encryptTo = encryptEnvelope;
/** Alias of encryptJson. */
export const encryptJsonTo = encryptJson;
