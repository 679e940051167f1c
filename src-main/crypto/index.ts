// Public API of the hybrid-encryption core (token-place-v1.md §1). See /work/API.md.
export type { RsaPadding, SymmetricMode, RsaKeyPair } from './keys';
export { generateRsaKeyPair, RSA_MODULUS_BITS, RSA_PUBLIC_EXPONENT } from './keys';
export { wireKeyFromPem, pemFromWireKey, publicPemFromWireOrPem } from './wire-key';
export { keyFingerprint } from './fingerprint';
export type { HybridEnvelope, EncryptOptions } from './envelope-encrypt';
export { encryptEnvelope } from './envelope-encrypt';
export type { DecryptOptions, UnwrapPadding } from './envelope-decrypt';
export { decryptEnvelope } from './envelope-decrypt';
export { encryptJson, decryptJson } from './envelope-json';
export {
  DecryptionError,
  DECRYPTION_FAILED_MESSAGE,
  EncryptInputError,
  InvalidKeyError,
  KeyStoreError,
  WrongPassphraseError,
} from './errors';
export { KeyHolder, assertKeyPair } from './key-holder';
export type { PrivateKeyStore } from './key-store';
export { isValidKeyName } from './key-store';
export { PassphraseFileKeyStore, DEFAULT_SCRYPT_N } from './passphrase-file-key-store';
export type { PassphraseFileKeyStoreOptions } from './passphrase-file-key-store';

import { encryptEnvelope } from './envelope-encrypt';
import { encryptJson } from './envelope-json';
/** Alias of encryptEnvelope (argument order: plaintext, recipient, options). */
export const encryptTo = encryptEnvelope;
/** Alias of encryptJson. */
export const encryptJsonTo = encryptJson;
