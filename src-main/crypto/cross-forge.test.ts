// Cross-implementation: node-forge as an independent hybrid implementation of §1.3–§1.4.
// Our envelopes open with forge, forge's envelopes open with us, in every mode
// (CBC/GCM × OAEP-SHA256/PKCS#1 v1.5).
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import type { HybridEnvelope } from './envelope-encrypt';
import { encryptEnvelope } from './envelope-encrypt';
import { decryptEnvelope } from './envelope-decrypt';
import type { RsaPadding, SymmetricMode } from './keys';
import { loadTokenPlaceVectors } from './test-fixtures';

const { server } = loadTokenPlaceVectors().keys;
const forgePrivate = forge.pki.privateKeyFromPem(server.private_key_pem_pkcs8) as forge.pki.rsa.PrivateKey;
const forgePublic = forge.pki.publicKeyFromPem(server.public_key_pem_spki) as forge.pki.rsa.PublicKey;
const oaepSha256 = () => ({ md: forge.md.sha256.create(), mgf1: { md: forge.md.sha256.create() } });

const bin = (bytes: Uint8Array) => Buffer.from(bytes).toString('binary');
const fromBin = (s: string) => Buffer.from(s, 'binary');
const b64 = (s: string) => Buffer.from(s, 'base64');

function forgeSeal(plaintext: Buffer, mode: SymmetricMode, padding: RsaPadding, aad?: Buffer): HybridEnvelope {
  const aesKey = forge.random.getBytesSync(32);
  const keyText = forge.util.encode64(aesKey);
  const wrapped =
    padding === 'oaep-sha256' ? forgePublic.encrypt(keyText, 'RSA-OAEP', oaepSha256()) : forgePublic.encrypt(keyText, 'RSAES-PKCS1-V1_5');
  const cipherkey = forge.util.encode64(wrapped);
  if (mode === 'gcm') {
    const iv = forge.random.getBytesSync(12);
    const cipher = forge.cipher.createCipher('AES-GCM', aesKey);
    cipher.start({ iv, tagLength: 128, ...(aad ? { additionalData: bin(aad) } : {}) });
    cipher.update(forge.util.createBuffer(bin(plaintext)));
    cipher.finish();
    return {
      ciphertext: fromBin(cipher.output.getBytes()).toString('base64'),
      cipherkey,
      iv: forge.util.encode64(iv),
      tag: fromBin(cipher.mode.tag.getBytes()).toString('base64'),
      mode: 'GCM',
    };
  }
  const iv = forge.random.getBytesSync(16);
  const cipher = forge.cipher.createCipher('AES-CBC', aesKey);
  cipher.start({ iv });
  cipher.update(forge.util.createBuffer(bin(plaintext)));
  cipher.finish();
  return { ciphertext: fromBin(cipher.output.getBytes()).toString('base64'), cipherkey, iv: forge.util.encode64(iv) };
}

function forgeOpen(env: HybridEnvelope, padding: RsaPadding, aad?: Buffer): Buffer {
  const wrapped = bin(b64(env.cipherkey));
  const keyText =
    padding === 'oaep-sha256' ? forgePrivate.decrypt(wrapped, 'RSA-OAEP', oaepSha256()) : forgePrivate.decrypt(wrapped, 'RSAES-PKCS1-V1_5');
  const aesKey = forge.util.decode64(keyText);
  expect(aesKey).toHaveLength(32);
  if (env.mode === 'GCM') {
    const decipher = forge.cipher.createDecipher('AES-GCM', aesKey);
    decipher.start({
      iv: bin(b64(env.iv)),
      tag: forge.util.createBuffer(bin(b64(env.tag!))),
      tagLength: 128,
      ...(aad ? { additionalData: bin(aad) } : {}),
    });
    decipher.update(forge.util.createBuffer(bin(b64(env.ciphertext))));
    if (!decipher.finish()) throw new Error('forge: GCM tag mismatch');
    return fromBin(decipher.output.getBytes());
  }
  const decipher = forge.cipher.createDecipher('AES-CBC', aesKey);
  decipher.start({ iv: bin(b64(env.iv)) });
  decipher.update(forge.util.createBuffer(bin(b64(env.ciphertext))));
  if (!decipher.finish()) throw new Error('forge: bad CBC padding');
  return fromBin(decipher.output.getBytes());
}

const plaintexts: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['1 byte', Buffer.from('x')],
  ['15 bytes', Buffer.alloc(15, 7)],
  ['16 bytes', Buffer.alloc(16, 8)],
  ['17 bytes', Buffer.alloc(17, 9)],
  ['unicode', Buffer.from('héllo wörld — 你好 🌍👩‍👩‍👧', 'utf8')],
  ['8 KiB', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 31) & 0xff))],
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
    expect(forgeOpen(env, padding, aad).equals(plaintext)).toBe(true);
  });

  it.each(plaintexts)('forge → ours: %s', (_name, plaintext) => {
    const env = forgeSeal(plaintext, mode, padding, aad);
    expect(decryptEnvelope(env, server.private_key_pem_pkcs8, { padding, associatedData: aad }).equals(plaintext)).toBe(true);
  });
});
