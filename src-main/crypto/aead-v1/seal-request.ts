// Client side of an aead-v1 request (docs/protocol.md §10.5.1):
//   K          = 32 random bytes (per attempt)
//   cipherkey  = base64( RSA-OAEP-SHA256(node key, label "tokenplace/v1/aead-v1/request-key", K) )
//   iv         = base64( 12 random bytes )
//   ciphertext = base64( AES-256-GCM(subkey "request", iv, plaintext, AAD "request") || tag )
// Returns the envelope and the session the client keeps to open the reply, progress and stream.
import { randomBytes, type KeyObject } from 'node:crypto';
import { encodeBase64 } from '../base64';
import { EncryptInputError } from '../errors';
import { publicKeyObject } from '../key-objects';
import { plaintextBytes } from '../plaintext';
import { rsaWrap } from '../rsa-wrap';
import { publicPemFromWireOrPem } from '../wire-key';
import { bindingFor, type AeadV1Parties } from './binding';
import { NONCE_BYTES, REQUEST_KEY_BYTES, REQUEST_KEY_OAEP_LABEL } from './constants';
import { sealPart } from './part';
import type { AeadV1Envelope, AeadV1Session } from './session';

export interface SealedAeadV1Request {
  envelope: AeadV1Envelope;
  session: AeadV1Session;
}

/** Wraps K for the node (§10.1). */
export function wrapRequestKey(nodePublicKey: KeyObject, requestKey: Uint8Array): Buffer {
  return rsaWrap(nodePublicKey, requestKey, 'oaep-sha256', REQUEST_KEY_OAEP_LABEL);
}

interface RequestMaterial {
  requestKey: Buffer;
  nonce: Buffer;
  wrap(nodePublicKey: KeyObject, requestKey: Buffer): Buffer;
}

function seal(plaintext: Uint8Array | string, parties: AeadV1Parties, material: RequestMaterial): SealedAeadV1Request {
  const bytes = plaintextBytes(plaintext);
  let session: AeadV1Session;
  let nodeKey: KeyObject;
  try {
    nodeKey = publicKeyObject(publicPemFromWireOrPem(parties.nodePublicKey));
    session = Object.freeze({ ...bindingFor(parties), requestKey: material.requestKey });
  } catch (err) {
    throw new EncryptInputError(`Cannot seal an aead-v1 request: ${err instanceof Error ? err.message : 'bad parties'}`);
  }
  const envelope: AeadV1Envelope = {
    ciphertext: sealPart(session, 'request', material.nonce, bytes),
    cipherkey: encodeBase64(material.wrap(nodeKey, material.requestKey)),
    iv: encodeBase64(material.nonce),
  };
  return { envelope, session };
}

/** Throws EncryptInputError for an unusable key, request id or plaintext. */
export function sealAeadRequest(plaintext: Uint8Array | string, parties: AeadV1Parties): SealedAeadV1Request {
  return seal(plaintext, parties, { requestKey: randomBytes(REQUEST_KEY_BYTES), nonce: randomBytes(NONCE_BYTES), wrap: wrapRequestKey });
}

/**
 * TEST ONLY — not exported from index.ts. Seals with a caller-chosen K, nonce and (deterministic)
 * wrap so the vector test can reproduce every byte (§10.8). Never call this outside tests.
 */
export function sealAeadRequestWithFixedMaterialForTestsOnly(
  plaintext: Uint8Array | string,
  parties: AeadV1Parties,
  material: RequestMaterial,
): SealedAeadV1Request {
  return seal(plaintext, parties, material);
}
