// node-forge as an independent implementation of the hybrid envelope (§1.3–§1.4), for the
// cross-implementation tests and the benchmark baseline only.
import forge from 'node-forge';
import type { HybridEnvelope, RsaPadding, SymmetricMode } from '../../src-main/crypto';

export type ForgePrivateKey = forge.pki.rsa.PrivateKey;
export type ForgePublicKey = forge.pki.rsa.PublicKey;

export function forgePrivateKeyFromPem(pem: string): ForgePrivateKey {
  return forge.pki.privateKeyFromPem(pem) as ForgePrivateKey;
}
export function forgePublicKeyFromPem(pem: string): ForgePublicKey {
  return forge.pki.publicKeyFromPem(pem) as ForgePublicKey;
}

const oaepSha256 = () => ({ md: forge.md.sha256.create(), mgf1: { md: forge.md.sha256.create() } });
const bin = (bytes: Uint8Array) => Buffer.from(bytes).toString('binary');
const fromBin = (s: string) => Buffer.from(s, 'binary');
const b64 = (s: string) => Buffer.from(s, 'base64');

export function forgeUnwrapText(key: ForgePrivateKey, cipherkeyB64: string, padding: RsaPadding): string {
  const wrapped = bin(b64(cipherkeyB64));
  return padding === 'oaep-sha256' ? key.decrypt(wrapped, 'RSA-OAEP', oaepSha256()) : key.decrypt(wrapped, 'RSAES-PKCS1-V1_5');
}

export function forgeSeal(
  key: ForgePublicKey,
  plaintext: Uint8Array,
  mode: SymmetricMode,
  padding: RsaPadding,
  aad?: Uint8Array,
): HybridEnvelope {
  const aesKey = forge.random.getBytesSync(32);
  const keyText = forge.util.encode64(aesKey);
  const wrapped = padding === 'oaep-sha256' ? key.encrypt(keyText, 'RSA-OAEP', oaepSha256()) : key.encrypt(keyText, 'RSAES-PKCS1-V1_5');
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

/** Throws a plain Error on any failure (this is a reference, not a hardened receiver). */
export function forgeOpen(key: ForgePrivateKey, env: HybridEnvelope, padding: RsaPadding, aad?: Uint8Array): Buffer {
  const aesKey = forge.util.decode64(forgeUnwrapText(key, env.cipherkey, padding));
  if (aesKey.length !== 32) throw new Error('forge: session key is not 32 bytes');
  if (env.mode === 'GCM' || env.tag !== undefined) {
    const decipher = forge.cipher.createDecipher('AES-GCM', aesKey);
    decipher.start({
      iv: bin(b64(env.iv)),
      tag: forge.util.createBuffer(bin(b64(env.tag ?? ''))),
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
