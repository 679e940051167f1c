// Key holder in the spirit of the reference CryptoManager (docs/protocol.md §1.1): one current
// RSA key pair kept in memory, rotatable, with encrypt-to / decrypt-for helpers.
import { createPublicKey } from 'node:crypto';
import type { DecryptOptions } from './envelope-decrypt';
import { decryptEnvelope } from './envelope-decrypt';
import type { EncryptOptions, HybridEnvelope } from './envelope-encrypt';
import { encryptEnvelope } from './envelope-encrypt';
import { decryptJson, encryptJson } from './envelope-json';
import { InvalidKeyError } from './errors';
import { keyFingerprint } from './fingerprint';
import { forgetKey, privateKeyObject, publicKeyObject } from './key-objects';
import { generateRsaKeyPair, type RsaKeyPair } from './keys';
import { wireKeyFromPem } from './wire-key';

/** Checks that the three fields of a pair belong together; throws InvalidKeyError. */
export function assertKeyPair(pair: RsaKeyPair): void {
  if (!pair || typeof pair !== 'object') throw new InvalidKeyError('Key pair must be an object');
  const privateKey = privateKeyObject(pair.privateKeyPem);
  const publicKey = publicKeyObject(pair.publicKeyPem);
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!derived.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new InvalidKeyError('Public key does not belong to the private key');
  }
  if (pair.publicKeyWire !== wireKeyFromPem(pair.publicKeyPem)) {
    throw new InvalidKeyError('publicKeyWire is not base64 of publicKeyPem');
  }
}

/** The pair of a stored private and public PEM, checked to belong together; throws InvalidKeyError. */
export function keyPairFromPems(privateKeyPem: string, publicKeyPem: string): RsaKeyPair {
  const pair = { privateKeyPem, publicKeyPem, publicKeyWire: wireKeyFromPem(publicKeyPem) };
  assertKeyPair(pair);
  return pair;
}

export class KeyHolder {
  private pair: RsaKeyPair;

  private constructor(pair: RsaKeyPair) {
    this.pair = pair;
  }

  /** Generates a fresh pair (asynchronously). */
  static async create(): Promise<KeyHolder> {
    return new KeyHolder(await generateRsaKeyPair());
  }

  /** Wraps an existing pair (e.g. one loaded from storage); validated. */
  static fromPair(pair: RsaKeyPair): KeyHolder {
    assertKeyPair(pair);
    return new KeyHolder({ ...pair });
  }

  get current(): RsaKeyPair {
    return { ...this.pair };
  }

  get publicKeyWire(): string {
    return this.pair.publicKeyWire;
  }

  get publicKeyPem(): string {
    return this.pair.publicKeyPem;
  }

  /** SHA-256 hex of the SPKI DER of the current public key. */
  get fingerprint(): string {
    return keyFingerprint(this.pair.publicKeyPem);
  }

  /** Replaces the current pair with a fresh one and returns it; the old pair is dropped. */
  async rotateKeys(): Promise<RsaKeyPair> {
    const next = await generateRsaKeyPair();
    const previous = this.pair;
    this.pair = next;
    forgetKey(previous.privateKeyPem);
    forgetKey(previous.publicKeyPem);
    return { ...next };
  }

  decryptFor(env: HybridEnvelope, opts: DecryptOptions): Buffer {
    return decryptEnvelope(env, this.pair.privateKeyPem, opts);
  }

  decryptJsonFor(env: HybridEnvelope, opts: DecryptOptions): unknown {
    return decryptJson(env, this.pair.privateKeyPem, opts);
  }

  encryptTo(recipientPublicKey: string, plaintext: Uint8Array | string, opts?: EncryptOptions): HybridEnvelope {
    return encryptEnvelope(plaintext, recipientPublicKey, opts);
  }

  encryptJsonTo(recipientPublicKey: string, value: unknown, opts?: EncryptOptions): HybridEnvelope {
    return encryptJson(value, recipientPublicKey, opts);
  }
}
