// The node registration challenge (label in §10.1): the relay's half makes one, only the node's private key answers it.
import { describe, expect, it } from 'vitest';
import { expectUniformFailure, loadTokenPlaceVectors } from '../../test-support/crypto/vectors';
import { EncryptInputError } from './errors';
import { REGISTRATION_CHALLENGE_BYTES, answerRegistrationChallenge, createRegistrationChallenge } from './registration-challenge';

const { server, client } = loadTokenPlaceVectors().keys;

describe('registration challenge (§10.1)', () => {
  it('the node key answers with base64 of the 32 plaintext bytes; every challenge is fresh', () => {
    const a = createRegistrationChallenge(server.public_key_wire_b64);
    const b = createRegistrationChallenge(server.public_key_pem_spki);
    expect(a.answer).toHaveLength(REGISTRATION_CHALLENGE_BYTES);
    expect(a.answer.equals(b.answer)).toBe(false);
    expect(Buffer.from(a.ciphertext, 'base64')).toHaveLength(256);
    expect(answerRegistrationChallenge(a.ciphertext, server.private_key_pem_pkcs8)).toBe(a.answer.toString('base64'));
    expect(answerRegistrationChallenge(b.ciphertext, server.private_key_pem_pkcs8)).toBe(b.answer.toString('base64'));
  });

  it('another key cannot answer; a bad key cannot be challenged', () => {
    const c = createRegistrationChallenge(server.public_key_wire_b64);
    expectUniformFailure(() => answerRegistrationChallenge(c.ciphertext, client.private_key_pem_pkcs8));
    expect(() => createRegistrationChallenge('bm90IGEga2V5')).toThrow(EncryptInputError);
  });
});
