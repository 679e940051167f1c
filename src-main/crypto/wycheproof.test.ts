// Wycheproof (C2SP, Apache-2.0, fixtures/vectors/wycheproof/LICENSE) at the primitive level:
// rsa-unwrap (OAEP-SHA256 via node:crypto, PKCS#1 v1.5 via node-forge), aes-cbc, aes-gcm.
// Every 'valid' case must pass and every 'invalid' case must be rejected with DecryptionError.
// 'acceptable' cases: none of the four files has one (asserted below), so there is no
// implementation-defined outcome to document.
import { describe, expect, it } from 'vitest';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc';
import { aesGcmDecrypt, aesGcmEncrypt } from './aes-gcm';
import { DecryptionError } from './errors';
import { privateKeyObject } from './key-objects';
import type { RsaPadding } from './keys';
import { rsaUnwrap } from './rsa-unwrap';
import { loadWycheproof, type WycheproofGroup, type WycheproofTest } from '../../test-support/crypto/vectors';

const hex = (v: unknown) => Buffer.from(v as string, 'hex');

function cases(groups: WycheproofGroup[], pick: (g: WycheproofGroup) => boolean) {
  return groups.filter(pick).flatMap((g) => g.tests.map((t) => [`tc${t.tcId} ${t.result} ${t.comment}`.trim(), g, t] as const));
}

function expectRejected(fn: () => unknown): void {
  expect(fn).toThrow(DecryptionError);
}

function noAcceptable(groups: WycheproofGroup[]): void {
  expect(groups.flatMap((g) => g.tests).filter((t: WycheproofTest) => t.result === 'acceptable')).toEqual([]);
}

describe.each([
  ['RSA-OAEP-2048-SHA256 (MGF1-SHA256)', 'rsa_oaep_2048_sha256_mgf1sha256_test.json', 'oaep-sha256'],
  ['RSAES-PKCS1-v1_5-2048 (node-forge path)', 'rsa_pkcs1_2048_test.json', 'pkcs1v15'],
] as const)('Wycheproof %s', (_name, file, padding: RsaPadding) => {
  const suite = loadWycheproof(file);
  const all = cases(suite.testGroups, (g) => g.keySize === 2048);

  it('has cases for 2048-bit keys and no "acceptable" outcomes', () => {
    expect(all.length).toBeGreaterThan(30);
    noAcceptable(suite.testGroups);
  });

  it.each(all)('%s', (_label, group, t) => {
    const key = privateKeyObject(group.privateKeyPem as string);
    const label = t.label === undefined ? undefined : hex(t.label);
    if (t.result === 'valid') {
      expect(rsaUnwrap(key, hex(t.ct), padding, label).toString('hex')).toBe(t.msg);
    } else {
      expectRejected(() => rsaUnwrap(key, hex(t.ct), padding, label));
    }
  });
});

describe('Wycheproof AES-GCM (256-bit key, 96-bit IV, 128-bit tag groups)', () => {
  const suite = loadWycheproof('aes_gcm_test.json');
  const all = cases(suite.testGroups, (g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128);

  it('selects the expected groups', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    noAcceptable(suite.testGroups);
  });

  it.each(all)('%s', (_label, _group, t) => {
    const [key, iv, aad, msg, ct, tag] = [t.key, t.iv, t.aad, t.msg, t.ct, t.tag].map(hex) as Buffer[];
    if (t.result === 'valid') {
      expect(aesGcmDecrypt(key!, iv!, ct!, tag!, aad).toString('hex')).toBe(t.msg);
      const sealed = aesGcmEncrypt(key!, iv!, msg!, aad);
      expect(sealed.ciphertext.toString('hex')).toBe(t.ct);
      expect(sealed.tag.toString('hex')).toBe(t.tag);
    } else {
      expectRejected(() => aesGcmDecrypt(key!, iv!, ct!, tag!, aad));
    }
  });

  it('rejects the other IV sizes at the primitive (we only speak 12-byte GCM IVs, §1.4)', () => {
    const others = cases(suite.testGroups, (g) => g.keySize === 256 && g.ivSize !== 96 && g.tagSize === 128);
    expect(others.length).toBeGreaterThan(0);
    for (const [, , t] of others) {
      expectRejected(() => aesGcmDecrypt(hex(t.key), hex(t.iv), hex(t.ct), hex(t.tag), hex(t.aad)));
    }
  });
});

describe('Wycheproof AES-CBC-PKCS5 (256-bit keys)', () => {
  const suite = loadWycheproof('aes_cbc_pkcs5_test.json');
  const all = cases(suite.testGroups, (g) => g.keySize === 256);

  it('selects the expected group', () => {
    expect(all.length).toBe(72);
    noAcceptable(suite.testGroups);
  });

  it.each(all)('%s', (_label, _group, t) => {
    const [key, iv, msg, ct] = [t.key, t.iv, t.msg, t.ct].map(hex) as Buffer[];
    if (t.result === 'valid') {
      expect(aesCbcDecrypt(key!, iv!, ct!).toString('hex')).toBe(t.msg);
      expect(aesCbcEncrypt(key!, iv!, msg!).toString('hex')).toBe(t.ct);
    } else {
      expectRejected(() => aesCbcDecrypt(key!, iv!, ct!));
    }
  });
});
