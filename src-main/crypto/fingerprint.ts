// Key fingerprint as in the vectors (§7): SHA-256 over the SPKI DER encoding, lower-case hex.
// Remembered per parsed key (the DER export costs about a third of an RSA decryption, and aead-v1
// fingerprints both keys of every message, §10.3).
import { createHash, type KeyObject } from 'node:crypto';
import { publicKeyObject } from './key-objects';
import { publicPemFromWireOrPem } from './wire-key';

const fingerprints = new WeakMap<KeyObject, string>();

export function keyFingerprint(publicKeyWireOrPem: string): string {
  const key = publicKeyObject(publicPemFromWireOrPem(publicKeyWireOrPem));
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}
