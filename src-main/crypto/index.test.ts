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
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  it('does not expose the test-only fixed-key encryptor or internal primitives', () => {
    const names = Object.keys(api);
    expect(names.filter((n) => /test|fixed|forge/i.test(n))).toEqual([]);
    expect(names).not.toContain('rsaUnwrap');
    expect(names).not.toContain('aesCbcDecrypt');
  });

  it('DecryptionError always carries the one message', () => {
    expect(new api.DecryptionError().message).toBe('Decryption failed');
    expect(api.DECRYPTION_FAILED_MESSAGE).toBe('Decryption failed');
  });
});
