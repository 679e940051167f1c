// JSON payloads (docs/protocol.md §1.6): the plaintext is UTF-8 text of a JSON value. We send
// compact raw UTF-8 (like browsers); we accept any valid JSON, including Python's \uXXXX escapes.
import type { DecryptOptions } from './envelope-decrypt';
import { decryptEnvelope } from './envelope-decrypt';
import type { EncryptOptions, HybridEnvelope } from './envelope-encrypt';
import { encryptEnvelope } from './envelope-encrypt';
import { DecryptionError, EncryptInputError } from './errors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encryptJson(value: unknown, recipientPublicKey: string, opts?: EncryptOptions): HybridEnvelope {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    throw new EncryptInputError('Value cannot be serialised as JSON');
  }
  if (text === undefined) throw new EncryptInputError('Value has no JSON representation');
  return encryptEnvelope(text, recipientPublicKey, opts);
}

/** Bad UTF-8 or bad JSON fails with the same DecryptionError as any other failure. */
export function decryptJson(env: HybridEnvelope, privateKeyPem: string, opts: DecryptOptions): unknown {
  const bytes = decryptEnvelope(env, privateKeyPem, opts);
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new DecryptionError();
  }
}
