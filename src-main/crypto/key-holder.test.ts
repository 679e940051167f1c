import { createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError, InvalidKeyError } from './errors';
import { KeyHolder, keyPairFromPems } from './key-holder';
import { loadTokenPlaceVectors } from '../../test-support/crypto/vectors';
import { keyFingerprint } from './fingerprint';

const { server, client } = loadTokenPlaceVectors().keys;
const serverPair = {
  privateKeyPem: server.private_key_pem_pkcs8,
  publicKeyPem: server.public_key_pem_spki,
  publicKeyWire: server.public_key_wire_b64,
};

// One generated pair per file (keygen costs 0.1–1 s on a busy machine): KeyHolder.create() uses
// generateRsaKeyPair(), and rotateKeys() generates the only other pair.
let holder: KeyHolder;
let loopTicksDuringKeygen = 0;
beforeAll(async () => {
  const timer = setInterval(() => loopTicksDuringKeygen++, 1);
  holder = await KeyHolder.create();
  clearInterval(timer);
});

describe('generateRsaKeyPair (§1.1) via KeyHolder.create()', () => {
  it('makes RSA-2048 e=65537 PKCS#8/SPKI PEMs and a wire key of the exact PEM', () => {
    const pair = holder.current;
    expect(pair.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(pair.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    expect(pair.publicKeyPem.endsWith('-----END PUBLIC KEY-----\n')).toBe(true);
    expect(pair.publicKeyPem).toHaveLength(451); // same form as Python's serializer (§1.1)
    expect(pair.publicKeyWire).toHaveLength(604);
    expect(Buffer.from(pair.publicKeyWire, 'base64').toString('utf8')).toBe(pair.publicKeyPem);
    const details = createPublicKey(pair.publicKeyPem).asymmetricKeyDetails;
    expect(details?.modulusLength).toBe(2048);
    expect(details?.publicExponent).toBe(65537n);
    expect(holder.fingerprint).toBe(keyFingerprint(pair.publicKeyWire));
  });

  it('is asynchronous: timers keep firing while the key is generated', () => {
    expect(loopTicksDuringKeygen).toBeGreaterThan(0);
  });
});

describe('KeyHolder', () => {
  it('wraps a validated pair and encrypts to / decrypts for it', () => {
    const holder = KeyHolder.fromPair(serverPair);
    expect(holder.publicKeyWire).toBe(server.public_key_wire_b64);
    expect(holder.fingerprint).toBe(server.public_key_spki_der_sha256_hex);
    const env = holder.encryptTo(holder.publicKeyWire, 'to myself', { mode: 'gcm' });
    expect(holder.decryptFor(env, { padding: 'oaep-sha256' }).toString()).toBe('to myself');
    const json = holder.encryptJsonTo(holder.publicKeyWire, { role: 'user', content: 'hi' }, { padding: 'pkcs1v15' });
    expect(holder.decryptJsonFor(json, { padding: 'pkcs1v15' })).toEqual({ role: 'user', content: 'hi' });
  });

  it('returns copies, so callers cannot swap the held key', () => {
    const holder = KeyHolder.fromPair(serverPair);
    const current = holder.current;
    current.privateKeyPem = client.private_key_pem_pkcs8;
    expect(holder.current.privateKeyPem).toBe(server.private_key_pem_pkcs8);
  });

  it('rejects mismatched or malformed pairs', () => {
    expect(() => KeyHolder.fromPair({ ...serverPair, publicKeyPem: client.public_key_pem_spki, publicKeyWire: client.public_key_wire_b64 })).toThrow(
      InvalidKeyError,
    );
    expect(() => KeyHolder.fromPair({ ...serverPair, publicKeyWire: client.public_key_wire_b64 })).toThrow(InvalidKeyError);
    expect(() => KeyHolder.fromPair({ ...serverPair, privateKeyPem: 'nope' })).toThrow(InvalidKeyError);
  });

  it('rotateKeys() replaces the pair; envelopes to the old key no longer open', async () => {
    const before = holder.current;
    const env = holder.encryptTo(holder.publicKeyWire, 'old');
    expect(holder.decryptFor(env, { padding: 'oaep-sha256' }).toString()).toBe('old');
    const next = await holder.rotateKeys();
    expect(next.publicKeyWire).not.toBe(before.publicKeyWire);
    expect(holder.current).toEqual(next);
    expect(() => holder.decryptFor(env, { padding: 'oaep-sha256' })).toThrow(DecryptionError);
    const fresh = holder.encryptTo(holder.publicKeyWire, 'new');
    expect(holder.decryptFor(fresh, { padding: 'oaep-sha256' }).toString()).toBe('new');
  });
});

describe('keyPairFromPems', () => {
  it('rebuilds a stored pair with the wire key it had, and refuses halves of different pairs', () => {
    const pair = holder.current;
    expect(keyPairFromPems(pair.privateKeyPem, pair.publicKeyPem)).toEqual(pair);
    expect(() => keyPairFromPems(pair.privateKeyPem, serverPair.publicKeyPem)).toThrow(InvalidKeyError);
    expect(() => keyPairFromPems('not a key', pair.publicKeyPem)).toThrow(InvalidKeyError);
  });
});
