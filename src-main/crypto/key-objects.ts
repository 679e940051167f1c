// Parsed-key cache. Parsing a PEM (createPrivateKey) costs about as much as an RSA operation
// would save, so every PEM string is parsed once and its KeyObject reused. Bounded LRU so a
// long-running relay/node that sees many client keys does not grow without limit.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidKeyError } from './errors';

/** §1.1: RSA, modulus >= 2048 bits. */
export const MIN_RSA_MODULUS_BITS = 2048;
const CACHE_LIMIT = 256;

class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.limit) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

const privateKeys = new LruCache<KeyObject>(CACHE_LIMIT);
const publicKeys = new LruCache<KeyObject>(CACHE_LIMIT);

function assertRsa2048(key: KeyObject, what: string): void {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'rsa') throw new InvalidKeyError(`${what} is not an RSA key`);
  if (!details?.modulusLength || details.modulusLength < MIN_RSA_MODULUS_BITS) {
    throw new InvalidKeyError(`${what} is shorter than ${MIN_RSA_MODULUS_BITS} bits`);
  }
}

/** Parses (once) a PKCS#8 or PKCS#1 private key PEM; throws InvalidKeyError. */
export function privateKeyObject(pem: string): KeyObject {
  if (typeof pem !== 'string' || pem.length === 0) throw new InvalidKeyError('Private key PEM is empty');
  const cached = privateKeys.get(pem);
  if (cached) return cached;
  if (!pem.includes('-----BEGIN') || !pem.includes('PRIVATE KEY-----')) {
    throw new InvalidKeyError('Private key is not a PEM private key');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new InvalidKeyError('Private key PEM cannot be parsed');
  }
  assertRsa2048(key, 'Private key');
  privateKeys.set(pem, key);
  return key;
}

/** Parses (once) an SPKI public key PEM; throws InvalidKeyError. */
export function publicKeyObject(pem: string): KeyObject {
  if (typeof pem !== 'string' || pem.length === 0) throw new InvalidKeyError('Public key PEM is empty');
  const cached = publicKeys.get(pem);
  if (cached) return cached;
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new InvalidKeyError('Public key is not an SPKI PEM (-----BEGIN PUBLIC KEY-----)');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new InvalidKeyError('Public key PEM cannot be parsed');
  }
  if (key.type !== 'public') throw new InvalidKeyError('Public key PEM holds no public key');
  assertRsa2048(key, 'Public key');
  publicKeys.set(pem, key);
  return key;
}

/** Drops a PEM from the cache (e.g. after key rotation). */
export function forgetKey(pem: string): void {
  privateKeys.delete(pem);
  publicKeys.delete(pem);
}
