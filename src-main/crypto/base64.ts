// Strict, canonical standard base64 (RFC 4648 §4, '=' padded, no whitespace), as producers
// must emit it (docs/protocol.md §1.2 rule 2, §1.5). Node's Buffer.from(s, 'base64') is lax
// (skips junk, accepts url-safe chars and missing padding), so decoded bytes are re-encoded and
// compared: the canonical encoding is exactly the encoder's image, so equality proves the
// input had the standard alphabet, correct '=' padding, no whitespace and zero trailing bits.
// (This is also ~3x faster than an anchored regex on large ciphertexts.)

/** Decodes canonical standard base64; returns null for anything else. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (typeof text !== 'string' || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
