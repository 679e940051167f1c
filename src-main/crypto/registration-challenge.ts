// The node registration challenge (docs/protocol.md §9.2; its label among the others: §10.1): 32 random bytes
// RSA-OAEP-SHA256-encrypted to the node key under the label "tokenplace/v1/registration-challenge".
// The label keeps the node from being a decryption oracle: no request wrap (empty label, or the
// aead-v1 request-key label) opens as a challenge, and no challenge opens as a request key.
import { randomBytes } from 'node:crypto';
import { REGISTRATION_CHALLENGE_BYTES, REGISTRATION_CHALLENGE_LABEL } from '../../src-shared/protocol/registration-proof';
import { decodeBase64Strict, encodeBase64 } from './base64';
import { DecryptionError, EncryptInputError, InvalidKeyError } from './errors';
import { privateKeyObject, publicKeyObject } from './key-objects';
import { rsaUnwrap } from './rsa-unwrap';
import { rsaWrap } from './rsa-wrap';
import { publicPemFromWireOrPem } from './wire-key';

// The label and size are declared once, in the wire vocabulary the relay uses too (§9.2).
export { REGISTRATION_CHALLENGE_BYTES };
export const REGISTRATION_CHALLENGE_OAEP_LABEL = Buffer.from(REGISTRATION_CHALLENGE_LABEL, 'ascii');

export interface RegistrationChallenge {
  /** base64 of the RSA ciphertext: what the relay sends the node. */
  ciphertext: string;
  /** The 32 plaintext bytes: what the relay keeps (hashed) and the node must return. */
  answer: Buffer;
}

/** Relay side. Throws EncryptInputError for a key that is not an RSA ≥ 2048 public key. */
export function createRegistrationChallenge(nodePublicKey: string): RegistrationChallenge {
  let key;
  try {
    key = publicKeyObject(publicPemFromWireOrPem(nodePublicKey));
  } catch (err) {
    if (err instanceof InvalidKeyError) throw new EncryptInputError(`Node public key: ${err.message}`);
    throw err;
  }
  const answer = randomBytes(REGISTRATION_CHALLENGE_BYTES);
  return { ciphertext: encodeBase64(rsaWrap(key, answer, 'oaep-sha256', REGISTRATION_CHALLENGE_OAEP_LABEL)), answer };
}

/**
 * Node side: the base64 answer to send back. Anything that is not strict base64 of one RSA block
 * decrypting under the label to exactly 32 bytes is the one DecryptionError.
 */
export function answerRegistrationChallenge(ciphertext: unknown, privateKeyPem: string): string {
  const key = privateKeyObject(privateKeyPem);
  const block = typeof ciphertext === 'string' ? decodeBase64Strict(ciphertext) : null;
  if (!block) throw new DecryptionError();
  const answer = rsaUnwrap(key, block, 'oaep-sha256', REGISTRATION_CHALLENGE_OAEP_LABEL);
  if (answer.length !== REGISTRATION_CHALLENGE_BYTES) throw new DecryptionError();
  return encodeBase64(answer);
}
