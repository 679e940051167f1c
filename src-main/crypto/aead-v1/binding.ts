// What every aead-v1 seal of one request is bound to (docs/protocol.md §10.3): the request id and
// both parties' key fingerprints (SHA-256 of the SPKI DER, 32 raw bytes, §1.1).
import { keyFingerprint } from '../fingerprint';
import { FINGERPRINT_BYTES } from './constants';

export interface AeadV1Binding {
  /** The outer `request_id` the relay routes by (§2.2); HKDF salt and AAD field. */
  readonly requestId: string;
  readonly clientKeyFingerprint: Buffer;
  readonly nodeKeyFingerprint: Buffer;
}

/** The parties of one request as the sender and the receiver both know them. */
export interface AeadV1Parties {
  requestId: string;
  /** The client's wire key or PEM (the outer `client_public_key`). */
  clientPublicKey: string;
  /** The node's wire key or PEM (`server_public_key`). */
  nodePublicKey: string;
}

/** Largest request id in UTF-8 bytes; the relay's own limit is far below (§5.2). */
export const MAX_REQUEST_ID_BYTES = 1024;
const LONE_SURROGATE = /\p{Cs}/u;

/** True for a request id aead-v1 can bind: non-empty, well-formed Unicode, at most 1 KiB of UTF-8. */
export function isBindableRequestId(requestId: unknown): requestId is string {
  return (
    typeof requestId === 'string' &&
    requestId.length > 0 &&
    !LONE_SURROGATE.test(requestId) &&
    Buffer.byteLength(requestId, 'utf8') <= MAX_REQUEST_ID_BYTES
  );
}

export function fingerprintBytes(publicKeyWireOrPem: string): Buffer {
  const bytes = Buffer.from(keyFingerprint(publicKeyWireOrPem), 'hex');
  if (bytes.length !== FINGERPRINT_BYTES) throw new RangeError('fingerprint must be 32 bytes');
  return bytes;
}

/**
 * Throws InvalidKeyError for an unusable key and RangeError for a request id that cannot be
 * bound; sealers turn these into EncryptInputError, openers into DecryptionError.
 */
export function bindingFor(parties: AeadV1Parties): AeadV1Binding {
  if (!isBindableRequestId(parties.requestId)) {
    throw new RangeError('request id must be a non-empty string of at most 1024 UTF-8 bytes');
  }
  return Object.freeze({
    requestId: parties.requestId,
    clientKeyFingerprint: fingerprintBytes(parties.clientPublicKey),
    nodeKeyFingerprint: fingerprintBytes(parties.nodePublicKey),
  });
}
