// Node side of an aead-v1 request (docs/protocol.md §10.5.1): unwrap K with the label (OAEP only,
// never PKCS#1 v1.5), check the 12-byte nonce, open the GCM part under the request subkey and AAD.
// Implicit rejection: a failed unwrap goes on with a random K, so a bad wrap and a bad tag take
// the same path before the one DecryptionError (§1.9).
import { randomBytes } from 'node:crypto';
import { decodeBase64Strict } from '../base64';
import { DecryptionError } from '../errors';
import { privateKeyObject } from '../key-objects';
import { rsaUnwrap } from '../rsa-unwrap';
import { bindingFor, type AeadV1Binding } from './binding';
import { REQUEST_KEY_BYTES, REQUEST_KEY_OAEP_LABEL } from './constants';
import { decodeNonce, openPart } from './part';
import type { AeadV1Session } from './session';

export interface AeadV1Receiver {
  /** The work item's outer `request_id`. */
  requestId: string;
  /** The work item's outer `client_public_key`. */
  clientPublicKey: string;
  /** The key pair the request was encrypted to. */
  nodeKeys: { privateKeyPem: string; publicKeyPem: string };
}

export interface OpenedAeadV1Request {
  plaintext: Buffer;
  session: AeadV1Session;
}

function unwrapRequestKey(privateKeyPem: string, cipherkey: unknown): Buffer | null {
  const wrapped = typeof cipherkey === 'string' ? decodeBase64Strict(cipherkey) : null;
  if (!wrapped) return null;
  try {
    const key = rsaUnwrap(privateKeyObject(privateKeyPem), wrapped, 'oaep-sha256', REQUEST_KEY_OAEP_LABEL);
    return key.length === REQUEST_KEY_BYTES ? key : null;
  } catch (err) {
    if (err instanceof DecryptionError) return null;
    throw err; // the node's own private key is unusable (InvalidKeyError)
  }
}

/**
 * Throws DecryptionError for every envelope failure (wrap, nonce, tag, AAD, a request id or client
 * key that cannot be bound) and InvalidKeyError only when the node's own private key is unusable.
 */
export function openAeadRequest(envelope: unknown, receiver: AeadV1Receiver): OpenedAeadV1Request {
  const env = (typeof envelope === 'object' && envelope !== null ? envelope : {}) as Record<string, unknown>;
  let binding: AeadV1Binding;
  try {
    binding = bindingFor({
      requestId: receiver.requestId,
      clientPublicKey: receiver.clientPublicKey,
      nodePublicKey: receiver.nodeKeys.publicKeyPem,
    });
  } catch {
    throw new DecryptionError();
  }
  const nonce = decodeNonce(env.iv);
  const unwrapped = unwrapRequestKey(receiver.nodeKeys.privateKeyPem, env.cipherkey);
  const session: AeadV1Session = Object.freeze({ ...binding, requestKey: unwrapped ?? randomBytes(REQUEST_KEY_BYTES) });
  const plaintext = openPart(session, 'request', nonce, env.ciphertext);
  if (unwrapped === null) throw new DecryptionError();
  return { plaintext, session };
}
