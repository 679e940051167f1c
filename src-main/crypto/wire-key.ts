// Wire public keys (docs/protocol.md §1.2): standard base64 of the complete PEM text,
// including header/footer and whatever trailing newline the producer emitted. The wire string
// is an opaque identity: never re-encode a received key, echo it.
import { decodeBase64Strict } from './base64';
import { InvalidKeyError } from './errors';
import { publicKeyObject } from './key-objects';

const PEM_MARKER = '-----BEGIN';

/** base64 of the exact PEM text; the PEM must be an RSA >= 2048 SPKI public key. */
export function wireKeyFromPem(pem: string): string {
  publicKeyObject(pem);
  return Buffer.from(pem, 'utf8').toString('base64');
}

/**
 * Decodes a wire key: leading/trailing whitespace is stripped, then strict base64 (§1.2 rule 2),
 * then the PEM must parse as an RSA >= 2048 public key. Throws InvalidKeyError.
 */
export function pemFromWireKey(wire: string): string {
  if (typeof wire !== 'string') throw new InvalidKeyError('Wire key is not a string');
  const trimmed = wire.trim();
  if (trimmed.length === 0) throw new InvalidKeyError('Wire key is empty');
  const bytes = decodeBase64Strict(trimmed);
  if (!bytes) throw new InvalidKeyError('Wire key is not strict base64');
  let pem: string;
  try {
    pem = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidKeyError('Wire key does not decode to UTF-8 PEM text');
  }
  publicKeyObject(pem);
  return pem;
}

/**
 * Accepts either a raw PEM (detected by "-----BEGIN", like the reference CryptoManager, §1.2
 * rule 4) or a wire key, and returns the PEM. Throws InvalidKeyError.
 */
export function publicPemFromWireOrPem(wireOrPem: string): string {
  if (typeof wireOrPem !== 'string') throw new InvalidKeyError('Public key is not a string');
  if (wireOrPem.includes(PEM_MARKER)) {
    publicKeyObject(wireOrPem);
    return wireOrPem;
  }
  return pemFromWireKey(wireOrPem);
}
