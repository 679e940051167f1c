// The node's half of the registration proof (docs/protocol.md §9.2–§9.3): ask the relay for a
// challenge, decrypt it with the challenge label (exactly 32 bytes, nothing else), and register
// with the answer. A relay that answers the request for a challenge with a plain registration
// does not verify keys (the reference relay ignores `proof`, §9): the node runs unverified there.
import { answerRegistrationChallenge, type RsaKeyPair } from '../crypto';
import type { RelayErrorCode } from '../../src-shared/protocol/error-codes';
import { REGISTRATION_PROOF_VERSION } from '../../src-shared/protocol/registration-proof';
import type { Capabilities } from '../../src-shared/protocol/relay-http';
import { RegistrationDeferredError, RegistrationRefusedError, RelayStatusError } from './errors';
import type { NodeRelayApi, ReceivedRegisterResponse } from './relay-api';

export interface ProvenRegistration {
  response: ReceivedRegisterResponse;
  /** The relay registered this key as verified. */
  verified: boolean;
  /** The relay asked for a challenge answer: it verifies keys. */
  relayVerifies: boolean;
}

export const CHALLENGE_UNANSWERABLE =
  'The relay sent a registration challenge that this node cannot answer: it was not encrypted to this ' +
  "node's key. The relay may be misconfigured or not the one you meant; check --relay-url.";

export const PROOF_REFUSED =
  "The relay did not accept this node's proof that it holds its key (registration_proof_failed): the answer " +
  'came too late (30 s) or the relay is not the one you meant. The node asks for a new challenge and tries again.';

export const KEY_HELD =
  'The relay still holds a verified registration of this key from an earlier run of this node that did not ' +
  'unregister (control_credential_required). The node tries again; the old registration lapses within a minute.';

export const KEY_TAKEN_OVER =
  "Another process holding this node's key registered it on the relay after this one (control_credential_required), " +
  'so that one serves it now. This node waits until the key is free again (the other stops), then registers; run one node per key.';

/** A verified registration of ours that a later proof of the key replaced (§9.4): wait, do not take it back. */
export const keyTakenOver = (): RegistrationDeferredError => new RegistrationDeferredError('control_credential_required', KEY_TAKEN_OVER);

/** A §9 refusal that passes: the node waits and tries again (RegistrationDeferredError), else the error itself. */
export function deferredRegistration(err: unknown): unknown {
  if (!(err instanceof RelayStatusError) || err.status !== 403) return err;
  const code = err.relayCode as RelayErrorCode | undefined;
  if (code === 'registration_proof_failed') return new RegistrationDeferredError(code, PROOF_REFUSED);
  if (code === 'control_credential_required') return new RegistrationDeferredError(code, KEY_HELD);
  return err;
}

export async function registerWithProof(
  api: NodeRelayApi,
  keys: RsaKeyPair,
  capabilities: Capabilities,
  timeoutMs: number,
  controlCredential: string | undefined,
): Promise<ProvenRegistration> {
  const asked = await api.register(keys.publicKeyWire, capabilities, timeoutMs, { proof: { version: REGISTRATION_PROOF_VERSION }, controlCredential });
  const challenge = asked.proof_challenge;
  if (!challenge) return { response: asked, verified: asked.verified === true, relayVerifies: asked.verified === true };
  let response: string;
  try {
    response = answerRegistrationChallenge(challenge.ciphertext, keys.privateKeyPem);
  } catch {
    throw new RegistrationRefusedError(null, undefined, CHALLENGE_UNANSWERABLE);
  }
  const done = await api.register(keys.publicKeyWire, capabilities, timeoutMs, {
    proof: { version: REGISTRATION_PROOF_VERSION, challenge_id: challenge.id, response },
    controlCredential,
  });
  return { response: done, verified: done.verified === true, relayVerifies: true };
}
