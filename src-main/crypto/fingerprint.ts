// Key fingerprint as in the vectors (§7): SHA-256 over the SPKI DER encoding, lower-case hex.
import { createHash } from 'node:crypto';
import { publicKeyObject } from './key-objects';
import { publicPemFromWireOrPem } from './wire-key';

export function keyFingerprint(publicKeyWireOrPem: string): string {
  const key = publicKeyObject(publicPemFromWireOrPem(publicKeyWireOrPem));
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}
