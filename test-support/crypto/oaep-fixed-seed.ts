// TEST ONLY: RSAES-OAEP encryption (RFC 8017 §7.1.1, SHA-256, MGF1-SHA-256) with a caller-chosen
// seed, so a vector's RSA ciphertext can be reproduced byte for byte (docs/protocol.md §10.8).
// node:crypto always draws the seed at random; here EME-OAEP encoding is done by hand and the
// RSA step is node:crypto's raw (unpadded) public operation. Never use outside tests: a fixed
// seed makes the encryption deterministic.
import { constants, createHash, publicEncrypt, type KeyObject } from 'node:crypto';

const H_LEN = 32;

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

function mgf1(seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * H_LEN < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(sha256(seed, c));
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ b[i]!));
}

export function oaepSha256EncryptWithSeed(publicKey: KeyObject, message: Uint8Array, label: Uint8Array, seed: Uint8Array): Buffer {
  const k = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (seed.length !== H_LEN) throw new RangeError('OAEP-SHA256 seed must be 32 bytes');
  if (message.length > k - 2 * H_LEN - 2) throw new RangeError('message too long for OAEP');
  const db = Buffer.concat([sha256(label), Buffer.alloc(k - message.length - 2 * H_LEN - 2), Buffer.from([1]), message]);
  const maskedDb = xor(db, mgf1(seed, k - H_LEN - 1));
  const maskedSeed = xor(seed, mgf1(maskedDb, H_LEN));
  const encoded = Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, encoded);
}
