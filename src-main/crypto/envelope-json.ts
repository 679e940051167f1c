// JSON payloads (docs/protocol.md §1.6): the plaintext is UTF-8 text of a JSON value. We send
// compact raw UTF-8 (like browsers); we accept any valid JSON, including Python's \uXXXX escapes.
import type { DecryptOptions } from './envelope-decrypt';
import { decryptEnvelope } from './envelope-decrypt';
import type { EncryptOptions, HybridEnvelope } from './envelope-encrypt';
import { encryptEnvelope } from './envelope-encrypt';
import { jsonPlaintext, parseJsonPlaintext } from './plaintext';

export function encryptJson(value: unknown, recipientPublicKey: string, opts?: EncryptOptions): HybridEnvelope {
  return encryptEnvelope(jsonPlaintext(value), recipientPublicKey, opts);
}

/** Bad UTF-8 or bad JSON fails with the same DecryptionError as any other failure. */
export function decryptJson(env: HybridEnvelope, privateKeyPem: string, opts: DecryptOptions): unknown {
  return parseJsonPlaintext(decryptEnvelope(env, privateKeyPem, opts));
}
