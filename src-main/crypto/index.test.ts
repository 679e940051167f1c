// The public surface of the crypto core, and nothing test-only on it.
import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('crypto public API', () => {
  it('exports the agreed names', () => {
    for (const name of [
      'generateRsaKeyPair',
      'wireKeyFromPem',
      'pemFromWireKey',
      'keyFingerprint',
      'encryptEnvelope',
      'decryptEnvelope',
      'encryptJson',
      'decryptJson',
      'DecryptionError',
      'EncryptInputError',
      'InvalidKeyError',
      'KeyHolder',
      'encryptTo',
      'jsonPlaintext',
      'parseJsonPlaintext',
      'createRegistrationChallenge',
      'answerRegistrationChallenge',
      'sealAeadRequest',
      'openAeadRequest',
      'sealAeadReply',
      'openAeadReply',
      'sealAeadProgress',
      'openAeadProgress',
      'sealAeadStreamChunk',
      'openAeadStreamChunk',
      'envelopeProfile',
      'AEAD_V1_PROFILE',
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  it('does not expose the test-only fixed-key encryptor or internal primitives', () => {
    const names = Object.keys(api);
    expect(names.filter((n) => /test|fixed|forge/i.test(n))).toEqual([]);
    expect(names).not.toContain('rsaUnwrap');
    expect(names).not.toContain('aesCbcDecrypt');
    expect(names).not.toContain('sealPart');
    expect(names).not.toContain('wrapRequestKey');
  });

  it('DecryptionError always carries the one message', () => {
    expect(new api.DecryptionError().message).toBe('Decryption failed');
    expect(api.DECRYPTION_FAILED_MESSAGE).toBe('Decryption failed');
  });
});
