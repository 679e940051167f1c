// Strict, canonical standard base64 (RFC 4648 §4, '=' padded, no whitespace), as producers
// must emit it (token-place-v1.md §1.2 rule 2, §1.5). Node's Buffer.from(s, 'base64') is lax
// (skips junk, accepts url-safe chars and missing padding), so we validate first.

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes canonical standard base64. Returns null for anything else, including
 * non-zero trailing bits in the last quantum (which would make two strings decode alike).
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (typeof text !== 'string' || !STRICT_BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
