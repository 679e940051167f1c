// One request's aead-v1 session (docs/protocol.md §10.1): its request key K and its binding.
// The client gets it from sealAeadRequest, the node from openAeadRequest; both seal and open every
// later envelope of that request with it. Never stored, never logged.
import type { AeadV1Binding } from './binding';

export interface AeadV1Session extends AeadV1Binding {
  /** K: 32 random bytes, fresh per request attempt. */
  readonly requestKey: Buffer;
}

/** The wire envelope of every aead-v1 message: the relay's existing fields (§10.4). */
export interface AeadV1Envelope {
  ciphertext: string;
  cipherkey: string;
  iv: string;
}
