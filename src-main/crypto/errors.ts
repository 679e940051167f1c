// Typed errors of the crypto core (docs/protocol.md §1.9: no decryption oracle).

/** The single, uniform message for every decryption failure. */
export const DECRYPTION_FAILED_MESSAGE = 'Decryption failed';

/**
 * Every decryption failure (bad base64, RSA padding, PKCS#7 padding, GCM tag, wrong key,
 * session key not 32 bytes, bad UTF-8, bad JSON, malformed envelope) throws this one class
 * with this one message and no cause, so callers cannot leak *why* it failed (§1.9.2, §1.9.3).
 */
export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
  constructor() {
    super(DECRYPTION_FAILED_MESSAGE);
  }
}

/** Bad input handed to an encrypt function (wrong types, malformed or unusable recipient key). */
export class EncryptInputError extends Error {
  override readonly name = 'EncryptInputError';
}

/** A key (PEM or wire key) that cannot be parsed or is not RSA >= 2048 bits. */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError';
}

/**
 * The unwrap workers cannot take the job now (queue full, shutting down, a worker died). This
 * depends on load and lifecycle only, never on the envelope, so it is no decryption oracle; the
 * caller should treat it as "try again", not as an undecryptable request.
 */
export class UnwrapUnavailableError extends Error {
  override readonly name = 'UnwrapUnavailableError';
}
