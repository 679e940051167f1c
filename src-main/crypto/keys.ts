// RSA key pair generation (docs/protocol.md §1.1): RSA-2048, e = 65537, PKCS#8 private PEM,
// SPKI public PEM (64-char lines, trailing "\n" — byte-identical in form to Python's output).
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { wireKeyFromPem } from './wire-key';

export type RsaPadding = 'oaep-sha256' | 'pkcs1v15';
export type SymmetricMode = 'cbc' | 'gcm';

export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  /** base64 of the exact publicKeyPem text (§1.2). */
  publicKeyWire: string;
}

export const RSA_MODULUS_BITS = 2048;
export const RSA_PUBLIC_EXPONENT = 65537;

const generateKeyPairAsync = promisify(generateKeyPair);

/** Generates a key pair on libuv's thread pool; never blocks the event loop. */
export async function generateRsaKeyPair(): Promise<RsaKeyPair> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: RSA_MODULUS_BITS,
    publicExponent: RSA_PUBLIC_EXPONENT,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey, publicKeyWire: wireKeyFromPem(publicKey) };
}
