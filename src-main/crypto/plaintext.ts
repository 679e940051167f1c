// Plaintext encoding shared by every envelope kind (docs/protocol.md §1.6): strings travel as
// UTF-8 (a lone surrogate is refused, it has no UTF-8 form); JSON values as compact UTF-8 text;
// received text must be strict UTF-8 and valid JSON, else the one DecryptionError (§1.9).
import { DecryptionError, EncryptInputError } from './errors';

const LONE_SURROGATE = /\p{Cs}/u;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function plaintextBytes(plaintext: unknown): Uint8Array {
  if (typeof plaintext === 'string') {
    if (LONE_SURROGATE.test(plaintext)) throw new EncryptInputError('Plaintext string has a lone UTF-16 surrogate');
    return Buffer.from(plaintext, 'utf8');
  }
  if (plaintext instanceof Uint8Array) return plaintext;
  throw new EncryptInputError('Plaintext must be a string or a Uint8Array');
}

/** JSON text of a value, or EncryptInputError when it has none. */
export function jsonPlaintext(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    throw new EncryptInputError('Value cannot be serialised as JSON');
  }
  if (text === undefined) throw new EncryptInputError('Value has no JSON representation');
  return text;
}

/** Bad UTF-8 or bad JSON fails with the same DecryptionError as any other failure. */
export function parseJsonPlaintext(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new DecryptionError();
  }
}
