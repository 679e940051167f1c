// Cross-implementation: node-forge as an independent hybrid implementation of §1.3–§1.4.
// Our envelopes open with forge, forge's envelopes open with us, in every mode
// (CBC/GCM × OAEP-SHA256/PKCS#1 v1.5).
import { describe, expect, it } from 'vitest';
import { decryptEnvelope } from './envelope-decrypt';
import { encryptEnvelope } from './envelope-encrypt';
import { forgeOpen, forgePrivateKeyFromPem, forgePublicKeyFromPem, forgeSeal } from '../../test-support/crypto/forge-reference';
import type { RsaPadding, SymmetricMode } from './keys';
import { loadTokenPlaceVectors } from '../../test-support/crypto/vectors';

const { server } = loadTokenPlaceVectors().keys;
const forgePrivate = forgePrivateKeyFromPem(server.private_key_pem_pkcs8);
const forgePublic = forgePublicKeyFromPem(server.public_key_pem_spki);

const plaintexts: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['1 byte', Buffer.from('x')],
  ['16 bytes (full pad block)', Buffer.alloc(16, 8)],
  ['unicode', Buffer.from('héllo wörld — 你好 🌍👩‍👩‍👧', 'utf8')],
  ['8 KiB + 3', Buffer.from(Array.from({ length: 8195 }, (_, i) => (i * 31) & 0xff))],
];
const modes: [SymmetricMode, RsaPadding][] = [
  ['cbc', 'oaep-sha256'],
  ['cbc', 'pkcs1v15'],
  ['gcm', 'oaep-sha256'],
  ['gcm', 'pkcs1v15'],
];

describe.each(modes)('cross-implementation %s + %s', (mode, padding) => {
  const aad = mode === 'gcm' ? Buffer.from('request-id:cross') : undefined;

  it.each(plaintexts)('ours → forge: %s', (_name, plaintext) => {
    const env = encryptEnvelope(plaintext, server.public_key_wire_b64, { mode, padding, associatedData: aad });
    expect(forgeOpen(forgePrivate, env, padding, aad).equals(plaintext)).toBe(true);
  });

  it.each(plaintexts)('forge → ours: %s', (_name, plaintext) => {
    const env = forgeSeal(forgePublic, plaintext, mode, padding, aad);
    expect(decryptEnvelope(env, server.private_key_pem_pkcs8, { padding, associatedData: aad }).equals(plaintext)).toBe(true);
  });
});
